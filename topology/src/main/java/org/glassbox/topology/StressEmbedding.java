package org.glassbox.topology;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A 2-D embedding of the neighbourhood graph in grid units: classical multidimensional scaling of
 * the shortest-path lengths, refined by stress majorisation (SMACOF, de Leeuw 1977; Gansner, Koren
 * and North 2004) first on all lengths with weights 1 / d^2, then with the graph's own edges
 * (target 1 or sqrt(2), weight 1) dominating and the other lengths kept at weight 0.01 / d^2, so
 * that neighbours end up one unit apart while the whole stays unfolded.
 */
public final class StressEmbedding {
    /** Iterations of the global and the local phase. */
    static final int GLOBAL_ITERATIONS = 200;
    static final int LOCAL_ITERATIONS = 100;
    /** Weight of the non-edge lengths in the local phase, relative to 1 / d^2. */
    static final double FAR_WEIGHT = 0.01;

    private StressEmbedding() {
    }

    /** The embedding {@code [n][2]} of {@code graph}, centred on the origin. */
    public static double[][] embed(NeighbourGraph graph) {
        double[][] d = graph.distances();
        int n = d.length;
        double[][] y = classicalScaling(d);
        double[][] w = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) w[i][j] = i == j ? 0 : 1 / (d[i][j] * d[i][j]);
        }
        y = smacof(y, d, w, GLOBAL_ITERATIONS);
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                if (graph.edge(i, j)) {
                    t[i][j] = 1;
                    w[i][j] = 1;
                } else if (graph.diagonal(i, j)) {
                    t[i][j] = NeighbourGraph.DIAGONAL;
                    w[i][j] = 1;
                } else {
                    t[i][j] = d[i][j];
                    w[i][j] = FAR_WEIGHT / (d[i][j] * d[i][j]);
                }
            }
        }
        return smacof(y, t, w, LOCAL_ITERATIONS);
    }

    /** The top two principal coordinates of the double-centred squared lengths. */
    static double[][] classicalScaling(double[][] d) {
        int n = d.length;
        DMatrixRMaj b = new DMatrixRMaj(n, n);
        double[] rowMean = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = d[i][j] * d[i][j];
                rowMean[i] += s / n;
                total += s / ((double) n * n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) b.set(i, j, -0.5 * (d[i][j] * d[i][j] - rowMean[i] - rowMean[j] + total));
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(b)) throw new IllegalStateException("the eigen-decomposition of the scaling matrix failed");
        int first = -1;
        int second = -1;
        for (int k = 0; k < n; k++) {
            double v = eig.getEigenvalue(k).getReal();
            if (first < 0 || v > eig.getEigenvalue(first).getReal()) {
                second = first;
                first = k;
            } else if (second < 0 || v > eig.getEigenvalue(second).getReal()) {
                second = k;
            }
        }
        double[][] y = new double[n][2];
        int[] picked = {first, second};
        for (int c = 0; c < 2; c++) {
            double scale = Math.sqrt(Math.max(eig.getEigenvalue(picked[c]).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(picked[c]);
            // A fixed sign, so that the result does not depend on the solver's choice.
            double sign = 0;
            for (int i = 0; i < n && sign == 0; i++) sign = Math.signum(v.get(i));
            for (int i = 0; i < n; i++) y[i][c] = v.get(i) * scale * (sign < 0 ? -1 : 1);
        }
        return y;
    }

    /**
     * Weighted SMACOF: {@code iterations} Guttman transforms {@code Y <- V^+ B(Y) Y} of the stress
     * {@code sum w_ij (|y_i - y_j| - t_ij)^2}.
     */
    static double[][] smacof(double[][] y, double[][] t, double[][] w, int iterations) {
        int n = y.length;
        DMatrixRMaj v = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    v.set(i, j, -w[i][j] + 1.0 / n);
                    s += w[i][j];
                }
            }
            v.set(i, i, s + 1.0 / n);
        }
        // (V + 11'/n)^-1 - 11'/n is V's pseudo-inverse for a connected graph; on centred
        // vectors the correction term vanishes.
        DMatrixRMaj inverse = new DMatrixRMaj(n, n);
        if (!CommonOps_DDRM.invert(v, inverse)) throw new IllegalStateException("SMACOF: V cannot be inverted");
        double[][] cur = centred(y);
        DMatrixRMaj by = new DMatrixRMaj(n, 2);
        DMatrixRMaj next = new DMatrixRMaj(n, 2);
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                double sx = 0;
                double sy = 0;
                double diag = 0;
                for (int j = 0; j < n; j++) {
                    if (i == j || w[i][j] == 0) continue;
                    double dx = cur[i][0] - cur[j][0];
                    double dy = cur[i][1] - cur[j][1];
                    double dist = Math.sqrt(dx * dx + dy * dy);
                    double bij = dist > 1e-12 ? -w[i][j] * t[i][j] / dist : 0;
                    sx += bij * cur[j][0];
                    sy += bij * cur[j][1];
                    diag -= bij;
                }
                by.set(i, 0, sx + diag * cur[i][0]);
                by.set(i, 1, sy + diag * cur[i][1]);
            }
            CommonOps_DDRM.mult(inverse, by, next);
            for (int i = 0; i < n; i++) {
                cur[i][0] = next.get(i, 0);
                cur[i][1] = next.get(i, 1);
            }
            cur = centred(cur);
        }
        return cur;
    }

    static double[][] centred(double[][] y) {
        int n = y.length;
        double mx = 0;
        double my = 0;
        for (double[] p : y) {
            mx += p[0] / n;
            my += p[1] / n;
        }
        double[][] r = new double[n][2];
        for (int i = 0; i < n; i++) {
            r[i][0] = y[i][0] - mx;
            r[i][1] = y[i][1] - my;
        }
        return r;
    }
}
