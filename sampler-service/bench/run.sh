#!/usr/bin/env bash
# Sampler throughput and latency over HTTP against the bare in-process call, with dynamic batching on and off, in
# several settings that shift the balance of inference and HTTP cost the way another CPU would: intra-op threads 1
# and 2, oneDNN on and off (TF_ENABLE_ONEDNN_OPTS), fp32 and bf16 serving. The HTTP load comes from wrk (Debian
# package `wrk`): a JVM load generator took as much of the two cores as the server and doubled its latencies.
# Both samplers (batching on and off) run at once and are measured back to back, each first in turn, over rounds, each
# line the median of the rounds with each round's figure, and each round begins by timing the in-process call: the host's speed drifts by up
# to 1.5x within minutes, and a ratio of runs made minutes apart measured that (deploy/e2e/bench/report.py takes each
# ratio within a round, against the in-process call timed before and after the round's loads, then the median over the
# rounds). A third sampler serving a generator of next to no cost
# measures the HTTP path alone, the other term of the goals' bounds, in each round too.
# usage: sampler-service/bench/run.sh [SETTING...]   SETTING = intra/onednn/precision, e.g. 2/1/fp32 (default: all 8)
#        SECONDS_EACH=6 sets each measured run's length (default 4, and for the grid long enough for 10 grids at the
#        in-process call's speed; each follows as long of the same load)
#        ROUNDS=5 sets the rounds (default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source sampler-service/bench/stack.sh
each=${SECONDS_EACH:-4}
GRID_RUNS=10
rounds=${ROUNDS:-3}
((rounds >= 1)) || { echo "ROUNDS must be at least 1" >&2; exit 1; }
settings=("$@")
[[ ${#settings[@]} -gt 0 ]] || settings=(2/1/fp32 1/1/fp32 2/0/fp32 1/0/fp32 2/1/bf16 1/1/bf16 2/0/bf16 1/0/bf16)

# wrk's report -> "images/s mean p50 p99" (ms). With one client the rate is images per mean latency: wrk's count over
# a fixed window drops the request in flight at its end (one grid in three at 2 s a grid)
numbers() {
  awk -v per="$1" -v clients="$2" '
    function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /s$/ ? v * 1000 : v }
    /^ *Latency +[0-9]/{mean=$2} /^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2}
    END {rate = clients == 1 && ms(mean) > 0 ? per * 1000 / ms(mean) : rps * per
         printf "%.1f %.3f %.3f %.3f\n", rate, ms(mean), ms(p50), ms(p99)}'
}

# LABEL FILE (one line of numbers a round) -> the median of each column, and each round's rate and p99
median() {
  python3 - "$1" "$2" <<'PY'
import statistics, sys
label, path = sys.argv[1:]
rows = [[float(x) for x in line.split()] for line in open(path)]
rate, mean, p50, p99 = (statistics.median(column) for column in zip(*rows))
rates, p99s = " ".join(f"{r[0]:.0f}" for r in rows), " ".join(f"{r[3]:.1f}" for r in rows)
print(f"  {label:<32} {rate:7.0f} images/s  mean {mean:.2f}ms  p50 {p50:.2f}ms  p99 {p99:.2f}ms"
      f"  (rounds: {rates} images/s, p99 {p99s} ms)")
PY
}

# SAMPLER LOAD...: the median line of each load that sampler (true, false, http) served in the rounds
medians() {
  local key label load
  for load in "${@:2}"; do
    IFS=: read -r key label _ <<<"$load"
    median "$label" "$data/round-$1-$key"
  done
}

# NAME PORT [ENV=VALUE...]: a packaged sampler on PORT, ready and warmed up (the JIT, the heap grown)
start_sampler() {
  local name=$1 port=$2
  env "${@:3}" TF_CPP_MIN_LOG_LEVEL=2 ./oshigan service sampler-service "${launch[@]}" --sampler-port "$port" \
    >"$data/sampler-$name.log" 2>&1 &
  pids+=($!)
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "the sampler did not start:" >&2; tail -20 "$data/sampler-$name.log" >&2; exit 1; }
    sleep 0.5
  done
  wrk -t1 -c1 -d5s -s sampler-service/bench/grid.lua "http://127.0.0.1:$port/api/v1/faces/" >/dev/null
  wrk -t2 -c16 -d10s -s sampler-service/bench/seeds.lua "http://127.0.0.1:$port/api/v1/faces/" >/dev/null
}

# PORT LOAD FILE [SECONDS]: one measured run of LOAD (an entry of $loads) appended to FILE, after as long of the same
# load: on two cores shared with wrk, the JIT and the batcher's rhythm settle per load shape, and the first seconds
# after a change of shape decide the p99 otherwise
measure() {
  local key label options per clients seconds=${4:-$each}
  IFS=: read -r key label options per clients <<<"$2"
  # shellcheck disable=SC2086
  wrk --timeout 30s $options -d${seconds}s "http://127.0.0.1:$1/api/v1/faces/" >/dev/null
  # shellcheck disable=SC2086
  wrk --timeout 30s --latency $options -d${seconds}s "http://127.0.0.1:$1/api/v1/faces/" | numbers "$per" "$clients" >>"$3"
}

declare -A ports=([true]=18083 [false]=18084 [http]=18085)   # the sampler with batching on, off, and the HTTP path alone
loads=("grid:HTTP grid n=64 (PNG), 1 client:-t1 -c1 -s sampler-service/bench/grid.lua:64:1"
       "one:n=1, 1 client:-t1 -c1 -s sampler-service/bench/seeds.lua:1:1"
       "eight:n=1, 8 clients:-t2 -c8 -s sampler-service/bench/seeds.lua:1:8"
       "sixteen:n=1, 16 clients:-t2 -c16 -s sampler-service/bench/seeds.lua:1:16")
http_loads=("${loads[2]}" "${loads[3]}")

# The HTTP path's own cost, for the goals' bounds: a sampler serving a generator so narrow (ngf 1: 8 to 1 channels)
# that a run costs next to nothing, so what its requests cost is the HTTP path (Vert.x, the resource, a face's PNG,
# wrk) plus a session run's fixed cost. One for all settings: batching off, one intra-op thread
bench_model --no-time --as bench-http --ngf 1
start_sampler http "${ports[http]}" TF_ENABLE_ONEDNN_OPTS=1 OSHIGAN_SAMPLER_RUN=bench-http OSHIGAN_SAMPLER_BATCHING_ENABLED=false \
  OSHIGAN_SAMPLER_THREADS_INTRA_OP=1
samplers=${#pids[@]}

for setting in "${settings[@]}"; do
  IFS=/ read -r intra onednn precision <<<"$setting"
  echo "setting: intra-op $intra, oneDNN $onednn, $precision"
  export TF_ENABLE_ONEDNN_OPTS=$onednn
  for batching in true false; do
    start_sampler "$batching" "${ports[$batching]}" OSHIGAN_SAMPLER_RUN=bench OSHIGAN_SAMPLER_BATCHING_ENABLED=$batching \
      OSHIGAN_SAMPLER_THREADS_INTRA_OP="$intra" OSHIGAN_SAMPLER_PRECISION="$precision"
  done
  rm -f "$data"/round-*
  for ((round = 1; round <= rounds; round++)); do
    # the references first: the in-process call (in a JVM of its own, the samplers idle) and the HTTP path alone
    bench_model "$intra" "$precision" --no-upload --round "$round" | tee "$data/in-process"
    # a grid's run long enough for at least $GRID_RUNS grids: an emulated bf16 grid takes over a second, and 4 s of
    # them were 3 grids, one slow one its p99
    grid_seconds=$(sed -n 's/.*n=64 (round [0-9]*): median \([0-9.]*\) ms.*/\1/p' "$data/in-process" \
      | awk -v each="$each" -v runs="$GRID_RUNS" '{s = int(runs * $1 / 1000 + 0.999)} END {print (s > each ? s : each)}')
    for load in "${http_loads[@]}"; do
      measure "${ports[http]}" "$load" "$data/round-http-${load%%:*}"
    done
    for load in "${loads[@]}"; do   # on and off back to back for each load: they see the same host speed
      order=(true false)
      ((round % 2)) || order=(false true)   # and each first in turn
      for batching in "${order[@]}"; do
        seconds=$each
        [[ ${load%%:*} == grid ]] && seconds=$grid_seconds
        measure "${ports[$batching]}" "$load" "$data/round-$batching-${load%%:*}" "$seconds"
      done
    done
    # and again after them: the goals take each round's reference as the mean of both, which is the reference at the
    # loads' own moment where the host's speed drifts evenly through the round (2-3 minutes)
    bench_model "$intra" "$precision" --no-upload --round "$round, after the loads"
  done
  for batching in true false; do
    port=${ports[$batching]}
    echo "sampler, dynamic batching $batching:"
    medians "$batching" "${loads[@]}"
    if [[ $batching == true ]]; then   # what the batcher decided, from its metrics
      curl -fs "http://127.0.0.1:$port/q/metrics" | awk '
        /^oshigan_sampler_batch_size_sum /{s=$2} /^oshigan_sampler_batch_size_count /{c=$2}
        /^oshigan_sampler_batch_wait_seconds_sum /{ws=$2} /^oshigan_sampler_batch_wait_seconds_count /{wc=$2}
        /^oshigan_sampler_batch_fixed_cost_seconds /{f=$2} /^oshigan_sampler_batch_image_cost_seconds /{i=$2}
        /^oshigan_sampler_batch_workers /{w=$2} /^oshigan_sampler_batch_alone_total /{a=$2}
        END {printf "  batcher: mean batch %.1f, mean wait %.2f ms, fitted run cost %.2f ms + %.2f ms/image, %d worker(s), %d request(s) alone\n",
             s / c, 1000 * ws / (wc ? wc : 1), 1000 * f, 1000 * i, w, a}'
      grep -ho 'one image [0-9.]* ms, [0-9]* at once.*' "$data/sampler-true.log" 2>/dev/null | tail -1 | sed 's/^/  at load: /' || true
    fi
  done
  echo "HTTP path alone (a sampler serving a generator of ngf 1, batching off):"
  medians http "${http_loads[@]}"
  kill "${pids[@]:samplers}" 2>/dev/null || true
  wait "${pids[@]:samplers}" 2>/dev/null || true
  pids=("${pids[@]:0:samplers}")
done
