#!/usr/bin/env bash
# Writes the embedded digits' 8,000 / 2,000 split as an IDX folder OUT (org.glassbox.bench.EmbeddedIdx),
# for bench/validation-split.py and bench/stack-variants.py. Usage: bench/embedded-idx.sh OUT
# The build must be current (`mvn -o -q -B -Dmaven.test.skip=true install`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/java-env.sh"
exec java -XX:+UseSerialGC -Xmx1g --add-modules jdk.incubator.vector \
  -cp "$root/bench/target/classes:$root/cli/target/classes:$(cat "$root/cli/target/classpath.txt")" \
  org.glassbox.bench.EmbeddedIdx "$@"
