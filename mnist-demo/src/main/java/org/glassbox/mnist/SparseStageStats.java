package org.glassbox.mnist;

import org.glassbox.framework.layer.Trace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Accumulates, over traced test batches, what metrics.json reports for one sparse-coding stage:
 * the mean number of active atoms per input vector and the relative reconstruction error
 * sum ||x - a D||^2 / sum ||x||^2 over every position of every test image, where x is the
 * stage's input (for layer 1, the whitened patch) and a D its reconstruction.
 */
final class SparseStageStats {
    private final String prefix;
    private final String inputName;
    private double residualSquares;
    private double inputSquares;
    private double active;
    private long vectors;

    /**
     * @param prefix the stage's atom prefix, such as {@code L1}; its trace names are
     *               {@code L1.code}, {@code L1.recon}, {@code L1.residual}
     * @param inputName the trace name of the stage's input (the stage before it)
     */
    SparseStageStats(String prefix, String inputName) {
        this.prefix = prefix;
        this.inputName = inputName;
    }

    /** Adds one traced batch. */
    void add(Trace trace) {
        INDArray codes = trace.get(prefix + ".code");
        INDArray residual = trace.get(prefix + ".residual");
        INDArray input = trace.get(inputName);
        residualSquares += residual.norm2Number().doubleValue() * residual.norm2Number().doubleValue();
        double inNorm = input.norm2Number().doubleValue();
        inputSquares += inNorm * inNorm;
        active += Transforms.abs(codes, true).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).sumNumber().doubleValue();
        vectors += codes.length() / codes.size(codes.rank() - 1);
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
