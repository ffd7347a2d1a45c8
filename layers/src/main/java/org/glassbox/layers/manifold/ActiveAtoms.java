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
     * Restricts {@code s} and {@code v} ({@code [K * K]} row-major) to the atoms with
     * {@code v[k][k] > 0} and adds the ridge {@code ridge * trace(V) / K'} to the diagonal of V. Works
     * in place, so that no second pair of K x K matrices is held (two of them are 268 MB for 4,096
     * atoms): {@code s} and {@code v} are overwritten, and are the returned arrays themselves when
     * every atom is active.
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
        // entry (i, j) moves from active[i] k + active[j] to i m + j, never to a later index
        for (int i = 0; i < m; i++) {
            int row = active[i] * k;
            for (int j = 0; j < m; j++) {
                v[i * m + j] = v[row + active[j]];
                s[i * m + j] = s[row + active[j]];
            }
            v[i * m + i] += r;
        }
        return m == k ? new ActiveAtoms(s, v, active)
                : new ActiveAtoms(Arrays.copyOf(s, m * m), Arrays.copyOf(v, m * m), Arrays.copyOf(active, m));
    }

    /** K', the number of active atoms. */
    int size() {
        return active.length;
    }
}
