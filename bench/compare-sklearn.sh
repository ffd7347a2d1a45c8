#!/usr/bin/env bash
# Glassbox beside scikit-learn (and SciPy) on the same data, in the same run: LASSO encoding
# (SparseCoder, transform_algorithm='lasso_cd'), dictionary learning (MiniBatchDictionaryLearning)
# and the manifold-embedding eigen-solve (scipy.linalg.eigh(S, V)). Builds what it needs
# (mvn -P bench), installs Debian's python3-sklearn when missing, and prints as its last line
#   ratios: lasso_cd=X dict_learning=Y gemm_fraction=Z
# See docs/performance.md for what each number means.
#
# Environment (defaults in brackets): OUT [bench/results/compare], LAMBDA [0.5], ROWS [1024],
# ATOMS [1024], PATCH [8], DL_ATOMS [256], DL_TRAIN [10000], DL_EVAL [2000], DL_EPOCHS [3],
# SK_EPOCHS [2], EIGEN_K [4096] (0 skips the eigen-solve), JAVA_OPTS.
set -euo pipefail
# Some machines force an older OpenBLAS kernel on both sides through OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE (older OpenBLAS builds fail on their processors); both sides here use OpenBLAS
# 0.3.21, which chooses its own kernel: the forced "Haswell" kernel made NumPy's float32 product 1.7
# times slower than the "Cooperlake" one it picks itself on this project's machine.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT:-$root/bench/results/compare}"
lambda="${LAMBDA:-0.5}"
py=/usr/bin/python3

if ! "$py" -c 'import sklearn, scipy' 2>/dev/null; then
  echo "compare-sklearn: installing python3-sklearn (Debian)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y python3-sklearn >&2 || { $sudo_cmd apt-get update >&2 && $sudo_cmd apt-get install -y python3-sklearn >&2; }
fi

echo "compare-sklearn: building the bench module (mvn -P bench)..." >&2
log="$(mktemp)"
if ! mvn -B -Dstyle.color=never -P bench -pl bench -am package -Dmaven.test.skip=true >"$log" 2>&1; then
  grep -E "ERROR|BUILD" "$log" >&2 || cat "$log" >&2
  exit 1
fi
rm -f "$log"

# Glassbox's JVM gets the launcher's runtime setting (bench/java-env.sh); Python keeps its defaults.
java_run() {
  (source "$root/bench/java-env.sh"; exec java ${JAVA_OPTS:--Xmx3g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=6G} \
    --add-modules jdk.incubator.vector -cp "$root/bench/target/benchmarks.jar" org.glassbox.bench.CompareMain "$@")
}

rm -rf "$out"
mkdir -p "$out/lasso" "$out/dictlearn" "$out/eigen"
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "Glassbox's OPENBLAS_THREAD_TIMEOUT: $(source "$root/bench/java-env.sh"; echo "$OPENBLAS_THREAD_TIMEOUT")"

java_run lasso "$out/lasso" "$lambda" "${ROWS:-1024}" "${ATOMS:-1024}" "${PATCH:-8}"
"$py" "$root/bench/compare_sklearn.py" lasso "$out/lasso" "$lambda"

java_run dictlearn "$out/dictlearn" "$lambda" "${DL_TRAIN:-10000}" "${DL_EVAL:-2000}" "${DL_ATOMS:-256}" \
  "${PATCH:-8}" "${DL_EPOCHS:-3}"
"$py" "$root/bench/compare_sklearn.py" dictlearn "$out/dictlearn" "$lambda" "${DL_ATOMS:-256}" "${SK_EPOCHS:-2}"

if [ "${EIGEN_K:-4096}" != 0 ]; then
  java_run eigen "$out/eigen" "${EIGEN_K:-4096}" 1000
  "$py" "$root/bench/compare_sklearn.py" eigen "$out/eigen"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" "$root/bench/compare_sklearn.py" ratios "$out"
