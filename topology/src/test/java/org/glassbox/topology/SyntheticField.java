package org.glassbox.topology;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images drawn from a smooth Gaussian field on a grid whose dependence is known: the precision
 * matrix couples each pixel with its four neighbours only (Q = (kappa + degree) I - adjacency), so
 * neighbouring pixels are strongly correlated, far ones weakly, and the partial correlations are
 * non-zero exactly for 4-neighbours.
 */
final class SyntheticField {
    private SyntheticField() {
    }

    /** {@code n} images {@code [n, height, width, 1]}. */
    static INDArray images(int n, int height, int width, double kappa, long seed) {
        int p = height * width;
        DMatrixRMaj q = new DMatrixRMaj(p, p);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int i = r * width + c;
                int degree = 0;
                int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
                for (int[] s : steps) {
                    int rr = r + s[0];
                    int cc = c + s[1];
                    if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
                    q.set(i, rr * width + cc, -1);
                    degree++;
                }
                q.set(i, i, kappa + degree);
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(p, true);
        if (!chol.decompose(q)) throw new IllegalStateException();
        DMatrixRMaj lower = chol.getT(null);
        // x = L^-T z has covariance (L L^T)^-1 = Q^-1.
        DMatrixRMaj z = new DMatrixRMaj(p, n);
        Random random = new Random(seed);
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < n; k++) z.set(i, k, random.nextGaussian());
        }
        DMatrixRMaj upper = new DMatrixRMaj(p, p);
        CommonOps_DDRM.transpose(lower, upper);
        DMatrixRMaj x = new DMatrixRMaj(p, n);
        CommonOps_DDRM.solve(upper, z, x);
        float[] data = new float[n * p];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < p; i++) data[k * p + i] = (float) x.get(i, k);
        }
        return Nd4j.create(data, new long[] {n, height, width, 1}, 'c');
    }
}
