#!/usr/bin/env python3
"""McNemar's test between two `./glassbox predict --out FILE.csv` files of the same test set.

Usage: python3 bench/mcnemar.py FIRST.csv SECOND.csv

Prints the items only FIRST classifies right (b), only SECOND classifies right (c) and the two-sided
p-value, computed as org.glassbox.framework.stats.McNemar does: the exact binomial test for
b + c < 25, else the chi-square statistic with Edwards's continuity correction, max(0, |b - c| - 1)^2
/ (b + c), with one degree of freedom (McNemar 1947; Edwards 1948).
"""
import csv
import math
import sys


def outcomes(path):
    with open(path, newline="") as f:
        return {int(row["index"]): (int(row["label"]), int(row["predicted"])) for row in csv.DictReader(f)}


def p_value(b, c):
    n = b + c
    if n == 0:
        return 1.0
    if n < 25:
        tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2 ** n
        return min(1.0, 2 * tail)
    chi2 = max(0, abs(b - c) - 1) ** 2 / n
    return math.erfc(math.sqrt(chi2 / 2))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: python3 bench/mcnemar.py FIRST.csv SECOND.csv")
    first, second = outcomes(sys.argv[1]), outcomes(sys.argv[2])
    if first.keys() != second.keys() or any(first[i][0] != second[i][0] for i in first):
        sys.exit("mcnemar: the two files do not hold the same items with the same labels")
    b = sum(1 for i in first if first[i][1] == first[i][0] and second[i][1] != second[i][0])
    c = sum(1 for i in first if first[i][1] != first[i][0] and second[i][1] == second[i][0])
    right = [sum(1 for i in d if d[i][0] == d[i][1]) / len(d) for d in (first, second)]
    print(f"items {len(first)}: first {right[0]:.2%}, second {right[1]:.2%}; "
          f"right only in the first {b}, only in the second {c}; McNemar p = {p_value(b, c):.2g}")


if __name__ == "__main__":
    main()
