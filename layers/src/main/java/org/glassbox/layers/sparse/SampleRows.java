package org.glassbox.layers.sparse;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training vectors of a dictionary fit, {@code [n, d]}, wherever they live: in one array
 * ({@link #of}) or spread over the partitions of a cluster. {@link DictionaryLearner} reads them
 * only through these three requests, so the single-machine and the distributed fit run the same
 * loop: whole rows for the initial dictionary, the statistics of one mini-batch under the current
 * dictionary ({@link CodingRound#statistics}, summed over the parts that hold the rows), and the
 * usage counts under the final dictionary ({@link CodingRound#activeCounts}, summed likewise).
 */
public interface SampleRows {
    /** n, the number of vectors. */
    int count();

    /** d, the length of each vector. */
    int dimension();

    /** The vectors {@code indices} (each in [0, n)), in that order, {@code [indices.length][d]}. */
    float[][] rows(int[] indices);

    /**
     * The statistics of the mini-batch whose position i is vector {@code batch[i]}, under
     * {@code round}: {@link CodingRound#statistics} of those rows with their batch positions, or
     * the sum of it over parts of the batch.
     */
    MiniBatchStatistics statistics(int[] batch, CodingRound round);

    /** For each atom, how many of the n vectors have a non-zero code under {@code round}, {@code [K]}. */
    long[] activeCounts(CodingRound round);

    /** The rows of {@code samples} {@code [n, d]} float32 (not copied: the caller must not change it). */
    static SampleRows of(INDArray samples) {
        return new LocalSampleRows(NativeRows.of(samples));
    }
}
