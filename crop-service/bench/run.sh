#!/usr/bin/env bash
# Crop throughput, Java service pipeline against the reference in Python (Debian python3-opencv), same files, same machine;
# then the pipeline's native memory a pixel.
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
# native memory a pixel at its peak (PixelBudget.NATIVE_BYTES_PER_PIXEL sizes the pixel budget from it): one JVM an
# image, its heap committed up front so that only native memory grows
for side in 4000 6000; do
  java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "crop-service/target/test-classes:crop-service/target/classes:$cp" \
    io.oshigan.crop.bench.NativeMemoryBenchmark "$cascade" "$side"
done
