package org.glassbox.layers.whiten;

import java.io.Serializable;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sufficient statistics of whitening, accumulated in float64 over vectors x' (each vector x,
 * first replaced by {@code x - mean(x) 1} when per-vector mean removal is on): the count m, the sum
 * {@code s = sum x'} {@code [d]} and the cross-product sum {@code Q = sum x' x'^T} {@code [d, d]}.
 * The mean and covariance follow as {@code mu = s / m} and {@code C = Q / m - mu mu^T}
 * ({@link #covariance()}). Moments of disjoint sets of vectors add up ({@link #plus}), which is how
 * a distributed fit sums the moments of its partitions; float64 sums make the result independent
 * of how the vectors were split, to far below float32 precision.
 *
 * <p>Serializable only to travel between the tasks of a distributed fit; nothing is stored with
 * Java serialization.
 */
public final class PositionMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dimension;
    private final boolean removeVectorMean;
    private final double emptyNorm;
    private long count;
    private final double[] sum;
    private final double[] cross;

    /** Empty moments of {@code dimension}-dimensional vectors, with or without per-vector mean removal. */
    public PositionMoments(int dimension, boolean removeVectorMean) {
        this(dimension, removeVectorMean, 0);
    }

    /**
     * Empty moments of {@code dimension}-dimensional vectors, with or without per-vector mean
     * removal, leaving out vectors whose x' has an L2 norm below {@code emptyNorm}.
     */
    public PositionMoments(int dimension, boolean removeVectorMean, double emptyNorm) {
        this.dimension = dimension;
        this.removeVectorMean = removeVectorMean;
        this.emptyNorm = emptyNorm;
        this.sum = new double[dimension];
        this.cross = new double[dimension * dimension];
    }

    /** Adds the vectors {@code rows} {@code [m, d]} (float32, not modified); returns this. */
    public PositionMoments add(INDArray rows) {
        Shapes.require("moment vectors", rows, Shapes.ANY, dimension);
        if (rows.size(0) == 0) return this;
        INDArray x = rows.castTo(DataType.DOUBLE);
        if (removeVectorMean) {
            x.subiColumnVector(x.mean(true, 1));
        }
        if (emptyNorm > 0) {
            x = nonEmpty(x);
            if (x == null) return this;
        }
        double[] s = x.sum(0).toDoubleVector();
        double[] q = x.transpose().mmul(x).dup('c').data().asDouble();
        for (int i = 0; i < dimension; i++) sum[i] += s[i];
        for (int i = 0; i < q.length; i++) cross[i] += q[i];
        count += x.size(0);
        return this;
    }

    /** The rows of {@code x} {@code [m, d]} (float64) with an L2 norm of at least the empty norm, or null when none has. */
    private INDArray nonEmpty(INDArray x) {
        double[] norms = x.norm2(1).toDoubleVector();
        int kept = 0;
        for (double norm : norms) if (norm >= emptyNorm) kept++;
        if (kept == norms.length) return x;
        if (kept == 0) return null;
        int[] rows = new int[kept];
        for (int i = 0, j = 0; i < norms.length; i++) if (norms[i] >= emptyNorm) rows[j++] = i;
        return x.getRows(rows);
    }

    /** The moments of both sets of vectors together (neither is changed). */
    public PositionMoments plus(PositionMoments other) {
        if (other.dimension != dimension || other.removeVectorMean != removeVectorMean || other.emptyNorm != emptyNorm) {
            throw new GlassboxException("cannot add moments of " + other.dimension + "-dimensional vectors (mean removal "
                    + other.removeVectorMean + ", emptyNorm " + other.emptyNorm + ") to moments of " + dimension
                    + "-dimensional ones (mean removal " + removeVectorMean + ", emptyNorm " + emptyNorm + ")");
        }
        PositionMoments out = new PositionMoments(dimension, removeVectorMean, emptyNorm);
        out.count = count + other.count;
        for (int i = 0; i < dimension; i++) out.sum[i] = sum[i] + other.sum[i];
        for (int i = 0; i < cross.length; i++) out.cross[i] = cross[i] + other.cross[i];
        return out;
    }

    /** How many vectors were added. */
    public long count() {
        return count;
    }

    /** The dimension d. */
    public int dimension() {
        return dimension;
    }

    /**
     * {@code mu = s / m} and {@code C = Q / m - mu mu^T}, symmetrised exactly; m must be at least 1.
     */
    public Covariance covariance() {
        if (count == 0) throw new GlassboxException("cannot take the covariance of no vectors");
        int d = dimension;
        double[] mu = new double[d];
        for (int i = 0; i < d; i++) mu[i] = sum[i] / count;
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double q = 0.5 * (cross[i * d + j] + cross[j * d + i]);
                double v = q / count - mu[i] * mu[j];
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
        }
        return new Covariance(mu, c, d, count);
    }
}
