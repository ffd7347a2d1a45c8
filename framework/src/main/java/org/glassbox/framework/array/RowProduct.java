package org.glassbox.framework.array;

/**
 * The product y = x M + b of short rows x with a small fixed matrix M {@code [p, q]} and bias b
 * {@code [q]}, one row at a time, as a stage computes it for each of many positions (a whitening
 * transform, a rotation to principal axes). A BLAS call per batch pays for copies and threads that
 * cost more than a product this size; this computes it where the rows already are, in Java arrays.
 *
 * <p>Every implementation computes each output the same way, so they give the same values to the
 * bit: y_j = {@link FusedDot} of x and column j of M, plus b_j.
 * {@link #of} uses the JDK's vector API when the JVM has it ({@link VectorApi}) and plain Java
 * otherwise.
 */
public interface RowProduct {
    /** {@code y[yo, yo + q) = x[xo, xo + p) M + b}; writes nothing else of {@code y}. */
    void apply(float[] x, int xo, float[] y, int yo);

    /**
     * The product with M = {@code matrix} (row-major {@code [p, q]}) and b = {@code bias}
     * ({@code [q]}), both copied.
     */
    static RowProduct of(float[] matrix, int p, int q, float[] bias) {
        if (p < 1 || q < 1 || matrix.length != p * q || bias.length != q) {
            throw new IllegalArgumentException("a row product needs a [" + p + ", " + q + "] matrix and a [" + q
                    + "] bias; got " + matrix.length + " and " + bias.length + " values");
        }
        return VectorApi.present() && q >= VectorRowProduct.lanes() ? new VectorRowProduct(matrix, p, q, bias)
                : new ScalarRowProduct(matrix, p, q, bias);
    }
}
