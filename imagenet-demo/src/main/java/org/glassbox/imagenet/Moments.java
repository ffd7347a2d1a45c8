package org.glassbox.imagenet;

import java.io.Serializable;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The first and second moments of the position vectors of a set of maps, accumulated in float64:
 * the count n, the sum s = sum x and the cross-product sum S = sum x xᵀ over every position vector
 * x (a row of {@code Maps.rows(map)}, {@code [channels]}). These are the sufficient statistics of
 * whitening (mean s / n, covariance S / n - (s / n)(s / n)ᵀ). Partial moments of disjoint parts of
 * the data add up ({@link #plus}), which is how a Spark pass combines partitions; sums in float64
 * make the result independent of how the data were split, to far below float32 precision.
 *
 * <p>Serializable only to travel between Spark tasks; nothing is stored with Java serialization.
 */
public final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private long count;
    private final double[] sum;
    private final double[] cross;

    /** Empty moments of {@code dim}-dimensional vectors. */
    public Moments(int dim) {
        this.dim = dim;
        this.sum = new double[dim];
        this.cross = new double[dim * dim];
    }

    /** The moments of every position vector of {@code source}, streamed in batches of {@code batchSize} samples. */
    public static Moments of(MapSource source, int batchSize) {
        Moments m = new Moments(source.shape().channels());
        source.forEachBatch(batchSize, (batch, offset) -> m.add(Maps.rows(batch)));
        return m;
    }

    /** Adds the rows of {@code rows} ({@code [n, dim]}) to these moments; returns this. */
    public Moments add(INDArray rows) {
        if (rows.rank() != 2 || rows.size(1) != dim) {
            throw new GlassboxException("moments of " + dim + "-dimensional vectors: got rows of shape "
                    + java.util.Arrays.toString(rows.shape()));
        }
        INDArray x = rows.castTo(DataType.DOUBLE);
        double[] s = x.sum(0).toDoubleVector();
        double[] c = x.transpose().mmul(x).data().asDouble();
        for (int i = 0; i < dim; i++) sum[i] += s[i];
        for (int i = 0; i < c.length; i++) cross[i] += c[i];
        count += rows.size(0);
        return this;
    }

    /** The moments of both parts together (this object is not changed). */
    public Moments plus(Moments other) {
        if (other.dim != dim) {
            throw new GlassboxException("cannot add moments of " + other.dim + "-dimensional vectors to moments of "
                    + dim + "-dimensional ones");
        }
        Moments out = new Moments(dim);
        out.count = count + other.count;
        for (int i = 0; i < dim; i++) out.sum[i] = sum[i] + other.sum[i];
        for (int i = 0; i < cross.length; i++) out.cross[i] = cross[i] + other.cross[i];
        return out;
    }

    /** The dimension of the vectors. */
    public int dim() {
        return dim;
    }

    /** How many vectors were added. */
    public long count() {
        return count;
    }

    /** The sum of the vectors, {@code [dim]}. */
    public double[] sum() {
        return sum.clone();
    }

    /** The sum of x xᵀ, {@code [dim * dim]} row-major. */
    public double[] cross() {
        return cross.clone();
    }

    /** The mean s / n, {@code [dim]}. */
    public double[] mean() {
        requireData();
        double[] m = new double[dim];
        for (int i = 0; i < dim; i++) m[i] = sum[i] / count;
        return m;
    }

    /** The covariance S / n - m mᵀ (maximum-likelihood, divided by n), {@code [dim * dim]} row-major. */
    public double[] covariance() {
        double[] m = mean();
        double[] c = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) c[i * dim + j] = cross[i * dim + j] / count - m[i] * m[j];
        }
        return c;
    }

    private void requireData() {
        if (count == 0) throw new GlassboxException("cannot take the moments of no data");
    }
}
