# Sourced by the sampler and gateway benchmarks: builds what is missing, starts the local stack on ports 19000 and
# 19092-19093 and uploads a reference-size generator as bench@1 (bench_model times the bare in-process call).
# Leaves: $cp (the sampler's test classpath), $data (a scratch folder), $pids (to kill on exit), $launch (the
# ./oshigan options that reach this stack).
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
[[ -f sampler-service/target/quarkus-app/quarkus-run.jar && -f gateway/target/quarkus-app/quarkus-run.jar \
  && -f deploy/local/target/oshigan-local-stack.jar ]] || mvn -q package -DskipTests
# installed, not just compiled: the classpath below resolves the sibling libraries from the local repository
mvn -q -pl sampler-service -am install -DskipTests >/dev/null
cp=$(mvn -q -pl sampler-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
cp="sampler-service/target/test-classes:sampler-service/target/classes:$cp"
data=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

# every process through the launch definition users run (./oshigan stack and service), on the bench's own ports
launch=(--data-dir "$data" --kafka-port 19092 --kafka-controller-port 19093 --s3-port 19000)
./oshigan stack "${launch[@]}" >"$data/stack.log" 2>&1 &
pids+=($!)
until grep -q "ready in" "$data/stack.log"; do sleep 0.2; done
# the local stack's development credentials: the services have no default keys outside the dev and test profiles
export OSHIGAN_S3_ACCESS_KEY=oshigan OSHIGAN_S3_SECRET_KEY=oshigan-secret
# bench_model [INTRA_OP] [fp32|bf16] [--no-upload | --no-time] [--round N] [--as RUN --ngf N]: see BenchModel
bench_model() { TF_CPP_MIN_LOG_LEVEL=2 java -cp "$cp" io.oshigan.sampler.bench.BenchModel http://127.0.0.1:19000 "$@" 2>/dev/null; }
bench_model --no-time
