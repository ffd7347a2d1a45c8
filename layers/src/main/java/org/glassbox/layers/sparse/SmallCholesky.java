package org.glassbox.layers.sparse;

/**
 * The Cholesky factorisation A = L L^T of a small symmetric positive definite matrix, and the two
 * triangular solves with L, in place in a row-major array with row length m (Golub and Van Loan,
 * "Matrix Computations", 4th ed., Johns Hopkins 2013, section 4.2):
 *
 * <pre>
 *   L_jj = sqrt(A_jj - sum_(k &lt; j) L_jk^2),   L_ij = (A_ij - sum_(k &lt; j) L_ik L_jk) / L_jj   (i &gt; j)
 * </pre>
 *
 * column by column, each sum over k in increasing order. It serves the feature-sign steps of
 * {@link WorkingSetLasso} (G_SS z = c_S - lambda sigma on a support of a few dozen atoms, in
 * scratch arrays the row solver reuses, with no objects to allocate, which is why it is written
 * out rather than taken from EJML), and the benchmark that bounds that solver's share of the gemm
 * rate, which must do the same work in the same way.
 */
final class SmallCholesky {
    /**
     * A pivot whose square is at most this fraction of its diagonal entry stops the
     * factorisation: the matrix is singular to working precision.
     */
    private static final double SINGULAR = 1e-10;

    private SmallCholesky() {
    }

    /**
     * Factors the lower triangle of {@code a} ({@code [m, m]}, row-major) as L L^T in place (the
     * upper triangle is not read) and returns m; or, when the pivot of position j is not positive
     * enough (A_jj - sum_(k &lt; j) L_jk^2 &lt;= 1e-10 A_jj, or NaN), stops there and returns j, with
     * L's first j columns in place, row j's included.
     */
    static int factor(double[] a, int m) {
        for (int j = 0; j < m; j++) {
            double diag = a[j * m + j];
            for (int k = 0; k < j; k++) diag -= a[j * m + k] * a[j * m + k];
            if (!(diag > SINGULAR * a[j * m + j])) {
                return j;
            }
            double pivot = Math.sqrt(diag);
            a[j * m + j] = pivot;
            for (int i = j + 1; i < m; i++) {
                double v = a[i * m + j];
                for (int k = 0; k < j; k++) v -= a[i * m + k] * a[j * m + k];
                a[i * m + j] = v / pivot;
            }
        }
        return m;
    }

    /**
     * Solves L_n y = {@code b[0, n)} in place, for L_n the leading n x n block of the factor in
     * {@code l} (row length m): y_i = (b_i - sum_(k &lt; i) L_ik y_k) / L_ii.
     */
    static void forward(double[] l, int n, int m, double[] b) {
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) v -= l[i * m + k] * b[k];
            b[i] = v / l[i * m + i];
        }
    }

    /**
     * Solves L_n^T z = {@code b[0, n)} in place, for L_n the leading n x n block of the factor in
     * {@code l} (row length m); L^T's row i is L's column i: z_i = (b_i - sum_(k &gt; i) L_ki z_k) /
     * L_ii.
     */
    static void backward(double[] l, int n, int m, double[] b) {
        for (int i = n - 1; i >= 0; i--) {
            double v = b[i];
            for (int k = i + 1; k < n; k++) v -= l[k * m + i] * b[k];
            b[i] = v / l[i * m + i];
        }
    }
}
