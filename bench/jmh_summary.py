#!/usr/bin/python3
"""Prints a JMH JSON result (java -jar bench/target/benchmarks.jar -rf json -rff FILE) as a table:
each benchmark's score, and for the encoder benchmarks the GFLOP/s from the auxiliary flop counter
and its fraction of the ND4J gemm rate measured in the same run at the encoder's product shape
(FISTA against gemmGram [n, K] x [K, K]; coordinate descent, threshold, top-k and 1-sparse
against gemmCorrelation [n, d] x [d, K])."""
import json
import sys

runs = json.load(open(sys.argv[1]))
gf = {}
for r in runs:
    name = r["benchmark"].split(".")[-1]
    params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
    pm = r["primaryMetric"]
    sec = r.get("secondaryMetrics", {})
    err = pm["scoreError"]
    err = f"{err:.2g}" if isinstance(err, (int, float)) else str(err)  # "NaN" with fewer than 3 iterations
    line = f"{r['benchmark'].split('.')[-2]}.{name} [{params}]: {pm['score']:.4g} ± {err} {pm['scoreUnit']}"
    if "flop" in sec:
        g = sec["flop"]["score"] / 1e9
        gf[(r.get("params", {}).get("shape"), name)] = g
        line += f", {g:.1f} GFLOP/s"
    print(line)
anchor = {"fista": "gemmGram", "coordinateDescent": "gemmCorrelation", "threshold": "gemmCorrelation", "topK": "gemmCorrelation",
          "oneSparse": "gemmCorrelation"}
for (shape, name), g in sorted(gf.items()):
    if name in anchor and (shape, anchor[name]) in gf:
        a = gf[(shape, anchor[name])]
        print(f"{name} {shape}: {g:.1f} GFLOP/s = {100 * g / a:.0f}% of ND4J gemm ({anchor[name]}, {a:.1f} GFLOP/s)")
