package org.glassbox.framework.array;

import java.util.Arrays;

/** {@link RowProduct} in plain Java: the four chains of each output, one fused multiply-add at a time. */
final class ScalarRowProduct implements RowProduct {
    private final int p;
    private final int q;
    private final float[] matrix;
    private final float[] bias;

    ScalarRowProduct(float[] matrix, int p, int q, float[] bias) {
        this.p = p;
        this.q = q;
        this.matrix = matrix.clone();
        this.bias = bias.clone();
    }

    @Override
    public void apply(float[] x, int xo, float[] y, int yo) {
        float[] s = new float[4];
        for (int j = 0; j < q; j++) {
            Arrays.fill(s, 0f);
            for (int i = 0; i < p; i++) s[i & 3] = Math.fma(x[xo + i], matrix[i * q + j], s[i & 3]);
            y[yo + j] = (s[0] + s[1]) + (s[2] + s[3]) + bias[j];
        }
    }
}
