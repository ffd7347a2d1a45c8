package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 references for the LASSO min_a 1/2 ||x - a D||^2 + lambda ||a||_1 (optionally a >= 0):
 * the optimality conditions and a cyclic coordinate-descent solver (Friedman, Hastie and
 * Tibshirani, "Regularization paths for generalized linear models via coordinate descent", J.
 * Statistical Software 2010), on row-major double arrays: x {@code [n * d]}, a {@code [n * K]},
 * D {@code [K * d]}.
 */
final class Lasso64 {
    /** The lambda of {@link #assertAgreesWithCoordinateDescent}. */
    static final double AGREEMENT_LAMBDA = 0.3;

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

    /** {@link #violation} for float32 arrays: x {@code [n, d]}, codes {@code [n, K]}, dictionary {@code [K, d]}. */
    static double violation(INDArray x, INDArray codes, INDArray dict, double lambda, boolean nonNegative) {
        return violation(TestData.toDouble(x), TestData.toDouble(codes), TestData.toDouble(dict),
                (int) x.size(0), (int) x.size(1), (int) dict.size(0), lambda, nonNegative);
    }

    /**
     * Asserts that {@code encode} (dictionary, rows -&gt; codes) agrees with {@link #solve} on 20 Gaussian
     * rows against 24 random atoms in 16 dimensions, lambda = {@link #AGREEMENT_LAMBDA}: every code within 1e-4 and the
     * mean objective within 1e-6 relative.
     */
    static void assertAgreesWithCoordinateDescent(BiFunction<INDArray, INDArray, INDArray> encode, boolean nonNegative) {
        int n = 20;
        int d = 16;
        int atoms = 24;
        double lambda = AGREEMENT_LAMBDA;
        INDArray dict = TestData.randomDictionary(atoms, d, 5);
        INDArray x = TestData.gaussianRows(n, d, 6);
        double[] xd = TestData.toDouble(x);
        double[] dd = TestData.toDouble(dict);
        double[] reference = solve(xd, dd, n, d, atoms, lambda, nonNegative);
        double[] codes = TestData.toDouble(encode.apply(dict, x));
        double worst = 0;
        for (int i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i] - codes[i]));
        assertTrue(worst < 1e-4, "largest code difference " + worst);
        double f64 = objective(xd, reference, dd, n, d, atoms, lambda);
        double f32 = objective(xd, codes, dd, n, d, atoms, lambda);
        assertEquals(f64, f32, 1e-6 * f64);
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
