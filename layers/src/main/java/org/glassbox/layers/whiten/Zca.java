package org.glassbox.layers.whiten;

import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.linalg.Lapack;

/**
 * The ZCA whitening transform of a covariance matrix, in float64: with {@code C = V Lambda V^T}
 * (LAPACK {@code dsyevd}, eigenvalues ascending, eigenvectors orthonormal),
 * {@code W = V (Lambda+ + eps I)^(-1/2) V^T} and its inverse {@code U = V (Lambda+ + eps I)^(1/2) V^T},
 * where {@code Lambda+} clamps the rounding-level negative eigenvalues of a positive semidefinite C
 * to 0 and {@code eps = relativeEpsilon * lambda_max + absoluteEpsilon}. Both are symmetric,
 * {@code W (C + eps I) W = I} (for C without negative eigenvalues) and {@code W U = I}.
 *
 * @param eigen the eigen-decomposition of C
 * @param epsilon the regulariser eps actually added
 * @param whitening W, {@code [d * d]} row-major
 * @param unwhitening U, {@code [d * d]} row-major
 */
public record Zca(Lapack.Eigen eigen, double epsilon, double[] whitening, double[] unwhitening) {
    /**
     * Computes W and U for the symmetric {@code covariance} {@code [d * d]} (row-major, not
     * modified). Throws a {@link GlassboxException} when eps comes out as 0 (C is zero and
     * {@code absoluteEpsilon} is 0) or C is not finite.
     */
    public static Zca of(double[] covariance, int d, double relativeEpsilon, double absoluteEpsilon) {
        Lapack.Eigen e = Lapack.symmetricEigen(covariance, d);
        double lambdaMax = Math.max(0, e.values()[d - 1]);
        double eps = relativeEpsilon * lambdaMax + absoluteEpsilon;
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new GlassboxException("the whitening regulariser eps = relativeEpsilon * lambda_max + absoluteEpsilon = "
                    + relativeEpsilon + " * " + lambdaMax + " + " + absoluteEpsilon + " = " + eps
                    + " (expected a positive finite value; vectors without variance need absoluteEpsilon > 0)");
        }
        double[] shrink = new double[d];
        double[] grow = new double[d];
        for (int k = 0; k < d; k++) {
            double v = Math.max(0, e.values()[k]) + eps;
            shrink[k] = 1 / Math.sqrt(v);
            grow[k] = Math.sqrt(v);
        }
        return new Zca(e, eps, sandwich(e, shrink), sandwich(e, grow));
    }

    /** {@code V diag(s) V^T}, row-major {@code [d * d]}. */
    private static double[] sandwich(Lapack.Eigen e, double[] s) {
        int d = e.n();
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += e.vector(i, k) * s[k] * e.vector(j, k);
                out[i * d + j] = sum;
                out[j * d + i] = sum;
            }
        }
        return out;
    }

    /** The dimension d. */
    public int dimension() {
        return eigen.n();
    }
}
