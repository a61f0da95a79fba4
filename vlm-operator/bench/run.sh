#!/usr/bin/env bash
# VLM engine benchmark, side by side with transformers.js on the same model, frame and prompts.
# Usage: vlm-operator/bench/run.sh [MODEL_DIR] [MAX_TILES]
#   MODEL_DIR defaults to a random-weight model with SmolVLM-256M's sizes (written on first use);
#   MAX_TILES 0 = global image only (video mode), "published" = the model's own tiling.
# Extra flags for `streamsight vlm bench` (e.g. --spin-wait) go in VLM_BENCH_ARGS.
# Needs: ./streamsight built (mvn -pl deploy/cli -am install -DskipTests), node + npm (the peer is
# installed into target/tjs with --ignore-scripts: its onnxruntime-node CPU binaries ship in it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="${1:-$root/target/bench-models/smolvlm-256m-random}"
tiles="${2:-0}"
work="$root/target/vlm-bench"
mkdir -p "$work"
if [ ! -f "$model/onnx/decoder_model_merged.onnx" ]; then
  "$root/streamsight" model fixture --dir "$model" --dims smolvlm-256m
fi
if [ ! -d "$work/tjs/node_modules/@huggingface/transformers" ]; then
  (cd "$work" && mkdir -p tjs && cd tjs && npm init -y >/dev/null && npm install @huggingface/transformers --ignore-scripts >/dev/null)
fi
cp "$root/vlm-operator/bench/peer.mjs" "$work/tjs/peer.mjs"
frame="$work/frame720.jpg"
java_args=(vlm bench --model "$model" --iterations 1 ${VLM_BENCH_ARGS:-})
split=true
if [ "$tiles" != "published" ]; then java_args+=(--max-tiles "$tiles"); split=false; fi
"$root/streamsight" "${java_args[@]}" --save-frame "$frame" | tee "$work/java.log"
(cd "$work/tjs" && node peer.mjs "$model" "$frame" 64 1 "$split") | tee "$work/peer.log"
