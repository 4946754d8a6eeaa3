#!/usr/bin/env bash
# The PNG writer's own Huffman-only deflater against the JDK's zlib (Huffman-only and level 1) and ImageIO's whole
# writer, on a 64-face grid cut from the fixture sprites. usage: libs/imaging/bench/run.sh [fixtures/anime dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
mvn -q -pl libs/imaging test-compile >/dev/null
# The heap as the sampler's is once it has served a while: 1 GB, 16 MB regions, every page already touched. A JVM of
# default size takes every new array from memory never touched before: on a virtual machine whose page faults are
# slow that cost more than the writing (the filter: 6-9 ms of page faults against 1.2-1.3 ms, 1.85 MB a grid), a cost
# the sampler pays only in its first minutes, when its young generation is first filled
java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:G1HeapRegionSize=16m \
  -cp libs/imaging/target/test-classes:libs/imaging/target/classes io.oshigan.imaging.PngBenchmark \
  "${1:-$root/../shared/fixtures/anime}"
