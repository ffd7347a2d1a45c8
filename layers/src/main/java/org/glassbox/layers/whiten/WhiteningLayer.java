package org.glassbox.layers.whiten;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.RowProduct;
import org.glassbox.framework.array.SampleMaps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.inspect.Reversible;
import org.glassbox.framework.layer.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * Encoding computes, per position and with rows as row vectors and {@code P = I - 1 1^T / d} the
 * per-vector mean removal (or I), {@code y = x (P W) - mu W}; {@code P W} and {@code mu W} are
 * computed once here. Then, per the spec, a vector whose x' has a norm below
 * {@link WhiteningSpec#emptyNorm} becomes 0, and with {@link WhiteningSpec#normalize} every other
 * y is divided by its L2 norm. All of it is one pass in Java over each map ({@link RowProduct}:
 * float32 fused multiply-adds; float64 norms), the maps copied out of and back into ND4J's memory
 * one at a time ({@link SampleMaps}), in chunks on the common fork-join pool.
 *
 * <p>For inspection, whitened maps go back to the input space as y U + mu ({@link #toInput}) and
 * whitened patterns such as atoms as y U ({@link #patternToInput}).
 */
public final class WhiteningLayer implements Layer, Reversible {
    /** Maps per chunk of the encoding pass, on the common fork-join pool. */
    private static final int CHUNK_SAMPLES = 4;

    private final String id;
    private final WhiteningSpec spec;
    private final MapShape shape;
    private final INDArray mean;
    private final INDArray whitening;
    private final INDArray unwhitening;
    /** y = x (P W) - mu W. */
    private final RowProduct transform;

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
        float[] matrix = new float[d * d];
        float[] bias = new float[d];
        for (int i = 0; i < d * d; i++) matrix[i] = (float) t[i];
        for (int j = 0; j < d; j++) bias[j] = (float) -b[j];
        this.transform = RowProduct.of(matrix, d, d, bias);
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

    /** True: every position is whitened on its own with the same matrix. */
    @Override
    public boolean translationEquivariant() {
        return true;
    }

    /** Whitens every position: {@code [n, gh, gw, d]} to {@code [n, gh, gw, d]}. Does not modify {@code input}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, shape);
        int d = shape.channels();
        double empty = spec.emptyNorm() * spec.emptyNorm();
        return SampleMaps.map(input, shape, CHUNK_SAMPLES, (x, y) -> {
            for (int start = 0; start < x.length; start += d) whitenRow(x, y, start, empty);
        });
    }

    /**
     * Row {@code [start, start + d)} of {@code y}: the whitened row of {@code x}, 0 when the
     * input row is empty and otherwise divided by its L2 norm, as the spec says.
     */
    private void whitenRow(float[] x, float[] y, int start, double empty) {
        int d = shape.channels();
        if (spec.emptyNorm() > 0) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < d; i++) {
                sum += x[start + i];
                squares += (double) x[start + i] * x[start + i];
            }
            double centred = spec.removePatchMean() ? squares - sum * sum / d : squares;
            if (centred < empty) {
                Arrays.fill(y, start, start + d, 0f);
                return;
            }
        }
        transform.apply(x, start, y, start);
        if (!spec.normalize()) return;
        double norm = 0;
        for (int j = 0; j < d; j++) norm += (double) y[start + j] * y[start + j];
        if (norm == 0) return;
        double scale = 1 / Math.sqrt(norm);
        for (int j = 0; j < d; j++) y[start + j] = (float) (y[start + j] * scale);
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
