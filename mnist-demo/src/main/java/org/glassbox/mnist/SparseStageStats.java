package org.glassbox.mnist;

import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates, over the test batches, what metrics.json reports for one sparse-coding stage: the
 * mean number of active atoms per input vector and the relative reconstruction error
 * sum ||x - a D||^2 / sum ||x||^2 over every position of every test image, where x is the stage's
 * input (for layer 1, the whitened patch) and a D its reconstruction, computed from the non-zeros.
 */
final class SparseStageStats {
    private final SparseCodingLayer layer;
    private final float[] dictionary;
    private double residualSquares;
    private double inputSquares;
    private double active;
    private long vectors;

    /** Statistics of the stage {@code layer}. */
    SparseStageStats(SparseCodingLayer layer) {
        this.layer = layer;
        this.dictionary = layer.dictionary().dup('c').data().asFloat();
    }

    /** Adds one batch: the stage's input maps {@code [n, gh, gw, d]} and their codes. */
    void add(INDArray input, SparseRows codes) {
        int d = layer.inputShape().channels();
        float[] x = FloatArrays.values(Maps.rows(input));
        double[] residual = new double[d];
        for (int r = 0; r < codes.rows(); r++) {
            for (int j = 0; j < d; j++) {
                residual[j] = x[r * d + j];
                inputSquares += (double) x[r * d + j] * x[r * d + j];
            }
            for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) {
                int atom = codes.index()[u] * d;
                for (int j = 0; j < d; j++) residual[j] -= codes.value()[u] * dictionary[atom + j];
            }
            for (int j = 0; j < d; j++) residualSquares += residual[j] * residual[j];
        }
        active += codes.index().length;
        vectors += codes.rows();
    }

    /** Mean number of non-zero coefficients per input vector. */
    double meanActiveAtoms() {
        return vectors == 0 ? 0 : active / vectors;
    }

    /** sum ||x - a D||^2 / sum ||x||^2. */
    double relativeReconstructionError() {
        return inputSquares == 0 ? 0 : residualSquares / inputSquares;
    }
}
