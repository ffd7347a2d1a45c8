#!/usr/bin/env bash
# Fits layer 1 on the 60,000 Fashion-MNIST training images with 1,024 atoms inside a 2 GB heap
# and a capped off-heap (JavaCPP) budget, and reports the peak resident memory of the whole JVM
# (GNU time's "Maximum resident set size"). Builds the bench module first (mvn -P bench).
# Environment (defaults in brackets): FOLDER [/usr/share/datasets/fashion-mnist], ATOMS [1024],
# LAMBDA [0.5], MAX_SAMPLES [20000], EPOCHS [1], HEAP [2g], OFFHEAP [1536m], PHYSICAL [3g].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
folder="${FOLDER:-/usr/share/datasets/fashion-mnist}"
if [ ! -d "$folder" ]; then
  echo "fashion-memory: $folder not found (Debian package dataset-fashion-mnist)" >&2
  exit 2
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -Dstyle.color=never -P bench -pl bench -am package -Dmaven.test.skip=true >&2
fi
source "$root/bench/java-env.sh"
report="$(mktemp)"
/usr/bin/time -v -o "$report" java -Xmx"${HEAP:-2g}" \
  -Dorg.bytedeco.javacpp.maxbytes="${OFFHEAP:-1536m}" -Dorg.bytedeco.javacpp.maxphysicalbytes="${PHYSICAL:-3g}" \
  --add-modules jdk.incubator.vector -cp "$root/bench/target/benchmarks.jar" org.glassbox.bench.FashionMemoryMain "$folder" "${ATOMS:-1024}" \
  "${LAMBDA:-0.5}" "${MAX_SAMPLES:-20000}" "${EPOCHS:-1}"
grep -E "Maximum resident set size|Elapsed \(wall clock\)|Exit status" "$report" | sed 's/^\s*/time -v: /'
rm -f "$report"
