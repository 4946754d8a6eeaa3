#!/usr/bin/env bash
# Packs libs/dcgan's benchmark for a machine lent with an accelerator (the device tool), which has no Java and carries
# at most 64 MiB of working tree a call: a jlinked JRE, the benchmark's classpath and TensorFlow Java's CPU natives
# (stripped, xz: 632 MB of libtensorflow_cc.so.2 become about 75 MB), tarred and split into two pieces of about 56 MB.
# usage: libs/dcgan/bench/lent/pack.sh [OUT]   (OUT: .devpack, which .gitignore names; needs jlink, xz,
#        binutils' strip; about 6 minutes on 2 cores, mostly xz). Then see run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
out=${1:-$root/.devpack}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
mvn -q -pl libs/dcgan -am install -DskipTests >/dev/null
cp=$(mvn -q -pl libs/dcgan dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | sed "s/\x1b\[[0-9;]*m//g")
mkdir -p "$work/pack/lib" "$work/pack/classes" "$work/natives"
natives=""
for jar in ${cp//:/ }; do
  case $jar in
    *tensorflow-core-native-*-linux-x86_64.jar) natives=$jar ;;
    *junit* | *assertj* | *opentest4j* | *apiguardian* | *byte-buddy*) ;; # test tools the benchmark does not load
    *) cp "$jar" "$work/pack/lib/" ;;
  esac
done
[[ -n $natives ]] || { echo "no linux-x86_64 natives jar on the classpath" >&2; exit 1; }
cp -r libs/dcgan/target/classes "$work/pack/classes/main"
mkdir -p "$work/pack/classes/test/io/oshigan/dcgan"
cp -r libs/dcgan/target/test-classes/io/oshigan/dcgan/bench "$work/pack/classes/test/io/oshigan/dcgan/"
jlink --add-modules java.base,java.datatransfer,java.xml,java.prefs,java.desktop,java.instrument,java.logging,java.management,java.transaction.xa,java.sql,jdk.management,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --output "$work/pack/jre"
find "$work/pack/jre" -name '*.so' -exec strip --strip-unneeded {} +
(cd "$work/natives" && unzip -q "$natives" 'org/tensorflow/internal/c_api/linux-x86_64/*')
dir=org/tensorflow/internal/c_api/linux-x86_64
mkdir -p "$work/pack/natives/$dir"
cp "$work/natives/$dir/libjnitensorflow.so" "$work/pack/natives/$dir/"
for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do # debug symbols out, then xz: they travel alone
  strip --strip-unneeded -o "$work/$lib" "$work/natives/$dir/$lib"
  xz -9e -T2 -c "$work/$lib" >"$work/$lib.xz"
done
(cd "$work/pack" && tar c . | xz -9e -T2 >"$work/rest.tar.xz")
(cd "$work" && tar cf pack.tar rest.tar.xz libtensorflow_cc.so.2.xz libtensorflow_framework.so.2.xz)
mkdir -p "$out"
rm -f "$out"/p?
split -n 2 -a 1 "$work/pack.tar" "$out/p"
cp "$here/run.sh" "$out/run.sh"
ls -l "$out"
