#!/usr/bin/env bash
# Sampler throughput and latency over HTTP against the bare in-process call, with dynamic batching on and off.
# The HTTP load comes from wrk (Debian package `wrk`): a JVM load generator took as much of the two cores as the
# server and doubled the latencies it reported.
# usage: sampler-service/bench/run.sh      (uses ports 19000, 19092-19093, 18083-18084)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source sampler-service/bench/stack.sh

# wrk's report -> one line: images/s, mean, p50, p99
summary() {
  awk -v label="$1" -v per="$2" '/^ *Latency +[0-9]/{mean=$2} /^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2}
    END {printf "  %-32s %7.0f images/s  mean %s  p50 %s  p99 %s\n", label, rps * per, mean, p50, p99}'
}

for batching in true false; do
  port=$([[ $batching == true ]] && echo 18083 || echo 18084)
  TF_CPP_MIN_LOG_LEVEL=2 OSHIGAN_SAMPLER_RUN=bench OSHIGAN_SAMPLER_BATCHING_ENABLED=$batching \
    OSHIGAN_SAMPLER_BATCHING_MAX_DELAY_MS=${MAX_DELAY_MS:-2} \
    ./oshigan service sampler-service "${launch[@]}" --sampler-port "$port" >"$data/sampler-$batching.log" 2>&1 &
  pids+=($!)
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done
  url="http://127.0.0.1:$port/api/v1/faces/"
  echo "sampler, dynamic batching $batching:"
  wrk -t1 -c1 -d10s -s sampler-service/bench/grid.lua "$url" >/dev/null   # warm-up: the JIT, and the heap grown
  wrk -t2 -c16 -d20s -s sampler-service/bench/seeds.lua "$url" >/dev/null
  # each measured run follows 10 s of the same load: on two cores shared with wrk, the JIT and the batcher's rhythm
  # settle per load shape, and the first seconds after a change of shape decide the p99 otherwise
  measure() { wrk "$@" >/dev/null; wrk --latency "$@"; }
  measure -t1 -c1 -d10s -s sampler-service/bench/grid.lua "$url" | summary "HTTP grid n=64 (PNG), 1 client" 64
  measure -t1 -c1 -d10s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 1 client" 1
  measure -t2 -c8 -d10s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 8 clients" 1
  measure -t2 -c16 -d10s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 16 clients" 1
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
done
