#!/usr/bin/env bash
# Gateway overhead: n=1 faces through the gateway against straight to the sampler, 8 concurrent clients (wrk, Debian
# package `wrk`), rounds alternating so drift hits both alike. Starts its own local stack, a reference-size model,
# the sampler and the gateway (rate limit raised). Each round also shows where the cores went (CPU per request of the
# gateway and the sampler, from /proc) and the sampler's mean batch; the last line is the overhead over all rounds.
#   usage: gateway/bench/run.sh [ROUNDS]
#   (uses ports 19000, 19092-19093, 18080, 18083)
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source sampler-service/bench/stack.sh >/dev/null
launch+=(--sampler-port 18083 --gateway-port 18080)
TF_CPP_MIN_LOG_LEVEL=2 OSHIGAN_SAMPLER_RUN=bench \
  ./oshigan service sampler-service "${launch[@]}" >"$data/sampler.log" 2>&1 &
pids+=($!)
sampler_pid=$!
OSHIGAN_GATEWAY_SAMPLES_PER_MINUTE=100000000 JAVA_OPTS=-Xmx512m \
  ./oshigan service gateway "${launch[@]}" >"$data/gateway.log" 2>&1 &
pids+=($!)
gateway_pid=$!
until curl -fs http://127.0.0.1:18083/q/health/ready >/dev/null && curl -fs http://127.0.0.1:18080/q/health/live >/dev/null; do
  sleep 0.5
done
lua="sampler-service/bench/seeds.lua"
direct=http://127.0.0.1:18083/api/v1/faces/
gateway=http://127.0.0.1:18080/api/faces/
# warm-up: on two busy cores the JIT takes minutes (after 80 s the gateway still spent 174 us a request, 102 after 200)
for url in $direct $gateway $direct $gateway $direct $gateway $direct $gateway; do
  wrk -t2 -c8 -d20s -s $lua "$url" >/dev/null
done
# where the cores go: CPU of each process (utime + stime from /proc, in clock ticks) and the sampler's batch sizes
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
batches() { curl -s http://127.0.0.1:18083/q/metrics | awk '/^oshigan_sampler_batch_size_(count|sum)/{printf "%s ", $2}'; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
for round in $(seq "$rounds"); do
  for target in "sampler direct:$direct" "through gateway:$gateway"; do
    read -r count0 sum0 <<<"$(batches)"
    gateway0=$(cpu_ticks $gateway_pid) sampler0=$(cpu_ticks $sampler_pid)
    result=$(wrk -t2 -c8 -d10s --latency -s $lua "${target#*:}")
    gateway1=$(cpu_ticks $gateway_pid) sampler1=$(cpu_ticks $sampler_pid)
    read -r count1 sum1 <<<"$(batches)"
    echo "$result" | awk -v label="${target%%:*} (round $round)" -v tick=$tick_us \
      -v gateway=$((gateway1 - gateway0)) -v sampler=$((sampler1 - sampler0)) \
      -v count0="$count0" -v sum0="$sum0" -v count1="$count1" -v sum1="$sum1" \
      '/requests in/{requests=$1} /^ *50%/{p50=$2} /^ *99%/{p99=$2} /^Requests\/sec/{rps=$2}
       END {printf "%-28s %6.0f requests/s  p50 %s  p99 %s  CPU/request: gateway %3.0f us, sampler %4.0f us  mean batch %.2f\n",
            label, rps, p50, p99, gateway * tick / requests, sampler * tick / requests, (sum1 - sum0) / (count1 - count0)}' | tee -a "$data/rounds"
  done
done
awk 'function ms(t) { return t ~ /us$/ ? t / 1000 : t ~ /ms$/ ? t + 0 : t * 1000 }
     /^sampler direct/{d += $5; dp += ms($10); n++} /^through gateway/{g += $5; gp += ms($10)}
     END {printf "overhead %.1f%% of the direct requests/s, p99 %+.1f ms (means of %d rounds)\n", 100 * (1 - g / d), (gp - dp) / n, n}' \
  "$data/rounds"
