#!/usr/bin/env bash
# Times the end-to-end `./glassbox mnist` fit (embedded digits, default stack) with hyperfine
# (Debian package hyperfine, installed when missing), after one untimed run that builds the
# project. RUNS [2] timed runs; the JSON goes to bench/results/mnist-hyperfine.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v hyperfine >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y hyperfine >&2 || { $sudo_cmd apt-get update >&2 && $sudo_cmd apt-get install -y hyperfine >&2; }
fi
out="$(mktemp -d)"
mkdir -p bench/results
./glassbox mnist --out "$out/warm" >/dev/null
hyperfine --runs "${RUNS:-2}" --export-json bench/results/mnist-hyperfine.json \
  "./glassbox mnist --out $out/run" --prepare "rm -rf $out/run"
rm -rf "$out"
