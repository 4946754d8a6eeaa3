#!/usr/bin/env bash
# The PNG writer's own Huffman-only deflater against the JDK's zlib (Huffman-only and level 1) and ImageIO's whole
# writer, on a 64-face grid cut from the fixture sprites. usage: libs/imaging/bench/run.sh [fixtures/anime dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
mvn -q -pl libs/imaging test-compile >/dev/null
java -cp libs/imaging/target/test-classes:libs/imaging/target/classes io.oshigan.imaging.PngBenchmark \
  "${1:-$root/../shared/fixtures/anime}"
