package org.glassbox.layers.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SearchKernel} with the JDK's vector API (JEP 414, an incubator module in Java 17), one
 * block of L atoms at a time (L = the lanes of the machine's widest float vector): the coordinates
 * of a block's atoms lie together, so its bounds are m + 1 fused multiply-adds of whole vectors and
 * its exact correlations d, kept in registers until stored. Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link AtomSearch}).
 */
final class VectorKernel implements SearchKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final int dim;
    private final int head;
    private final int lanes;
    private final int blocks;
    private final boolean nonNegative;
    /** {@code [K' / L][m + 1][L]}: per block of L atoms, their m head coordinates, then their tail norms. */
    private final float[] bounds;
    /** {@code [K' / L][d][L]}: per block of L atoms, all their rotated coordinates. */
    private final float[] atoms;

    VectorKernel(float[] rotated, int dim, float[][] heads, float[] tails, boolean nonNegative) {
        this.dim = dim;
        this.head = heads.length;
        this.lanes = SPECIES.length();
        this.nonNegative = nonNegative;
        if (AtomSearch.GROUP % (2 * lanes) != 0) {
            throw new IllegalStateException("a group of " + AtomSearch.GROUP + " atoms is not a whole number of two "
                    + lanes + "-lane vectors");
        }
        int n = tails.length;
        this.blocks = n / lanes;
        int count = rotated.length / dim;
        this.bounds = new float[n * (head + 1)];
        this.atoms = new float[n * dim];
        for (int k = 0; k < n; k++) {
            int block = k / lanes;
            int lane = k % lanes;
            for (int j = 0; j < head; j++) bounds[(block * (head + 1) + j) * lanes + lane] = heads[j][k];
            bounds[(block * (head + 1) + head) * lanes + lane] = tails[k];
            if (k < count) {
                for (int j = 0; j < dim; j++) atoms[(block * dim + j) * lanes + lane] = rotated[k * dim + j];
            }
        }
    }

    @Override
    public int block() {
        return lanes;
    }

    /**
     * Four rows at a time, so that each block of atoms is read once for all four (the atoms' head
     * coordinates do not fit the first-level cache, and one row's pass would wait on reading
     * them), and two blocks at a time for each row: eight independent chains of multiply-adds.
     */
    @Override
    public void bounds(float[][] y, float[] tail, int rows, float[][] bound, float[][] groupMax) {
        float[] y0 = y[0];
        float[] y1 = y[Math.min(1, rows - 1)];
        float[] y2 = y[Math.min(2, rows - 1)];
        float[] y3 = y[Math.min(3, rows - 1)];
        float[] bound0 = bound[0];
        float[] bound1 = bound[Math.min(1, rows - 1)];
        float[] bound2 = bound[Math.min(2, rows - 1)];
        float[] bound3 = bound[Math.min(3, rows - 1)];
        FloatVector t0 = FloatVector.broadcast(SPECIES, tail[0]);
        FloatVector t1 = FloatVector.broadcast(SPECIES, tail[Math.min(1, rows - 1)]);
        FloatVector t2 = FloatVector.broadcast(SPECIES, tail[Math.min(2, rows - 1)]);
        FloatVector t3 = FloatVector.broadcast(SPECIES, tail[Math.min(3, rows - 1)]);
        int stride = (head + 1) * lanes;
        for (int block = 0; block < blocks; block += 2) {
            int b = block * stride;
            FloatVector h = FloatVector.fromArray(SPECIES, bounds, b);
            FloatVector g = FloatVector.fromArray(SPECIES, bounds, b + stride);
            FloatVector a0 = h.mul(y0[0]);
            FloatVector a1 = h.mul(y1[0]);
            FloatVector a2 = h.mul(y2[0]);
            FloatVector a3 = h.mul(y3[0]);
            FloatVector c0 = g.mul(y0[0]);
            FloatVector c1 = g.mul(y1[0]);
            FloatVector c2 = g.mul(y2[0]);
            FloatVector c3 = g.mul(y3[0]);
            for (int j = 1; j < head; j++) {
                int o = b + j * lanes;
                h = FloatVector.fromArray(SPECIES, bounds, o);
                g = FloatVector.fromArray(SPECIES, bounds, o + stride);
                FloatVector v0 = FloatVector.broadcast(SPECIES, y0[j]);
                FloatVector v1 = FloatVector.broadcast(SPECIES, y1[j]);
                FloatVector v2 = FloatVector.broadcast(SPECIES, y2[j]);
                FloatVector v3 = FloatVector.broadcast(SPECIES, y3[j]);
                a0 = h.fma(v0, a0);
                a1 = h.fma(v1, a1);
                a2 = h.fma(v2, a2);
                a3 = h.fma(v3, a3);
                c0 = g.fma(v0, c0);
                c1 = g.fma(v1, c1);
                c2 = g.fma(v2, c2);
                c3 = g.fma(v3, c3);
            }
            if (!nonNegative) {
                a0 = a0.abs();
                a1 = a1.abs();
                a2 = a2.abs();
                a3 = a3.abs();
                c0 = c0.abs();
                c1 = c1.abs();
                c2 = c2.abs();
                c3 = c3.abs();
            }
            int o = b + head * lanes;
            h = FloatVector.fromArray(SPECIES, bounds, o);
            g = FloatVector.fromArray(SPECIES, bounds, o + stride);
            int at = block * lanes;
            h.fma(t0, a0).intoArray(bound0, at);
            h.fma(t1, a1).intoArray(bound1, at);
            h.fma(t2, a2).intoArray(bound2, at);
            h.fma(t3, a3).intoArray(bound3, at);
            g.fma(t0, c0).intoArray(bound0, at + lanes);
            g.fma(t1, c1).intoArray(bound1, at + lanes);
            g.fma(t2, c2).intoArray(bound2, at + lanes);
            g.fma(t3, c3).intoArray(bound3, at + lanes);
        }
        int perGroup = AtomSearch.GROUP / lanes;
        for (int r = 0; r < rows; r++) {
            float[] br = bound[r];
            float[] gr = groupMax[r];
            for (int q = 0; q < gr.length; q++) {
                int at = q * AtomSearch.GROUP;
                FloatVector max = FloatVector.fromArray(SPECIES, br, at);
                for (int u = 1; u < perGroup; u++) max = max.max(FloatVector.fromArray(SPECIES, br, at + u * lanes));
                gr[q] = max.reduceLanes(VectorOperators.MAX);
            }
        }
    }

    @Override
    public int reaching(float[] bound, int first, int end, float threshold) {
        FloatVector t = FloatVector.broadcast(SPECIES, threshold);
        for (int at = first; at < end; at += lanes) {
            if (FloatVector.fromArray(SPECIES, bound, at).compare(VectorOperators.GE, t).anyTrue()) return at;
        }
        return end;
    }

    @Override
    public boolean correlations(float[] y, int first, float[] out, float key) {
        int base = first / lanes * dim * lanes;
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        int j = 0;
        for (; j + 3 < dim; j += 4) {
            int at = base + j * lanes;
            c0 = FloatVector.fromArray(SPECIES, atoms, at).fma(FloatVector.broadcast(SPECIES, y[j]), c0);
            c1 = FloatVector.fromArray(SPECIES, atoms, at + lanes).fma(FloatVector.broadcast(SPECIES, y[j + 1]), c1);
            c2 = FloatVector.fromArray(SPECIES, atoms, at + 2 * lanes).fma(FloatVector.broadcast(SPECIES, y[j + 2]), c2);
            c3 = FloatVector.fromArray(SPECIES, atoms, at + 3 * lanes).fma(FloatVector.broadcast(SPECIES, y[j + 3]), c3);
        }
        int at = base + j * lanes;
        if (j < dim) c0 = FloatVector.fromArray(SPECIES, atoms, at).fma(FloatVector.broadcast(SPECIES, y[j]), c0);
        if (j + 1 < dim) c1 = FloatVector.fromArray(SPECIES, atoms, at + lanes).fma(FloatVector.broadcast(SPECIES, y[j + 1]), c1);
        if (j + 2 < dim) c2 = FloatVector.fromArray(SPECIES, atoms, at + 2 * lanes).fma(FloatVector.broadcast(SPECIES, y[j + 2]), c2);
        FloatVector c = c0.add(c1).add(c2.add(c3));
        c.intoArray(out, first);
        return (nonNegative ? c : c.abs()).compare(VectorOperators.GE, key).anyTrue();
    }
}
