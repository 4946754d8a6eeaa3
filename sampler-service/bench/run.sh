#!/usr/bin/env bash
# Sampler throughput and latency over HTTP against the bare in-process call, with dynamic batching on and off.
# usage: sampler-service/bench/run.sh      (uses ports 19000, 19092-19093, 18083-18084)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[[ -f sampler-service/target/quarkus-app/quarkus-run.jar && -f deploy/local/target/oshigan-local-stack.jar ]] || mvn -q package -DskipTests
mvn -q -pl sampler-service -am test-compile -DskipTests >/dev/null
cp=$(mvn -q -pl sampler-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
cp="sampler-service/target/test-classes:sampler-service/target/classes:$cp"
data=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

java -jar deploy/local/target/oshigan-local-stack.jar --data-dir "$data/stack" --kafka-port 19092 \
  --kafka-controller-port 19093 --s3-port 19000 >"$data/stack.log" 2>&1 &
pids+=($!)
until grep -q "ready in" "$data/stack.log"; do sleep 0.2; done
TF_CPP_MIN_LOG_LEVEL=2 java -cp "$cp" io.oshigan.sampler.bench.BenchModel http://127.0.0.1:19000 2>/dev/null

for batching in true false; do
  port=$([[ $batching == true ]] && echo 18083 || echo 18084)
  TF_CPP_MIN_LOG_LEVEL=2 QUARKUS_HTTP_PORT=$port KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 \
    OSHIGAN_S3_ENDPOINT=http://127.0.0.1:19000 OSHIGAN_SAMPLER_RUN=bench OSHIGAN_SAMPLER_BATCHING_ENABLED=$batching OSHIGAN_SAMPLER_BATCHING_MAX_DELAY_MS=${MAX_DELAY_MS:-2} \
    java -Xmx1g -jar sampler-service/target/quarkus-app/quarkus-run.jar >"$data/sampler-$batching.log" 2>&1 &
  pids+=($!)
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done
  echo "sampler, dynamic batching $batching:"
  java -cp "$cp" io.oshigan.sampler.bench.SamplerLoad "http://127.0.0.1:$port"
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
done
