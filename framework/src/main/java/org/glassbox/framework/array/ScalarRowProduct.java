package org.glassbox.framework.array;

/** {@link RowProduct} in plain Java: each output one {@link FusedDot} with a column of M. */
final class ScalarRowProduct implements RowProduct {
    private final int p;
    private final int q;
    /** M transposed, row-major {@code [q, p]}: column j of M at {@code [j p, (j + 1) p)}. */
    private final float[] columns;
    private final float[] bias;

    ScalarRowProduct(float[] matrix, int p, int q, float[] bias) {
        this.p = p;
        this.q = q;
        this.columns = new float[p * q];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) columns[j * p + i] = matrix[i * q + j];
        }
        this.bias = bias.clone();
    }

    @Override
    public void apply(float[] x, int xo, float[] y, int yo) {
        for (int j = 0; j < q; j++) y[yo + j] = FusedDot.of(x, xo, columns, j * p, p) + bias[j];
    }
}
