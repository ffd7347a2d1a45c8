package org.glassbox.layers.sparse;

/**
 * An upper estimate of the largest eigenvalue of a symmetric positive semi-definite matrix H by
 * power iteration (Golub and Van Loan, Matrix Computations, section 8.2.1): v <- H v / ||H v||,
 * Rayleigh quotient rho = v^T H v. Since rho never exceeds the largest eigenvalue, the estimate
 * returned is rho + ||H v - rho v||: by the Krylov-Weinstein bound (Parlett, The Symmetric
 * Eigenvalue Problem, Theorem 4.5.1) some eigenvalue lies within ||H v - rho v|| of rho, and once
 * v has converged towards the dominant eigenvector that eigenvalue is the largest one. FISTA uses
 * it as the Lipschitz constant L of the gradient of 1/2 ||x - a D||^2, the largest eigenvalue of
 * D D^T, which equals the largest eigenvalue of the smaller Gram matrix D^T D.
 */
final class LargestEigenvalue {
    /** Power iterations stop when the residual is this small relative to the Rayleigh quotient. */
    static final double RELATIVE_RESIDUAL = 1e-6;
    /** At most this many power iterations. */
    static final int MAX_ITERATIONS = 1000;

    private LargestEigenvalue() {
    }

    /**
     * The estimate for H ({@code [m * m]} row-major, symmetric, not modified) and the final
     * iterate, to warm-start the next call on a nearby matrix.
     *
     * @param start {@code [m]} starting vector, or null for a fixed deterministic start
     */
    static Result of(double[] h, int m, double[] start) {
        double[] v = new double[m];
        if (start != null && norm(start) > 0) {
            System.arraycopy(start, 0, v, 0, m);
        } else {
            for (int i = 0; i < m; i++) v[i] = 1.0 + (double) i / m;
        }
        scale(v, 1 / norm(v));
        double[] w = new double[m];
        double rho = 0;
        double residual = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            multiply(h, m, v, w);
            rho = dot(v, w);
            double r2 = 0;
            for (int i = 0; i < m; i++) {
                double e = w[i] - rho * v[i];
                r2 += e * e;
            }
            residual = Math.sqrt(r2);
            double wn = norm(w);
            if (wn == 0 || residual <= RELATIVE_RESIDUAL * rho) {
                break;
            }
            for (int i = 0; i < m; i++) v[i] = w[i] / wn;
        }
        return new Result(rho + residual, v);
    }

    /**
     * @param value the upper estimate of the largest eigenvalue
     * @param vector {@code [m]} the last unit iterate
     */
    record Result(double value, double[] vector) {
    }

    private static void multiply(double[] h, int m, double[] v, double[] out) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            int row = i * m;
            for (int j = 0; j < m; j++) s += h[row + j] * v[j];
            out[i] = s;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) a[i] *= f;
    }
}
