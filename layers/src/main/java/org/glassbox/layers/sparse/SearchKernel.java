package org.glassbox.layers.sparse;

/**
 * The bounds of {@link AtomSearch} for rotated rows y: b_k = y_h . e_k,h + t ||e_k,t|| of every
 * atom (with absolute values: |y_h . e_k,h| + t ||e_k,t||), t = ||y_t||, with the largest bound of
 * each group of {@link AtomSearch#GROUP} atoms, and the search for bounds that reach a threshold.
 * The bounds decide only which correlations the search computes, so every implementation gives
 * the same codes.
 */
interface SearchKernel {
    /** The most rows whose bounds {@link #bounds} computes in one pass over the atoms. */
    int ROWS = 4;

    /** Atoms whose bounds {@link #reaching} tests together: a block starts at a multiple of it. */
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
}
