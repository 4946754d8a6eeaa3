#!/usr/bin/env bash
# Crop throughput, Java service pipeline against the reference in Python (Debian python3-opencv), same files, same machine.
# usage: crop-service/bench/run.sh [ROUNDS] [IMAGE...]   (defaults: 40 rounds of the five fixture sprites)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixtures=${OSHIGAN_FIXTURES:-$root/../shared/fixtures}
rounds=${1:-40}
shift || true
images=("$@")
((${#images[@]})) || images=("$fixtures"/anime/*.png)
cascade=${OSHIGAN_CASCADE:-$fixtures/lbpcascade_animeface.xml}

cd "$root"
# installed, not just compiled: the classpath below resolves the sibling libraries from the local repository
mvn -q -pl crop-service -am install -DskipTests >/dev/null
cp=$(mvn -q -pl crop-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
java -cp "crop-service/target/test-classes:crop-service/target/classes:$cp" io.oshigan.crop.bench.CropBenchmark \
  "$cascade" "$rounds" "${images[@]}"
/usr/bin/python3 "$here/crop_reference.py" "$cascade" "${images[@]}" --rounds "$rounds"
