#!/usr/bin/env bash
# `streamsight summarize VIDEO --model DIR` side by side with the same video through the streaming
# pipeline (embedded broker + sampler + operator --local + ingest of the file as fast as it
# decodes), each in a fresh JVM, alternating which goes first; seconds of processing per minute of
# video, windows and summaries of each, and the ratio (SummarizeBenchmark, PipelineBenchmarkRun).
# Usage: deploy/cli/bench-summarize.sh [ROUNDS] [MODEL_DIR]
#   ROUNDS defaults to 2; MODEL_DIR to a random-weight model with SmolVLM-256M's sizes (written on
#   first use, like vlm-operator/bench/run.sh: `streamsight model fixture --dims smolvlm-256m`).
# The 60 s 720p video and the logs of each run are kept in BENCH_DIR (default target/summarize-bench).
# Needs /usr/bin/time. Run it alone (flock /tmp/streamsight-mvn.lock on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }
# -am: the sibling modules come from this checkout (their target/classes), not from ~/.m2.
mvn -B -q -o -pl deploy/cli -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/deploy/cli/target/bench.classpath"
# A private copy of the classes: other builds of the module must not pull them from under the run.
snap=$(mktemp -d)
trap 'rm -rf "$snap"' EXIT
cp -r deploy/cli/target/classes "$snap/classes"
cp -r deploy/cli/target/test-classes "$snap/test-classes"
# What ./streamsight sets for every command (the sentence-embedding model's native libraries).
export DJL_OFFLINE="${DJL_OFFLINE:-true}" RUST_FLAVOR="${RUST_FLAVOR:-cpu}"
# The heap is for writing the random model on first use; the measured JVMs are children of this one.
java -Xmx3g -Dlog4j2.configurationFile=streamsight-test-log4j2.xml \
  -cp "$snap/test-classes:$snap/classes:$(cat deploy/cli/target/bench.classpath)" \
  io.streamsight.deploy.bench.SummarizeBenchmark "${BENCH_DIR:-$PWD/target/summarize-bench}" \
  "${1:-2}" "${2:-$PWD/target/bench-models/smolvlm-256m-random}"
