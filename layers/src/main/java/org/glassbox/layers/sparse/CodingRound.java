package org.glassbox.layers.sparse;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the parts of a dictionary fit need to encode their share of a mini-batch (or of all
 * vectors) under the dictionary of the current round: the spec (its encoder), the dictionary D,
 * FISTA's power-iteration warm start, and how many worst-reconstructed vectors to keep for
 * re-seeding (0 in rounds that do not re-seed). Every part builds the same encoder from it, so
 * the codes of a vector do not depend on which part encodes it.
 *
 * <p>Serializable only to travel to the tasks of a distributed fit.
 *
 * @param spec the sparse-coding spec
 * @param dictionary D, {@code [atoms * dimension]} row-major float32
 * @param atoms K
 * @param dimension d
 * @param eigenStart the warm start of FISTA's power iteration, {@code [K]}, or null
 * @param keepWorst how many worst-reconstructed vectors the statistics keep, at least 0
 */
public record CodingRound(SparseCodingSpec spec, float[] dictionary, int atoms, int dimension, double[] eigenStart,
        int keepWorst) implements Serializable {
    /** D as a new {@code [K, d]} float32 array. */
    public INDArray dictionaryArray() {
        return NativeRows.fromValues(dictionary, atoms, dimension).array;
    }

    /**
     * The statistics ({@link MiniBatchStatistics}) of {@code rows} {@code [m, d]}, whose row i is
     * at position {@code positions[i]} of the round's mini-batch (positions order the re-seeding
     * candidates when residual norms tie).
     */
    public MiniBatchStatistics statistics(INDArray rows, int[] positions) {
        return DictionaryLearner.statistics(this, rows, positions);
    }

    /** For each atom, how many rows of {@code rows} {@code [m, d]} have a non-zero code, {@code [K]}. */
    public long[] activeCounts(INDArray rows) {
        return DictionaryLearner.activeCounts(this, rows);
    }
}
