#!/usr/bin/env bash
# Runs on a lent machine from the repository root, with the pieces pack.sh made carried one per call into .devpack
# (the machine stays warm 30 s between calls):
#   run.sh keep              copy this call's pieces to /tmp/pack (each call)
#   run.sh info              CPU, bfloat16 units, GPU, PyTorch; builds the FMA peak loop
#   run.sh unpack            join and unpack the pieces (after the last one came)
#   run.sh java THREADS      DcganBenchmark pinned to THREADS distinct cores (BENCH_OPTS: e.g. -Dbench.parts=reference)
#   run.sh torch cuda|THREADS   the reference loop in PyTorch on the GPU, or on THREADS distinct cores
set -uo pipefail
repo=$PWD
cores() { lscpu -p=CPU,CORE | grep -v '^#' | sort -t, -k2,2n -u | head -"$1" | cut -d, -f1 | paste -sd,; }
case $1 in
keep) mkdir -p /tmp/pack && cp .devpack/p? /tmp/pack/ && ls -l /tmp/pack ;;
info)
  grep -m1 'model name' /proc/cpuinfo; nproc
  grep -o -w 'amx_tile\|amx_bf16\|avx512_bf16\|avx512f' /proc/cpuinfo | sort | uniq -c
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1
  python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)' 2>&1
  gcc -O3 -march=native -fopenmp libs/dcgan/bench/fma_peak.c -o /tmp/fma_peak ;;
unpack)
  cd /tmp/pack && cat p? | tar x && xz -dc rest.tar.xz | tar x
  d=natives/org/tensorflow/internal/c_api/linux-x86_64
  xz -dc -T0 libtensorflow_cc.so.2.xz >$d/libtensorflow_cc.so.2 && xz -dc libtensorflow_framework.so.2.xz >$d/libtensorflow_framework.so.2
  ls -l $d ;;
java)
  cpus=$(cores "$2"); echo "pinned to cpus $cpus"
  peak=$([[ -x /tmp/fma_peak ]] && taskset -c "$cpus" /tmp/fma_peak "$2" | sed -E 's/.*, ([0-9.]+) GFLOP.*/\1/')
  cd /tmp/pack && cp="classes/test:classes/main:natives:$(ls lib/*.jar | tr '\n' ':')"
  TF_CPP_MIN_LOG_LEVEL=2 taskset -c "$cpus" jre/bin/java -Xmx2g ${BENCH_OPTS:-} -cp "$cp" io.oshigan.dcgan.bench.DcganBenchmark "$2" $peak ;;
torch)
  cd libs/dcgan/bench
  if [[ $2 == cuda ]]; then PYTHONUNBUFFERED=1 python3 torch_reference.py 16 cuda
  else PYTHONUNBUFFERED=1 taskset -c "$(cores "$2")" python3 torch_reference.py "$2" cpu fp32,bf16; fi ;;
*) sed -n 2,9p "$0"; exit 2 ;;
esac
