package org.glassbox.framework.linalg;

/**
 * What the eigen-solver tests check of a set of generalised eigenpairs of (A, B), both
 * {@code [n * n]} row-major: how far each pair is from A v = mu B v and the vectors from
 * B-orthonormality, computed directly from A and B.
 */
final class EigenChecks {
    private EigenChecks() {
    }

    /** Entry i of eigenvector p. */
    @FunctionalInterface
    interface Vectors {
        double get(int i, int p);
    }

    /** M v_p for the {@code [n * n]} row-major M. */
    static double[] times(double[] m, int n, Vectors v, int p) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) out[i] += m[i * n + k] * v.get(k, p);
        }
        return out;
    }

    /** max over p &lt; count and i of |(A v_p)_i - mu_p (B v_p)_i|. */
    static double largestResidual(double[] a, double[] b, int n, double[] mu, int count, Vectors v) {
        double largest = 0;
        for (int p = 0; p < count; p++) {
            double[] av = times(a, n, v, p);
            double[] bv = times(b, n, v, p);
            for (int i = 0; i < n; i++) largest = Math.max(largest, Math.abs(av[i] - mu[p] * bv[i]));
        }
        return largest;
    }

    /** max over p &lt; count of ||A v_p - mu_p B v_p|| / ((||A||_F + |mu_p| ||B||_F) ||v_p||). */
    static double largestRelativeResidual(double[] a, double[] b, int n, double[] mu, int count, Vectors v) {
        double normA = frobenius(a);
        double normB = frobenius(b);
        double worst = 0;
        for (int p = 0; p < count; p++) {
            double[] av = times(a, n, v, p);
            double[] bv = times(b, n, v, p);
            double residual = 0;
            double length = 0;
            for (int i = 0; i < n; i++) {
                double r = av[i] - mu[p] * bv[i];
                residual += r * r;
                length += v.get(i, p) * v.get(i, p);
            }
            worst = Math.max(worst, Math.sqrt(residual) / ((normA + Math.abs(mu[p]) * normB) * Math.sqrt(length)));
        }
        return worst;
    }

    private static double frobenius(double[] m) {
        double squares = 0;
        for (double x : m) squares += x * x;
        return Math.sqrt(squares);
    }

    /** max over p, q &lt; count of |v_q^T B v_p - (1 if p = q, else 0)|. */
    static double largestOrthonormalityError(double[] b, int n, int count, Vectors v) {
        double largest = 0;
        for (int p = 0; p < count; p++) {
            double[] bv = times(b, n, v, p);
            for (int q = 0; q < count; q++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v.get(i, q) * bv[i];
                largest = Math.max(largest, Math.abs(dot - (p == q ? 1 : 0)));
            }
        }
        return largest;
    }

    /**
     * max over p, q &lt; count of ||expected_q^T B got_p| - (1 if p = q, else 0)|: 0 when both sets
     * are the same B-orthonormal vectors up to sign (distinct eigenvalues make them unique so).
     */
    static double largestMismatch(double[] b, int n, int count, Vectors expected, Vectors got) {
        double largest = 0;
        for (int p = 0; p < count; p++) {
            double[] bv = times(b, n, got, p);
            for (int q = 0; q < count; q++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += expected.get(i, q) * bv[i];
                largest = Math.max(largest, Math.abs(Math.abs(dot) - (p == q ? 1 : 0)));
            }
        }
        return largest;
    }

    /** The {@code [n * n]} identity matrix, B of a standard eigenproblem. */
    static double[] identity(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }
}
