#!/usr/bin/env bash
# The figures of issue 26 side by side, in one run on this machine, for the default MNIST stack:
# peak resident memory of each command (GNU time's "Maximum resident set size" of a fresh JVM
# started by ./glassbox with the launcher's defaults), inference images/s of the fitted white-box
# model and of the Deeplearning4j LeNet-5 timed side by side in one JVM by the code that times them
# in `./glassbox mnist --baselines` (InferenceRates: same images, batch size and threads), and the
# report's seconds (each pass's progress line, their sum, and the whole command). LeNet-5 is trained
# one epoch there (a forward pass costs the same whatever its weights). Usage: bench/issue26.sh OUT
# [FASHION], with OUT a folder that does not exist; every file the commands write goes inside it.
# With FASHION, the Fashion-MNIST IDX folder, it also runs the default stack there with its report
# on all 10,000 test images and the three widest documented stack files with their default report
# (docs/stacks/fashion-l1-256.json: 4,096 features for a linear and a kNN readout;
# docs/stacks/fashion-smt-avgmax.json: 6,400 features, and docs/stacks/fashion-smt-avgmax-5x5.json:
# 7,744 features, each for a linear readout): 35-50 minutes more.
# Prints one table; the build must be current (`mvn -o -q -B -Dmaven.test.skip=true package`).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: bench/issue26.sh OUT [FASHION] (OUT a new folder for the commands' output; FASHION an IDX folder of Fashion-MNIST)" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"
fashion="${2:-}"
if [ -n "$fashion" ] && [ ! -d "$fashion" ]; then
  echo "bench/issue26.sh: $fashion is not a folder (expected the Fashion-MNIST IDX folder)" >&2
  exit 2
fi
if [ -e "$out" ]; then
  echo "bench/issue26.sh: $out exists (expected a new folder)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench/issue26.sh: needs GNU time at /usr/bin/time (Debian package time)" >&2
  exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
glassbox="$root/glassbox"

# run NAME COMMAND...: runs the command under GNU time, its output in OUT/NAME.out and .err.
run() {
  local name="$1"
  shift
  if ! /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err"; then
    echo "bench/issue26.sh: $name failed; see $out/$name.err" >&2
    exit 1
  fi
}
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.2f GB", $2 / 1048576 }' "$out/$1.time"; }
wall() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f s", s }' "$out/$1.time"
}
# the report's passes that reached 100% (their progress lines)
report_lines() { grep -E '^(atom catalog|contributions|ablation|ablation sweep): .*\(100%\) in' "$out/$1.err"; }
# the seconds of the report's passes, summed
passes() { report_lines "$1" | grep -o '(100%) in [0-9.]* s' | awk '{ s += $3 } END { printf "%.1f s", s }'; }
# each pass: NAME SECONDS, comma-separated
each() { report_lines "$1" | sed -E 's/^(.*): [0-9]+\/[0-9]+ \(100%\) in ([0-9.]+) s.*/\1 \2/' | paste -sd, - | sed 's/,/, /g'; }
json() { python3 -c "import json, sys; m = json.load(open(sys.argv[1])); print($2)" "$1"; }
# fit_line NAME: the run's fit seconds and linear accuracy, from its metrics.json
fit_line() {
  printf '%-58s %s\n' "  fit (metrics.json) / linear accuracy" \
    "$(json "$out/$1/metrics.json" "m['seconds']['fit']") s / $(json "$out/$1/metrics.json" "m['accuracy']['linear']")"
}
# the documented Fashion-MNIST stack files that run with FASHION, as NAME:FILE in docs/stacks
fashion_stacks=(fashion-wide:fashion-l1-256.json fashion-avgmax:fashion-smt-avgmax.json fashion-5x5:fashion-smt-avgmax-5x5.json)

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run full "$glassbox" mnist --out "$out/full"
run fit "$glassbox" mnist --report-images 0 --out "$out/fit"
run report "$glassbox" report --model "$out/fit/model" --out "$out/report"
run predict "$glassbox" predict --model "$out/fit/model" --out "$out/predictions.csv"
source "$root/bench/java-env.sh"
# the launcher's collector (its heap limit is the machine's; 3 GB is plenty here)
run rates java -XX:+UseSerialGC -XX:-ShrinkHeapInSteps -Xms64m -Xmx3g --add-modules jdk.incubator.vector -cp "$root/bench/target/classes:$root/cli/target/classes:$(cat "$root/cli/target/classpath.txt")" \
  org.glassbox.bench.InferenceRates "$out/fit/model"
if [ -n "$fashion" ]; then
  run fashion "$glassbox" mnist --data "$fashion" --report-images 10000 --out "$out/fashion"
  for stack in "${fashion_stacks[@]}"; do
    run "${stack%%:*}" "$glassbox" mnist --data "$fashion" --stack "$root/docs/stacks/${stack#*:}" --out "$out/${stack%%:*}"
  done
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

rate() { awk -v name="$1" '$1 == name { printf "%.0f", $2 }' "$out/rates.out"; }
white="$(rate glassbox)"
lenet="$(rate lenet5)"

printf '%-58s %s\n' "what" "measured"
printf '%-58s %s\n' "mnist (with its report): peak RSS / wall" "$(rss full) / $(wall full)"
printf '%-58s %s\n' "mnist --report-images 0: peak RSS / wall" "$(rss fit) / $(wall fit)"
printf '%-58s %s\n' "mnist --report-images 0: fit (metrics.json)" "$(json "$out/fit/metrics.json" "m['seconds']['fit']") s"
printf '%-58s %s\n' "report (2,000 test digits): peak RSS / wall" "$(rss report) / $(wall report)"
printf '%-58s %s\n' "report: its passes (sum of the progress lines)" "$(passes report)"
printf '%-58s %s\n' "report: each pass, seconds" "$(each report)"
printf '%-58s %s\n' "predict (the model's 2,000 test digits): peak RSS / wall" "$(rss predict) / $(wall predict)"
printf '%-58s %s\n' "inference images/s, white-box / LeNet-5 (one JVM)" "$white / $lenet ($(python3 -c "print(round($white / $lenet, 2))") of LeNet-5's; $(grep settings "$out/rates.out" | cut -d" " -f2-))"
if [ -n "$fashion" ]; then
  printf '%-58s %s\n' "Fashion-MNIST, --report-images 10000: peak RSS / wall" "$(rss fashion) / $(wall fashion)"
  fit_line fashion
  printf '%-58s %s\n' "  report on 10,000 test images: its passes" "$(passes fashion) ($(each fashion))"
  for stack in "${fashion_stacks[@]}"; do
    printf '%-58s %s\n' "Fashion-MNIST, ${stack#*:}: peak RSS / wall" "$(rss "${stack%%:*}") / $(wall "${stack%%:*}")"
    fit_line "${stack%%:*}"
  done
fi
printf '%-58s %s\n' "load average (1, 5, 15 min) before / after" "$load_before / $load_after"
