package org.glassbox.framework.array;

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
        for (int j = 0; j < q; j++) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = 0;
            for (; i + 3 < p; i += 4) {
                s0 = Math.fma(x[xo + i], matrix[i * q + j], s0);
                s1 = Math.fma(x[xo + i + 1], matrix[(i + 1) * q + j], s1);
                s2 = Math.fma(x[xo + i + 2], matrix[(i + 2) * q + j], s2);
                s3 = Math.fma(x[xo + i + 3], matrix[(i + 3) * q + j], s3);
            }
            if (i < p) s0 = Math.fma(x[xo + i], matrix[i * q + j], s0);
            if (i + 1 < p) s1 = Math.fma(x[xo + i + 1], matrix[(i + 1) * q + j], s1);
            if (i + 2 < p) s2 = Math.fma(x[xo + i + 2], matrix[(i + 2) * q + j], s2);
            y[yo + j] = (s0 + s1) + (s2 + s3) + bias[j];
        }
    }
}
