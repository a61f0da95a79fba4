#!/usr/bin/env bash
# Live-question benchmark (issue 18): the whole pipeline in one JVM with the shipped defaults
# (embedded broker, 16 cameras ingesting generated videos in real time, the sampler app, the
# operator on a local MiniCluster with the fixture model); a question every INTERVAL_MS to a random
# camera for SECONDS; prints question published -> answer readable p50/p99/max, the answers' frame
# age, their statuses and the model's own time, and where the time goes.
# Usage: deploy/cli/bench-ask.sh [SECONDS=90] [INTERVAL_MS=2000]
# Extra JVM flags (e.g. a JFR recording) go in BENCH_JAVA_OPTS. Run it alone on the machine
# (e.g. under flock /tmp/streamsight-mvn.lock): it is a latency measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."
# -am: the sibling modules come from this checkout (their target/classes), not from ~/.m2. Each
# module writes the classpath file in turn; deploy/cli is built last, so its list remains.
mvn -B -q -o -pl deploy/cli -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/deploy/cli/target/bench-ask.classpath"
# A private copy of the classes: other builds of the module must not pull them from under the run.
snap=$(mktemp -d)
trap 'rm -rf "$snap"' EXIT
cp -r deploy/cli/target/classes "$snap/classes"
cp -r deploy/cli/target/test-classes "$snap/test-classes"
java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile=streamsight-test-log4j2.xml \
  -cp "$snap/test-classes:$snap/classes:$(cat deploy/cli/target/bench-ask.classpath)" \
  io.streamsight.deploy.pipeline.AskBenchmark "${1:-90}" "${2:-2000}"
