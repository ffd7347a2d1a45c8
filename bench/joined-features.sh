#!/usr/bin/env bash
# Whether a second layer adds to the first: the trunk's first readout on the features of one or more
# branches of stages side by side, fitted on one trunk (org.glassbox.bench.JoinedFeatures; its
# Javadoc says what each argument is). Usage: bench/joined-features.sh [--shifts N] [--seed N] DATA TRUNK.json ROW...
# For example, the first layer alone, the second alone and both, on the Fashion-MNIST validation
# split of bench/validation-split.py:
#   bench/joined-features.sh /tmp/fashion-val bench/hierarchy/fashion-trunk.json \
#     bench/hierarchy/l1-pool.json bench/hierarchy/l2-smt.json bench/hierarchy/l1-pool.json+bench/hierarchy/l2-smt.json
# Writes nothing; the build must be current (`mvn -o -q -B -Dmaven.test.skip=true install`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/java-env.sh"
exec java -XX:+UseSerialGC -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=16G -Dorg.bytedeco.javacpp.maxphysicalbytes=20G \
  --add-modules jdk.incubator.vector \
  -cp "$root/bench/target/classes:$root/cli/target/classes:$(cat "$root/cli/target/classpath.txt")" \
  org.glassbox.bench.JoinedFeatures "$@"
