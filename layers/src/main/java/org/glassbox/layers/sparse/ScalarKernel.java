package org.glassbox.layers.sparse;

import org.glassbox.framework.array.FusedDot;

/**
 * {@link SearchKernel} in plain Java: the bounds in loops over one coordinate of all atoms at a
 * time, which the JIT compiler vectorises, and each correlation on its own ({@link #block()} = 1).
 * {@link AtomSearch} uses it when the JDK's vector API is not enabled.
 */
final class ScalarKernel implements SearchKernel {
    private final int dim;
    /** {@code [m][K']}: head coordinate j of every atom, K' the atoms padded to whole groups (zeros). */
    private final float[][] heads;
    /** {@code [K']}: ||e_k,t|| of every atom. */
    private final float[] tails;
    /** The rotated atoms e_k, {@code [K, d]} row-major. */
    private final float[] rotated;
    private final boolean nonNegative;

    ScalarKernel(float[] rotated, int dim, float[][] heads, float[] tails, boolean nonNegative) {
        this.rotated = rotated;
        this.dim = dim;
        this.heads = heads;
        this.tails = tails;
        this.nonNegative = nonNegative;
    }

    @Override
    public int block() {
        return 1;
    }

    @Override
    public void bounds(float[][] y, float[] tail, int rows, float[][] bound, float[][] groupMax) {
        for (int r = 0; r < rows; r++) bounds(y[r], tail[r], bound[r], groupMax[r]);
    }

    private void bounds(float[] y, float tail, float[] bound, float[] groupMax) {
        int n = tails.length;
        float y0 = y[0];
        float[] h0 = heads[0];
        for (int k = 0; k < n; k++) bound[k] = y0 * h0[k];
        for (int j = 1; j < heads.length; j++) {
            float yj = y[j];
            float[] h = heads[j];
            for (int k = 0; k < n; k++) bound[k] += yj * h[k];
        }
        if (!nonNegative) {
            for (int k = 0; k < n; k++) bound[k] = Math.abs(bound[k]);
        }
        for (int k = 0; k < n; k++) bound[k] += tail * tails[k];
        for (int g = 0; g < groupMax.length; g++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = g * AtomSearch.GROUP; k < (g + 1) * AtomSearch.GROUP; k++) {
                if (bound[k] > max) max = bound[k];
            }
            groupMax[g] = max;
        }
    }

    @Override
    public int reaching(float[] bound, int first, int end, float threshold) {
        for (int k = first; k < end; k++) {
            if (bound[k] >= threshold) return k;
        }
        return end;
    }

    @Override
    public boolean correlations(float[] y, int first, float[] out, float key) {
        float c = FusedDot.of(y, 0, rotated, first * dim, dim);
        out[first] = c;
        return (nonNegative ? c : Math.abs(c)) >= key;
    }
}
