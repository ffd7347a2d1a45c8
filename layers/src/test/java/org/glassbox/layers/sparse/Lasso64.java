package org.glassbox.layers.sparse;

/**
 * Float64 references for the LASSO min_a 1/2 ||x - a D||^2 + lambda ||a||_1 (optionally a >= 0):
 * the optimality conditions and a cyclic coordinate-descent solver (Friedman, Hastie and
 * Tibshirani, "Regularization paths for generalized linear models via coordinate descent", J.
 * Statistical Software 2010), on row-major double arrays: x {@code [n * d]}, a {@code [n * K]},
 * D {@code [K * d]}.
 */
final class Lasso64 {
    private Lasso64() {
    }

    /**
     * The largest violation of the optimality conditions over all rows and atoms, divided by
     * lambda. With r = x - a D and g_k = D_k . r: an active atom needs g_k = lambda sign(a_k); an
     * inactive one |g_k| &lt;= lambda (non-negative: g_k &lt;= lambda); a negative code under
     * non-negativity counts as an infinite violation.
     */
    static double violation(double[] x, double[] a, double[] dict, int n, int d, int atoms, double lambda,
            boolean nonNegative) {
        double worst = 0;
        double[] r = new double[d];
        for (int i = 0; i < n; i++) {
            residual(x, a, dict, i, d, atoms, r);
            for (int k = 0; k < atoms; k++) {
                double g = 0;
                for (int j = 0; j < d; j++) g += dict[k * d + j] * r[j];
                double ak = a[i * atoms + k];
                double v;
                if (nonNegative && ak < 0) {
                    v = Double.POSITIVE_INFINITY;
                } else if (ak != 0) {
                    v = Math.abs(g - lambda * Math.signum(ak));
                } else {
                    v = Math.max(0, (nonNegative ? g : Math.abs(g)) - lambda);
                }
                worst = Math.max(worst, v);
            }
        }
        return worst / lambda;
    }

    /** Solves every row by cyclic coordinate descent until no coefficient moves by more than 1e-13. */
    static double[] solve(double[] x, double[] dict, int n, int d, int atoms, double lambda, boolean nonNegative) {
        double[] a = new double[n * atoms];
        double[] r = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, r, 0, d);
            for (int sweep = 0; sweep < 100_000; sweep++) {
                double moved = 0;
                for (int k = 0; k < atoms; k++) {
                    double norm2 = 0;
                    double g = 0;
                    for (int j = 0; j < d; j++) {
                        norm2 += dict[k * d + j] * dict[k * d + j];
                        g += dict[k * d + j] * r[j];
                    }
                    double old = a[i * atoms + k];
                    double z = old * norm2 + g;
                    double shrunk = z > lambda ? z - lambda : (!nonNegative && z < -lambda) ? z + lambda : 0;
                    double next = shrunk / norm2;
                    if (next != old) {
                        for (int j = 0; j < d; j++) r[j] -= (next - old) * dict[k * d + j];
                        a[i * atoms + k] = next;
                        moved = Math.max(moved, Math.abs(next - old));
                    }
                }
                if (moved < 1e-13) {
                    break;
                }
            }
        }
        return a;
    }

    /** The mean objective in float64. */
    static double objective(double[] x, double[] a, double[] dict, int n, int d, int atoms, double lambda) {
        double total = 0;
        double[] r = new double[d];
        for (int i = 0; i < n; i++) {
            residual(x, a, dict, i, d, atoms, r);
            double sq = 0;
            for (double v : r) sq += v * v;
            double l1 = 0;
            for (int k = 0; k < atoms; k++) l1 += Math.abs(a[i * atoms + k]);
            total += 0.5 * sq + lambda * l1;
        }
        return total / n;
    }

    private static void residual(double[] x, double[] a, double[] dict, int i, int d, int atoms, double[] r) {
        System.arraycopy(x, i * d, r, 0, d);
        for (int k = 0; k < atoms; k++) {
            double ak = a[i * atoms + k];
            if (ak != 0) {
                for (int j = 0; j < d; j++) r[j] -= ak * dict[k * d + j];
            }
        }
    }
}
