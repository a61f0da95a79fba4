#!/usr/bin/env bash
# Ingest benchmark, one command: ingest/bench/ingest-bench.sh
#
# Side by side in one run, on the same 1080p H.264 files:
#   - plain FFmpeg decode:  ffmpeg -threads 1 -i FILE -f null -
#   - streamsight ingest at full fps (no decode skipping; TurboJPEG and FFmpeg mjpeg encoders) and
#     at 5 fps (auto skipping, keyframes)
#   - 1 vs 4 cameras at 5 fps in one JVM, for heap and RSS per camera
# The single-camera runs are repeated BENCH_REPEAT times, interleaved (this machine's speed drifts
# by 10-20 % between runs), and the ratios at the end use the median decoder CPU of each run.
# Ingest publishes to a real local broker (separate process, not counted in ingest CPU).
# Needs: the Debian ffmpeg CLI (with libx264), /usr/bin/time, a built ./streamsight.
# Env: BENCH_DIR (default /tmp/streamsight-ingest-bench), BENCH_SECONDS (default 30),
#      BENCH_PORT (default 19493), BENCH_REPEAT (default 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${BENCH_DIR:-/tmp/streamsight-ingest-bench}"
len="${BENCH_SECONDS:-30}"
port="${BENCH_PORT:-19493}"
repeat="${BENCH_REPEAT:-3}"
mkdir -p "$out"
command -v ffmpeg >/dev/null || { echo "needs the ffmpeg CLI: apt-get install -y ffmpeg" >&2; exit 1; }

# Inputs: x264 with B-frames (non-reference frames the decoder can skip) and without (IP-camera
# style, every frame a reference: only keyframes-only mode can skip).
for bf in 2 0; do
  f="$out/1080p25-bf$bf.mp4"
  [ -s "$f" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" -t "$len" \
    -c:v libx264 -preset veryfast -g 50 -bf "$bf" -pix_fmt yuv420p "$f"
done
frames=$((len * 25))

rm -rf "$out/kafka"
./streamsight broker --port "$port" --data "$out/kafka" >"$out/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "ready" "$out/broker.log" && break; sleep 1; done
grep -q "ready" "$out/broker.log" || { echo "broker did not start, see $out/broker.log" >&2; exit 1; }

printf '| %-32s | %6s | %6s | %6s | %6s | %9s | %8s | %8s | %7s | %7s |\n' \
  run wall_s cpu_s work_s work_cpu published "x rt work" "x rt cpu" heap_MiB rss_MiB
printf '|%s|\n' "----------------------------------|--------|--------|--------|--------|-----------|----------|----------|---------|---------"
row() { # label, then the command
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" >"$out/run.out" 2>"$out/run.err" || {
    echo "FAILED: $label (see $out/run.err)" >&2; cat "$out/run.err" >&2; exit 1; }
  read -r wall user sys rss_kb <"$out/time.txt"
  local cpu heap published
  cpu=$(echo "$user + $sys" | bc -l)
  heap=$( (grep -o 'peak heap [0-9]*' "$out/run.err" || true) | grep -o '[0-9]*$' || true)
  published=$( (grep -o 'published [0-9]*' "$out/run.out" || true) \
    | awk '{s += $2} END {print (NR ? s : "-")}')
  local cams="${CAMS:-1}"
  # work = the cameras' own time: wall from open to end (max over cameras) and decoder-thread CPU
  # (sum), without JVM start-up; for ffmpeg the same as the process.
  local work wcpu
  work=$( (grep -o 'elapsed [0-9.]*' "$out/run.out" || true) | awk '$2 > m {m = $2} END {print (NR ? m : "")}')
  wcpu=$( (grep -o 'decoder cpu [0-9.]*' "$out/run.out" || true) | awk '{s += $3} END {print (NR ? s : "")}')
  work=${work:-$wall}
  wcpu=${wcpu:-$cpu}
  printf '%s\t%s\n' "$label" "$wcpu" >>"$out/work_cpu.tsv"
  printf '| %-32s | %6.2f | %6.2f | %6.2f | %6.2f | %9s | %8.2f | %8.2f | %7s | %7d |\n' "$label" "$wall" \
    "$cpu" "$work" "$wcpu" "$published" "$(echo "$len * $cams / $work" | bc -l)" \
    "$(echo "$len * $cams / $wcpu" | bc -l)" "${heap:--}" "$((rss_kb / 1024))"
}
ingest=(./streamsight ingest --bootstrap "127.0.0.1:$port" --progress 0s)

: >"$out/work_cpu.tsv"
for r in $(seq 1 "$repeat"); do
  for bf in 2 0; do
    f="$out/1080p25-bf$bf.mp4"
    row "ffmpeg -threads 1 decode, bf=$bf" ffmpeg -v error -threads 1 -i "$f" -f null -
    row "ingest 25 fps, skip none, bf=$bf" "${ingest[@]}" --camera "full-$bf-$r" --source "$f" --fps 25 --skip none
    row "ingest 25 fps, mjpeg, bf=$bf" "${ingest[@]}" --camera "mjpeg-$bf-$r" --source "$f" --fps 25 --skip none --jpeg-encoder ffmpeg
    row "ingest 5 fps, skip auto, bf=$bf" "${ingest[@]}" --camera "five-$bf-$r" --source "$f" --fps 5 --skip auto
    row "ingest 5 fps, keyframes, bf=$bf" "${ingest[@]}" --camera "key-$bf-$r" --source "$f" --fps 5 --skip keyframes
  done
done

f="$out/1080p25-bf2.mp4"
{
  echo "cameras:"
  for i in 1 2 3 4; do echo "  - {id: multi-$i, uri: $f, fps: 5}"; done
} >"$out/cameras4.yaml"
CAMS=4 row "ingest 4 cameras x 5 fps, bf=2" "${ingest[@]}" --config "$out/cameras4.yaml"
echo
echo "frames per file: $frames (${len} s at 25 fps, 1920x1080). wall_s/cpu_s: whole process (JVM"
echo "start-up included). work_s/work_cpu: the cameras' own wall time and decoder-thread CPU (ffmpeg:"
echo "same as process). x rt work = video s / work_s; x rt cpu = video s / work_cpu (per core)."
echo "The broker runs in its own process. Ingest rows without 'mjpeg' use the default encoder"
echo "(TurboJPEG when libturbojpeg is installed; the first ingest run logs which)."
echo
echo "Medians over $repeat interleaved runs (decoder-thread CPU s; ratio = plain decode CPU / this):"
awk -F'\t' '{v[$1] = v[$1] " " $2} END {for (k in v) print k "\t" v[k]}' "$out/work_cpu.tsv" |
  while IFS=$'\t' read -r label values; do
    median=$(printf '%s\n' $values | sort -n | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}')
    printf '%s\t%s\t%s\n' "$label" "$median" "$values"
  done | sort >"$out/medians.tsv"
for bf in 2 0; do
  base=$(awk -F'\t' -v l="ffmpeg -threads 1 decode, bf=$bf" '$1 == l {print $2}' "$out/medians.tsv")
  grep "bf=$bf" "$out/medians.tsv" | grep -v cameras | while IFS=$'\t' read -r label median values; do
    printf '| %-32s | %6.2f | %5.2fx | %s |\n' "$label" "$median" "$(echo "$base / $median" | bc -l)" \
      "$(printf '%s\n' $values | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}')"
  done
done
