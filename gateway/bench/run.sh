#!/usr/bin/env bash
# Gateway overhead: n=1 faces through the gateway against straight to the sampler, 8 concurrent clients (wrk, Debian
# package `wrk`), rounds alternating so drift hits both alike. Starts its own local stack, a reference-size model,
# the sampler and the gateway (rate limit raised).  usage: gateway/bench/run.sh [ROUNDS]
#   (uses ports 19000, 19092-19093, 18080, 18083)
set -euo pipefail
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
rounds=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[[ -f gateway/target/quarkus-app/quarkus-run.jar && -f sampler-service/target/quarkus-app/quarkus-run.jar \
  && -f deploy/local/target/oshigan-local-stack.jar ]] || mvn -q package -DskipTests
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
TF_CPP_MIN_LOG_LEVEL=2 java -cp "$cp" io.oshigan.sampler.bench.BenchModel http://127.0.0.1:19000 >/dev/null 2>&1
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 OSHIGAN_S3_ENDPOINT=http://127.0.0.1:19000
TF_CPP_MIN_LOG_LEVEL=2 QUARKUS_HTTP_PORT=18083 OSHIGAN_SAMPLER_RUN=bench \
  java -Xmx1g -jar sampler-service/target/quarkus-app/quarkus-run.jar >"$data/sampler.log" 2>&1 &
pids+=($!)
QUARKUS_HTTP_PORT=18080 OSHIGAN_GATEWAY_SAMPLER_URL=http://127.0.0.1:18083 OSHIGAN_GATEWAY_SAMPLES_PER_MINUTE=100000000 \
  java -Xmx512m -jar gateway/target/quarkus-app/quarkus-run.jar >"$data/gateway.log" 2>&1 &
pids+=($!)
until curl -fs http://127.0.0.1:18083/q/health/ready >/dev/null && curl -fs http://127.0.0.1:18080/q/health/live >/dev/null; do
  sleep 0.5
done
lua="sampler-service/bench/seeds.lua"
direct=http://127.0.0.1:18083/api/v1/faces/
gateway=http://127.0.0.1:18080/api/faces/
for url in $direct $gateway; do wrk -t2 -c8 -d20s -s $lua "$url" >/dev/null; done   # warm-up: the JIT compiles for about that long
for round in $(seq "$rounds"); do
  for target in "sampler direct:$direct" "through gateway:$gateway"; do
    wrk -t2 -c8 -d10s --latency -s $lua "${target#*:}" | awk -v label="${target%%:*} (round $round)" \
      '/^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2} END {printf "%-28s %6.0f requests/s  p50 %s  p99 %s\n", label, rps, p50, p99}'
  done
done
