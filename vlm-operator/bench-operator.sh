#!/usr/bin/env bash
# Operator benchmark: engine alone vs the whole Flink job (windows/s), and live latency with the
# shipped defaults: 16 mostly static cameras with sparse events, first event frame -> alert readable
# and window end -> summary readable.
# Usage: vlm-operator/bench-operator.sh [WINDOWS_PER_CAMERA] [LATENCY_SECONDS] [ROUNDS]
# Extra JVM flags (e.g. a JFR recording) go in BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
# -am: the sibling modules come from this checkout (their target/classes), not from ~/.m2. Each
# module writes the classpath file in turn; the job module is built last, so its list remains.
mvn -B -q -o -pl vlm-operator/job -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/vlm-operator/job/target/bench.classpath"
# A private copy of the classes: other builds of the module must not pull them from under the run.
snap=$(mktemp -d)
trap 'rm -rf "$snap"' EXIT
cp -r vlm-operator/job/target/classes "$snap/classes"
cp -r vlm-operator/job/target/test-classes "$snap/test-classes"
java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile=streamsight-test-log4j2.xml \
  -cp "$snap/test-classes:$snap/classes:$(cat vlm-operator/job/target/bench.classpath)" \
  io.streamsight.vlm.operator.OperatorBenchmark "${1:-20}" "${2:-30}" "${3:-3}"
