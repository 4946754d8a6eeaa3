#!/usr/bin/env bash
# The GPU trainer, built as its image ships it (-Pgpu: TensorFlow's GPU natives + NVIDIA's CUDA/cuDNN redistributables):
# the libraries are present and load, the graph is placed on the GPU (device=gpu fails fast without one), G matches
# the CPU from the same seed, and one reference-size training step is timed on the device.
# usage: trainer-service/bench/gpu-smoke.sh [gpu|auto|cpu]   (needs ~4 GB of Maven downloads the first time)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -q -Pgpu -pl trainer-service -am install -DskipTests >/dev/null
mvn -q -Pgpu -pl trainer-service verify -Dtest=CudaLibrariesTest -Dsurefire.failIfNoSpecifiedTests=false \
  | grep -E "GPU build on|Tests run|FAIL" || true
cp=$(mvn -q -Pgpu -pl trainer-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1} java -Xmx4g -cp "trainer-service/target/test-classes:trainer-service/target/classes:$cp" \
  io.oshigan.trainer.bench.GpuSmoke "${1:-gpu}"
