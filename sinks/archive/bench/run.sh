#!/usr/bin/env bash
# Archive benchmark: indexing rate with MiniLM embeddings, search p50/p99 over a large corpus,
# index size per million, RSS. See docs/benchmarks/archive.md.
# Usage: sinks/archive/bench/run.sh [SUMMARIES_FOR_RATE=5000] [CORPUS_DOCS=1000000]
# The corpus index is kept in target/archive-bench and reused by later runs (delete it to rebuild).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
work="$root/sinks/archive/target/archive-bench"
mkdir -p "$work"
cd "$root"
# One reactor run, so the class path names this checkout's modules, not older installed ones.
mvn -B -q -Dspotless.check.skip=true -DskipTests -pl sinks/archive -am package \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >&2
export DJL_OFFLINE="${DJL_OFFLINE:-true}" RUST_FLAVOR="${RUST_FLAVOR:-cpu}"
exec java -Xmx2g -cp "$root/sinks/archive/target/classes:$(cat "$work/classpath.txt")" \
  io.streamsight.archive.bench.ArchiveBenchmark "$work" "${1:-5000}" "${2:-1000000}"
