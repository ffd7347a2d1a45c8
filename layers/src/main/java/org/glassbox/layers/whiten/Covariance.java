package org.glassbox.layers.whiten;

import org.glassbox.framework.array.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean and covariance of a sample of vectors, in float64: for rows {@code x_1..x_m} (each
 * first replaced by {@code x - mean(x) 1} when per-vector mean removal is on),
 * {@code mu = (1/m) sum x_i} and {@code C = (1/m) sum (x_i - mu)(x_i - mu)^T = (1/m) sum x_i x_i^T - mu mu^T},
 * computed from the additive {@link PositionMoments}; C is symmetrised exactly.
 *
 * @param mean {@code [d]}
 * @param matrix {@code [d * d]} row-major, symmetric
 * @param dimension d
 * @param count m, the number of vectors
 */
public record Covariance(double[] mean, double[] matrix, int dimension, long count) {
    /** Estimates mu and C from {@code rows} {@code [m, d]} (float32, not modified), m at least 1. */
    public static Covariance of(INDArray rows, boolean removeVectorMean) {
        Shapes.require("covariance sample", rows, Shapes.ANY, Shapes.ANY);
        return new PositionMoments((int) rows.size(1), removeVectorMean).add(rows).covariance();
    }
}
