#!/usr/bin/env bash
# Builds the bench module (mvn -P bench) and runs the JMH benchmarks, sized for a 2-core machine,
# writing JSON results and a summary (GFLOP/s and fraction of ND4J's gemm rate, bench/jmh_summary.py)
# under bench/results/jmh/. FISTA at d = 144, K = 4,096 runs on 256 rows, one measured iteration,
# beside the gemm anchor at the same shape: one solve of 1,024 rows there takes minutes. PARTS
# selects parts (default: enc8 fista8 enc12 fista12 dict eigen).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -Dstyle.color=never -P bench -pl bench -am package -Dmaven.test.skip=true >&2
fi
source "$root/bench/java-env.sh"
out="${OUT:-$root/bench/results/jmh}"
mkdir -p "$out"
jmh() { local name="$1"; shift; echo "== $name (load $(cut -d' ' -f1-3 /proc/loadavg))"; \
  java -jar bench/target/benchmarks.jar "$@" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1; \
  /usr/bin/python3 bench/jmh_summary.py "$out/$name.json"; }
parts="${PARTS:-enc8 fista8 enc12 fista12 dict eigen}"
for part in $parts; do
  case "$part" in
    enc8) jmh encoders-8x1024 'EncoderBenchmark\.(gemm.*|coordinateDescent|threshold|topK|oneSparse)$' -p shape=8x1024 ;;
    fista8) jmh fista-8x1024 'EncoderBenchmark\.(fista|gemmGram)$' -p shape=8x1024 -wi 0 -i 2 ;;
    enc12) jmh encoders-12x4096 'EncoderBenchmark\.(gemm.*|coordinateDescent|threshold|topK|oneSparse)$' -p shape=12x4096 ;;
    fista12) jmh fista-12x4096 'EncoderBenchmark\.(fista|gemmGram|topK)$' -p shape=12x4096 -p rows=256 -wi 0 -i 1 ;;
    dict) jmh dictionary-learning 'DictionaryLearningBenchmark' ;;
    eigen) jmh eigen 'EigenBenchmark' ;;
  esac
done
