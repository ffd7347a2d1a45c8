package org.glassbox.framework.array;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowProduct} with the JDK's vector API (JEP 414, an incubator module in Java 17): the
 * outputs in blocks of L (the lanes of the machine's widest float vector), each block in four
 * chains of vector fused multiply-adds, so that they overlap. The last block ends at q and may
 * overlap the one before it (both compute the shared outputs alike), so no output is written past q
 * and q need not be a multiple of L; q must be at least L. Loaded only when the JVM has the module
 * ({@link RowProduct#of}).
 */
final class VectorRowProduct implements RowProduct {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final int p;
    /** The first output of each block. */
    private final int[] starts;
    /** {@code [blocks][p][L]}: per block, M's entries of its outputs, row by row. */
    private final float[] blocks;
    /** {@code [blocks][L]}: per block, b's entries of its outputs. */
    private final float[] bias;

    VectorRowProduct(float[] matrix, int p, int q, float[] bias) {
        int lanes = lanes();
        this.p = p;
        int count = (q + lanes - 1) / lanes;
        this.starts = new int[count];
        this.blocks = new float[count * p * lanes];
        this.bias = new float[count * lanes];
        for (int b = 0; b < count; b++) {
            starts[b] = Math.min(b * lanes, q - lanes);
            for (int lane = 0; lane < lanes; lane++) {
                int j = starts[b] + lane;
                this.bias[b * lanes + lane] = bias[j];
                for (int i = 0; i < p; i++) blocks[(b * p + i) * lanes + lane] = matrix[i * q + j];
            }
        }
    }

    /** L, the lanes of the widest float vector. */
    static int lanes() {
        return SPECIES.length();
    }

    @Override
    public void apply(float[] x, int xo, float[] y, int yo) {
        int lanes = SPECIES.length();
        for (int b = 0; b < starts.length; b++) {
            int at = b * p * lanes;
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            int i = 0;
            for (; i + 3 < p; i += 4, at += 4 * lanes) {
                s0 = FloatVector.fromArray(SPECIES, blocks, at).fma(FloatVector.broadcast(SPECIES, x[xo + i]), s0);
                s1 = FloatVector.fromArray(SPECIES, blocks, at + lanes).fma(FloatVector.broadcast(SPECIES, x[xo + i + 1]), s1);
                s2 = FloatVector.fromArray(SPECIES, blocks, at + 2 * lanes).fma(FloatVector.broadcast(SPECIES, x[xo + i + 2]), s2);
                s3 = FloatVector.fromArray(SPECIES, blocks, at + 3 * lanes).fma(FloatVector.broadcast(SPECIES, x[xo + i + 3]), s3);
            }
            if (i < p) s0 = FloatVector.fromArray(SPECIES, blocks, at).fma(FloatVector.broadcast(SPECIES, x[xo + i]), s0);
            if (i + 1 < p) s1 = FloatVector.fromArray(SPECIES, blocks, at + lanes).fma(FloatVector.broadcast(SPECIES, x[xo + i + 1]), s1);
            if (i + 2 < p) s2 = FloatVector.fromArray(SPECIES, blocks, at + 2 * lanes).fma(FloatVector.broadcast(SPECIES, x[xo + i + 2]), s2);
            s0.add(s1).add(s2.add(s3)).add(FloatVector.fromArray(SPECIES, bias, b * lanes)).intoArray(y, yo + starts[b]);
        }
    }
}
