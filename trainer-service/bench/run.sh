#!/usr/bin/env bash
# Trainer throughput (data pipeline included) against the bare libs/dcgan step, reference-size model.
# usage: trainer-service/bench/run.sh [batches]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# installed, not just compiled: the classpath below resolves the sibling libraries from the local repository
mvn -q -pl trainer-service -am install -DskipTests >/dev/null
cp=$(mvn -q -pl trainer-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
TF_CPP_MIN_LOG_LEVEL=2 java -Xmx3g -cp "trainer-service/target/test-classes:trainer-service/target/classes:$cp" \
  io.oshigan.trainer.bench.TrainerBenchmark "${1:-6}"
