#!/usr/bin/env bash
# Gateway overhead: sample requests through the gateway against straight to the sampler, 8 concurrent clients.
# Needs a running system with a model (e.g. ./oshigan run --demo, after the first checkpoint); pauses training
# while it measures, so the trainer does not share the CPU.  usage: gateway/bench/run.sh [API_KEY]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
key=${1:-$(cat .oshigan-data/api-key 2>/dev/null || true)}
mvn -q -pl gateway -am test-compile -DskipTests >/dev/null
cp="gateway/target/test-classes"
curl -fs -X POST -H "X-API-Key: $key" http://localhost:8080/api/training/pause >/dev/null
trap 'curl -fs -X POST -H "X-API-Key: $key" http://localhost:8080/api/training/resume >/dev/null' EXIT
sleep 3
for round in 1 2; do
  java -cp "$cp" io.oshigan.gateway.bench.GatewayLoad "sampler direct (round $round)" http://localhost:8083/api/v1/faces/
  java -cp "$cp" io.oshigan.gateway.bench.GatewayLoad "through gateway (round $round)" http://localhost:8080/api/faces/
done
