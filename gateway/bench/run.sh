#!/usr/bin/env bash
# Gateway overhead: n=1 faces through the gateway against straight to the sampler, 8 concurrent clients (wrk, Debian
# package `wrk`), rounds alternating so drift hits both alike. Starts its own local stack, a reference-size model,
# the sampler and the gateway (rate limit raised).  usage: gateway/bench/run.sh [ROUNDS]
#   (uses ports 19000, 19092-19093, 18080, 18083)
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source sampler-service/bench/stack.sh >/dev/null
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
for url in $direct $gateway $direct $gateway; do wrk -t2 -c8 -d20s -s $lua "$url" >/dev/null; done   # warm-up: on two busy cores the JIT needs a minute
for round in $(seq "$rounds"); do
  for target in "sampler direct:$direct" "through gateway:$gateway"; do
    wrk -t2 -c8 -d10s --latency -s $lua "${target#*:}" | awk -v label="${target%%:*} (round $round)" \
      '/^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2} END {printf "%-28s %6.0f requests/s  p50 %s  p99 %s\n", label, rps, p50, p99}'
  done
done
