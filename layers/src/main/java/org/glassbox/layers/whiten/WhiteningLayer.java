package org.glassbox.layers.whiten;

import java.util.LinkedHashMap;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.RowChunks;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.inspect.Reversible;
import org.glassbox.framework.layer.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen whitening stage of a {@link WhiteningSpec}: per position, {@code y = W (x' - mu)}
 * (x' is x minus its own mean when the spec removes it). Input and output maps have the same shape
 * {@code [gh, gw, d]}.
 *
 * <p>Learned arrays (float32):
 * <ul>
 * <li>{@code mean} {@code [d]}: mu, the mean of x' over the training sample;</li>
 * <li>{@code whitening} {@code [d, d]}: W = (C + eps I)^(-1/2), symmetric;</li>
 * <li>{@code unwhitening} {@code [d, d]}: U = (C + eps I)^(1/2) = W^-1, symmetric.</li>
 * </ul>
 * Encoding is one matrix product per batch: with rows as row vectors and {@code P = I - 1 1^T / d}
 * the per-vector mean removal (or I), {@code y = x (P W) - mu W}; {@code P W} and {@code mu W} are
 * computed once here. Then, per the spec, a vector whose x' has a norm below
 * {@link WhiteningSpec#emptyNorm} becomes 0, and with {@link WhiteningSpec#normalize} every other
 * y is divided by its L2 norm.
 *
 * <p>For inspection, whitened maps go back to the input space as y U + mu ({@link #toInput}) and
 * whitened patterns such as atoms as y U ({@link #patternToInput}).
 */
public final class WhiteningLayer implements Layer, Reversible {
    /** Rows per chunk of the empty-and-normalise pass, on the common fork-join pool. */
    private static final int CHUNK_ROWS = 4096;

    private final String id;
    private final WhiteningSpec spec;
    private final MapShape shape;
    private final INDArray mean;
    private final INDArray whitening;
    private final INDArray unwhitening;
    private final INDArray transform;
    private final INDArray offset;

    /**
     * A whitening layer for inputs of shape {@code shape} with d = {@code shape.channels()}; checks
     * that {@code mean} is {@code [d]} and {@code whitening} and {@code unwhitening} are
     * {@code [d, d]}, float32 (the message names the array as {@code <id>.<name>}).
     */
    public WhiteningLayer(String id, WhiteningSpec spec, MapShape shape, INDArray mean, INDArray whitening,
            INDArray unwhitening) {
        int d = shape.channels();
        this.id = id;
        this.spec = spec;
        this.shape = shape;
        this.mean = Shapes.require(id + ".mean", mean, d);
        this.whitening = Shapes.require(id + ".whitening", whitening, d, d);
        this.unwhitening = Shapes.require(id + ".unwhitening", unwhitening, d, d);
        double[] w = whitening.dup('c').data().asDouble();
        double[] mu = mean.toDoubleVector();
        double[] t = new double[d * d];
        double[] b = new double[d];
        for (int j = 0; j < d; j++) {
            double columnMean = 0;
            for (int i = 0; i < d; i++) columnMean += w[i * d + j];
            columnMean /= d;
            for (int i = 0; i < d; i++) {
                t[i * d + j] = spec.removePatchMean() ? w[i * d + j] - columnMean : w[i * d + j];
                b[j] += mu[i] * w[i * d + j];
            }
        }
        this.transform = Nd4j.createFromArray(t).castTo(DataType.FLOAT).reshape('c', d, d);
        this.offset = Nd4j.createFromArray(b).castTo(DataType.FLOAT).reshape(1, d);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public WhiteningSpec spec() {
        return spec;
    }

    @Override
    public MapShape inputShape() {
        return shape;
    }

    @Override
    public MapShape outputShape() {
        return shape;
    }

    /** Whitens every position: {@code [n, gh, gw, d]} to {@code [n, gh, gw, d]}. Does not modify {@code input}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, shape);
        INDArray rows = Maps.rows(input);
        // Nd4j.gemm writes the product straight into its result; INDArray.mmul leaves a temporary of
        // the result's size to the garbage collector (docs/performance.md, "Memory")
        INDArray y = Nd4j.gemm(rows, transform, false, false).subiRowVector(offset);
        if (spec.emptyNorm() > 0 || spec.normalize()) {
            INDArray scaled = emptyAndNormalize(rows, y);
            OffHeap.free(y, input);
            y = scaled;
        }
        INDArray out = Maps.map(y, shape);
        OffHeap.free(rows, input, out);
        OffHeap.free(y, input, out);
        return out;
    }

    /**
     * The whitened rows {@code y} {@code [m, d]} with the rows whose input x ({@code rows}) is empty
     * set to 0 and, with normalisation, every other row divided by its L2 norm.
     */
    private INDArray emptyAndNormalize(INDArray rows, INDArray y) {
        int d = shape.channels();
        float[] x = FloatArrays.values(rows);
        float[] out = FloatArrays.values(y);
        double empty = spec.emptyNorm() * spec.emptyNorm();
        RowChunks.forEach(out.length / d, CHUNK_ROWS, (from, to) -> {
            for (int start = from * d; start < to * d; start += d) {
                scaleRow(x, out, start, d, empty);
            }
        });
        return FloatArrays.of(out, y.shape());
    }

    /** Row {@code [start, start + d)} of {@code out} set to 0 when its input in {@code x} is empty, else normalised as configured. */
    private void scaleRow(float[] x, float[] out, int start, int d, double empty) {
        double sum = 0;
        double squares = 0;
        for (int j = 0; j < d; j++) {
            sum += x[start + j];
            squares += (double) x[start + j] * x[start + j];
        }
        double centred = spec.removePatchMean() ? squares - sum * sum / d : squares;
        double norm = 0;
        for (int j = 0; j < d; j++) norm += (double) out[start + j] * out[start + j];
        double scale = centred < empty ? 0 : spec.normalize() && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        if (scale != 1) {
            for (int j = 0; j < d; j++) out[start + j] = (float) (out[start + j] * scale);
        }
    }

    /**
     * Maps directions from whitened space to pixel (patch) space: {@code [m, d]} rows r to
     * {@code r U} (U symmetric, so each row becomes U r). Use it for dictionary atoms learned on
     * whitened vectors: a direction has no mean to restore.
     */
    public INDArray unwhitenDirections(INDArray rows) {
        Shapes.require(id + " whitened directions", rows, Shapes.ANY, shape.channels());
        return rows.mmul(unwhitening);
    }

    /**
     * Maps whitened vectors back to pixel (patch) space: {@code [m, d]} rows y to {@code y U + mu},
     * the inverse of {@link #encode} up to what the per-vector mean removal discarded (with it on,
     * the result is the input minus its own mean). Use it for reconstructions of data vectors.
     */
    public INDArray unwhiten(INDArray rows) {
        return unwhitenDirections(rows).addiRowVector(mean);
    }

    /** Whitened maps {@code [n, gh, gw, d]} back to the input space: {@link #unwhiten} at every position. */
    @Override
    public INDArray toInput(INDArray outputs) {
        Shapes.requireMap(id + " whitened maps", outputs, shape);
        return Maps.map(unwhiten(Maps.rows(outputs.dup('c'))), shape);
    }

    /** Whitened patterns {@code [m, h, w, d]} back to the input space: {@link #unwhitenDirections} at every position. */
    @Override
    public INDArray patternToInput(INDArray patterns) {
        Shapes.require(id + " whitened patterns", patterns, Shapes.ANY, Shapes.ANY, Shapes.ANY, shape.channels());
        return unwhitenDirections(Maps.rows(patterns)).reshape('c', patterns.shape());
    }

    /** mu, {@code [d]}. Callers must not modify it. */
    public INDArray mean() {
        return mean;
    }

    /** W, {@code [d, d]}. Callers must not modify it. */
    public INDArray whitening() {
        return whitening;
    }

    /** U = W^-1, {@code [d, d]}. Callers must not modify it. */
    public INDArray unwhitening() {
        return unwhitening;
    }

    /** {@code mean [d]}, {@code whitening [d, d]}, {@code unwhitening [d, d]}, in that order. */
    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("mean", mean);
        p.put("whitening", whitening);
        p.put("unwhitening", unwhitening);
        return p;
    }
}
