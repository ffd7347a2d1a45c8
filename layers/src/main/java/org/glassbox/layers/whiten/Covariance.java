package org.glassbox.layers.whiten;

import org.glassbox.framework.array.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean and covariance of a sample of vectors, in float64: for rows {@code x_1..x_m} (each
 * first replaced by {@code x - mean(x) 1} when per-vector mean removal is on),
 * {@code mu = (1/m) sum x_i} and {@code C = (1/m) sum (x_i - mu)(x_i - mu)^T}. The product is one
 * float64 matrix product through ND4J; C is symmetrised exactly.
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
        long m = rows.size(0);
        int d = (int) rows.size(1);
        INDArray x = rows.castTo(DataType.DOUBLE);
        if (removeVectorMean) {
            x.subiColumnVector(x.mean(true, 1));
        }
        INDArray mu = x.mean(0);
        x.subiRowVector(mu);
        double[] c = x.transpose().mmul(x).divi(m).dup('c').data().asDouble();
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (c[i * d + j] + c[j * d + i]);
                c[i * d + j] = s;
                c[j * d + i] = s;
            }
        }
        return new Covariance(mu.data().asDouble(), c, d, m);
    }
}
