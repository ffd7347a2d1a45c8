package org.glassbox.layers.manifold;

import java.util.Arrays;

/**
 * The sparse manifold transform's eigenproblem S p = mu (V + r I) p restricted to the K' atoms that
 * are active somewhere in the sample (V_kk &gt; 0), with the ridge r = ridge * trace(V) / K'. An atom
 * that is never active has zero rows in both matrices, which would make mu = 0 an eigenvalue of
 * that multiplicity whose eigenvectors vanish on every input; dropping those atoms leaves the
 * eigenvectors that matter, and a dropped atom's entry of every eigenvector is 0.
 *
 * @param s      S over the active atoms {@code [K' * K']}, row-major
 * @param v      V + r I over the active atoms {@code [K' * K']}, row-major
 * @param active the active atoms' indices among the K, ascending {@code [K']}
 */
record ActiveAtoms(double[] s, double[] v, int[] active) {
    /**
     * Restricts {@code s} and {@code v} ({@code [K * K]} row-major, not modified) to the atoms with
     * {@code v[k][k] > 0} and adds the ridge {@code ridge * trace(V) / K'} to the diagonal of V.
     */
    static ActiveAtoms of(double[] s, double[] v, int k, double ridge) {
        int[] active = new int[k];
        int m = 0;
        double trace = 0;
        for (int j = 0; j < k; j++) {
            if (v[j * k + j] > 0) {
                active[m++] = j;
                trace += v[j * k + j];
            }
        }
        double r = m == 0 ? 0 : ridge * trace / m;
        double[] va = new double[m * m];
        double[] sa = new double[m * m];
        for (int i = 0; i < m; i++) {
            int row = active[i] * k;
            for (int j = 0; j < m; j++) {
                va[i * m + j] = v[row + active[j]];
                sa[i * m + j] = s[row + active[j]];
            }
            va[i * m + i] += r;
        }
        return new ActiveAtoms(sa, va, Arrays.copyOf(active, m));
    }

    /** K', the number of active atoms. */
    int size() {
        return active.length;
    }
}
