#!/usr/bin/env bash
# Sampler throughput and latency over HTTP against the bare in-process call, with dynamic batching on and off, in
# several settings that shift the balance of inference and HTTP cost the way another CPU would: intra-op threads 1
# and 2, oneDNN on and off (TF_ENABLE_ONEDNN_OPTS), fp32 and bf16 serving. The HTTP load comes from wrk (Debian
# package `wrk`): a JVM load generator took as much of the two cores as the server and doubled its latencies.
# usage: sampler-service/bench/run.sh [SETTING...]   SETTING = intra/onednn/precision, e.g. 2/1/fp32 (default: all 8)
#        SECONDS_EACH=10 sets each measured run's length (default 6; each follows as long of the same load)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BENCH_MODEL_LATER=1 source sampler-service/bench/stack.sh
each=${SECONDS_EACH:-6}
settings=("$@")
[[ ${#settings[@]} -gt 0 ]] || settings=(2/1/fp32 1/1/fp32 2/0/fp32 1/0/fp32 2/1/bf16 1/1/bf16 2/0/bf16 1/0/bf16)

# wrk's report -> one line: images/s, mean, p50, p99. With one client the rate is images per mean latency: wrk's
# count over a fixed window drops the request in flight at its end (one grid in three at 2 s a grid)
summary() {
  awk -v label="$1" -v per="$2" -v clients="$3" '
    function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /s$/ ? v * 1000 : v }
    /^ *Latency +[0-9]/{mean=$2} /^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2}
    END {rate = clients == 1 && ms(mean) > 0 ? per * 1000 / ms(mean) : rps * per
         printf "  %-32s %7.0f images/s  mean %s  p50 %s  p99 %s\n", label, rate, mean, p50, p99}'
}

for setting in "${settings[@]}"; do
  IFS=/ read -r intra onednn precision <<<"$setting"
  echo "setting: intra-op $intra, oneDNN $onednn, $precision"
  export TF_ENABLE_ONEDNN_OPTS=$onednn
  bench_model "$intra" "$precision"
  for batching in true false; do
    port=$([[ $batching == true ]] && echo 18083 || echo 18084)
    TF_CPP_MIN_LOG_LEVEL=2 OSHIGAN_SAMPLER_RUN=bench OSHIGAN_SAMPLER_BATCHING_ENABLED=$batching \
      OSHIGAN_SAMPLER_THREADS_INTRA_OP="$intra" OSHIGAN_SAMPLER_PRECISION="$precision" \
      ./oshigan service sampler-service "${launch[@]}" --sampler-port "$port" >"$data/sampler-$batching.log" 2>&1 &
    pids+=($!)
    until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.5; done
    url="http://127.0.0.1:$port/api/v1/faces/"
    echo "sampler, dynamic batching $batching:"
    wrk -t1 -c1 -d5s -s sampler-service/bench/grid.lua "$url" >/dev/null   # warm-up: the JIT, and the heap grown
    wrk -t2 -c16 -d10s -s sampler-service/bench/seeds.lua "$url" >/dev/null
    # each measured run follows as long of the same load: on two cores shared with wrk, the JIT and the batcher's
    # rhythm settle per load shape, and the first seconds after a change of shape decide the p99 otherwise
    measure() { wrk --timeout 30s "$@" >/dev/null; wrk --timeout 30s --latency "$@"; }
    measure -t1 -c1 -d${each}s -s sampler-service/bench/grid.lua "$url" | summary "HTTP grid n=64 (PNG), 1 client" 64 1
    measure -t1 -c1 -d${each}s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 1 client" 1 1
    measure -t2 -c8 -d${each}s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 8 clients" 1 8
    measure -t2 -c16 -d${each}s -s sampler-service/bench/seeds.lua "$url" | summary "n=1, 16 clients" 1 16
    if [[ $batching == true ]]; then   # what the batcher decided, from its metrics
      curl -fs "http://127.0.0.1:$port/q/metrics" | awk '
        /^oshigan_sampler_batch_size_sum /{s=$2} /^oshigan_sampler_batch_size_count /{c=$2}
        /^oshigan_sampler_batch_wait_seconds_sum /{ws=$2} /^oshigan_sampler_batch_wait_seconds_count /{wc=$2}
        /^oshigan_sampler_batch_fixed_cost_seconds /{f=$2} /^oshigan_sampler_batch_image_cost_seconds /{i=$2}
        /^oshigan_sampler_batch_workers /{w=$2}
        END {printf "  batcher: mean batch %.1f, mean wait %.2f ms, fitted run cost %.2f ms + %.2f ms/image, %d worker(s)\n",
             s / c, 1000 * ws / (wc ? wc : 1), 1000 * f, 1000 * i, w}'
    fi
    kill "${pids[-1]}"
    wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
  done
done
