#!/usr/bin/env bash
# The demo's time to faces, fp32 against bf16: `./oshigan run --demo` from an empty data directory, the whole system
# running as a user starts it, until the trainer writes the grid of epoch 9 (the one trainer-service/README.md says
# shows faces). Both precisions in each round, one after the other, each first in turn (the host's speed drifts within
# minutes, so each round's ratio is taken, then the median); the precision is set for the trainer and the sampler
# alike (on a CPU without bfloat16 units, where bf16 is emulated, nothing is timed). Also the training alone: the
# trainer's own clock from the grid of epoch 1 to that of epoch 9 (start-up, synthetic faces and the first epoch's
# JIT left out).
# usage: trainer-service/bench/demo.sh [ROUNDS]   (default 3; EPOCH=9 picks the grid; about 6 minutes a round)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rounds=${1:-3}
epoch=${EPOCH:-9}
limit=${LIMIT_SECONDS:-900}   # one run's limit: a demo slower than this is broken, not slow
((rounds >= 1 && epoch >= 2)) || { echo "ROUNDS must be at least 1 and EPOCH at least 2" >&2; exit 1; }
# every jar ./oshigan run starts, built before the clock runs
for jar in {gateway,crop-service,trainer-service,sampler-service}/target/quarkus-app/quarkus-run.jar \
           deploy/local/target/oshigan-local-stack.jar; do
  [[ -f $jar ]] || { mvn -q package -DskipTests; break; }
done
# bf16 without bfloat16 units is emulated, many times slower: nothing to time against the goal (issue 19's CPUs)
if ! grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo; then
  echo "no bfloat16 units on this CPU (AVX-512 BF16, AMX): the demo's bf16 would be emulated; not timed"
  exit 0
fi
# the bench's own ports: a running ./oshigan run (8080-8083, 9000, 9092) may stay up
ports=(--gateway-port 18280 --crop-port 18281 --trainer-port 18282 --sampler-port 18283 --kafka-port 19192
       --kafka-controller-port 19193 --s3-port 19100)
data=$(mktemp -d)
pid=
stop() {
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true   # ./oshigan run stops every process it started
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited++ < 600)); do sleep 0.1; done
  kill -KILL -- -"$pid" 2>/dev/null || true   # its process group (setsid below), if it hung stopping
  wait "$pid" 2>/dev/null || true
  pid=
}
trap 'stop; rm -rf "$data"' EXIT

# trainer log line -> its time of day in seconds
clock() { sed -n 's/^\[trainer\] \([0-9]*\):\([0-9]*\):\([0-9.]*\) .*/\1 \2 \3/p' | awk '{print $1 * 3600 + $2 * 60 + $3}'; }

# PRECISION ROUND: one run; sets total (seconds from the start to the grid) and train (from the grid of epoch 1 to it)
# in this shell, whose exit trap stops a run left going
one() {
  local name=$1-$2 start now log
  log=$data/$name.log
  start=$(date +%s.%N)
  OSHIGAN_TRAINER_RUN_PRECISION=$1 OSHIGAN_SAMPLER_PRECISION=$1 \
    setsid ./oshigan run --demo --data-dir "$data/$name" "${ports[@]}" >"$log" 2>&1 &
  pid=$!
  until grep -qsE "BatchStepper\] epoch $epoch done" "$log"; do
    now=$(date +%s.%N)
    if ! kill -0 "$pid" 2>/dev/null || awk -v a="$start" -v b="$now" -v l="$limit" 'BEGIN {exit !(b - a > l)}'; then
      echo "the $1 demo did not reach the grid of epoch $epoch (limit $limit s); its log ends:" >&2
      tail -30 "$log" >&2
      exit 1   # the exit trap stops it
    fi
    sleep 0.2
  done
  now=$(date +%s.%N)
  stop
  local first last
  first=$(grep -E "BatchStepper\] epoch 1 done" "$log" | clock)
  last=$(grep -E "BatchStepper\] epoch $epoch done" "$log" | clock)
  # what the arm computed (bf16 falls back to fp32 where TensorFlow computes it wrongly here): on the console
  grep -m1 -oE "trains on .* in (fp32|bf16)[^;]*" "$log" | sed "s/^/  $1 arm: trainer /" || true
  # a cascade the first run downloaded (a machine without ../shared/fixtures) serves the others
  if [[ -z ${OSHIGAN_CASCADE:-} && -f $data/$name/lbpcascade_animeface.xml ]]; then
    cp "$data/$name/lbpcascade_animeface.xml" "$data/cascade.xml"
    export OSHIGAN_CASCADE=$data/cascade.xml
  fi
  rm -rf "${data:?}/$name"
  total[$1]=$(awk -v a="$start" -v b="$now" 'BEGIN {printf "%.1f", b - a}')
  train[$1]=$(awk -v f="$first" -v l="$last" 'BEGIN {d = l - f; if (d < 0) d += 86400; printf "%.1f", d}')   # past midnight
}

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, bfloat16 units: $(grep -m1 -owE 'amx_bf16|avx512_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ' || true)"
echo "the demo (./oshigan run --demo, every service running) from start to the grid of epoch $epoch; in brackets the trainer's time from the grid of epoch 1 to it"
ratios=() train_ratios=()
for ((round = 1; round <= rounds; round++)); do
  order=(fp32 bf16)
  ((round % 2)) || order=(bf16 fp32)
  declare -A total=() train=()
  for precision in "${order[@]}"; do
    one "$precision" "$round"
  done
  ratio=$(awk -v a="${total[fp32]}" -v b="${total[bf16]}" 'BEGIN {printf "%.2f", a / b}')
  train_ratio=$(awk -v a="${train[fp32]}" -v b="${train[bf16]}" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$ratio") train_ratios+=("$train_ratio")
  echo "round $round: fp32 ${total[fp32]} s (${train[fp32]} s), bf16 ${total[bf16]} s (${train[bf16]} s): bf16 ${ratio}x faster (${train_ratio}x)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
echo "demo time to the grid of epoch $epoch, bf16 versus fp32: median $(median "${ratios[@]}")x (rounds ${ratios[*]}); training from epoch 1: median $(median "${train_ratios[@]}")x (rounds ${train_ratios[*]})"
