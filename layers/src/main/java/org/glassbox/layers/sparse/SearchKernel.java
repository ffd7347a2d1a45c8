package org.glassbox.layers.sparse;

/**
 * The arithmetic of {@link AtomSearch} for one rotated row y: the bounds
 * b_k = y_h . e_k,h + t ||e_k,t|| of every atom (with absolute values: |y_h . e_k,h| + t ||e_k,t||),
 * t = ||y_t||, with the largest bound of each group of {@link AtomSearch#GROUP} atoms, and the
 * exact correlations c_k = y . e_k of blocks of atoms. Every implementation computes c_k the same
 * way, so they all give the same codes: as {@link org.glassbox.framework.array.FusedDot} does.
 */
interface SearchKernel {
    /** The most rows whose bounds {@link #bounds} computes in one pass over the atoms. */
    int ROWS = 4;

    /** Atoms whose exact correlations {@link #correlations} computes together: a block starts at a multiple of it. */
    int block();

    /**
     * The bounds of rows {@code 0 .. rows - 1}, {@code rows <= ROWS}.
     *
     * @param y the rotated rows; the first m entries of each are read
     * @param tail ||y_t|| of each row, the norm of its remaining coordinates
     * @param bound receives b_k of each row for every atom, padded to whole groups
     * @param groupMax receives the largest bound of each group, for each row
     */
    void bounds(float[][] y, float[] tail, int rows, float[][] bound, float[][] groupMax);

    /**
     * The first block at or after {@code first} (a multiple of {@link #block()}) and before
     * {@code end} in which some atom's bound reaches {@code threshold}, or {@code end} if none.
     */
    int reaching(float[] bound, int first, int end, float threshold);

    /**
     * The exact correlations of atoms {@code [first, first + block())} with y, into {@code out} at
     * the same indices; whether any of them reaches {@code key} (c_k, or |c_k| when negative
     * correlations count, at least {@code key}), so that a block that cannot improve on the best
     * atom need not be read again.
     */
    boolean correlations(float[] y, int first, float[] out, float key);
}
