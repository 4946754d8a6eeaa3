#!/usr/bin/env bash
# DCGAN speed on this machine: the FP32 peak (FMA loop), TensorFlow Java (libs/dcgan) and the reference in PyTorch.
# usage: libs/dcgan/bench/run.sh [threads]     needs gcc, and python3-torch with libopenblas0-openmp (Debian)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
threads=${1:-$(nproc)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

gcc -O3 -march=native -fopenmp "$here/fma_peak.c" -o "$out/fma_peak"
peak_line=$("$out/fma_peak" "$([[ $threads == 0 ]] && nproc || echo "$threads")")
echo "$peak_line"
peak=$(sed -E 's/.*, ([0-9.]+) GFLOP.*/\1/' <<<"$peak_line")

cd "$root"
# installed, not just compiled: the classpath below resolves the sibling libraries from the local repository
mvn -q -pl libs/dcgan -am install -DskipTests >/dev/null
cp=$(mvn -q -pl libs/dcgan dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
TF_CPP_MIN_LOG_LEVEL=2 java -Xmx2g -cp "libs/dcgan/target/test-classes:libs/dcgan/target/classes:$cp" \
  io.oshigan.dcgan.bench.DcganBenchmark "$threads" "$peak"
/usr/bin/python3 "$here/torch_reference.py" "$threads"
