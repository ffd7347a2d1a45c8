package org.glassbox.layers.patch;

import java.util.Arrays;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.SampleMaps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.ReceptiveField;
import org.glassbox.framework.inspect.Reversible;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen patch-extraction stage of a {@link PatchSpec}: maps {@code [n, H, W, C]} to
 * {@code [n, gh, gw, k * k * C]} (geometry in {@link PatchSpec}). It has no learned arrays.
 *
 * <p>Channel order inside a patch vector: {@code (dy, dx, c)}, row-major, so entry
 * {@code (dy * k + dx) * C + c} of the patch at output position (i, j) is input cell
 * {@code (i * s + dy, j * s + dx)}, channel c. A patch vector is therefore a C-ordered
 * {@code [k, k, C]} image, with dy running down and dx to the right ({@link #patternToInput}).
 *
 * <p>Extraction copies rows of {@code k * C} contiguous floats per window row (im2col over the
 * C-ordered buffer), one sample at a time ({@link SampleMaps}: the samples in chunks on the common
 * fork-join pool).
 *
 * <p>For inspection, output rows [a, b) read input rows [a s, (b - 1) s + k) ({@link #inputSpan}),
 * patches fold back onto the input grid ({@link #toInput}) and a pattern of patch vectors is the
 * image its windows make ({@link #patternToInput}).
 */
public final class PatchLayer implements Layer, ReceptiveField, Reversible {
    /** Samples per chunk of the extraction, on the common fork-join pool. */
    private static final int CHUNK_IMAGES = 16;

    private final String id;
    private final PatchSpec spec;
    private final MapShape inputShape;
    private final MapShape outputShape;

    /**
     * A patch layer for inputs of shape {@code inputShape}; throws a {@link GlassboxException}
     * naming {@code id} when the window does not fit in the grid.
     */
    public PatchLayer(String id, PatchSpec spec, MapShape inputShape) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        try {
            this.outputShape = spec.outputShape(inputShape);
        } catch (GlassboxException e) {
            throw new GlassboxException(id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PatchSpec spec() {
        return spec;
    }

    @Override
    public MapShape inputShape() {
        return inputShape;
    }

    @Override
    public MapShape outputShape() {
        return outputShape;
    }

    /** Nothing is learned: an empty map. */
    @Override
    public Map<String, INDArray> parameters() {
        return Map.of();
    }

    /** True at stride 1: a patch of the moved image is the patch of the image at the moved position. */
    @Override
    public boolean translationEquivariant() {
        return spec.stride() == 1;
    }

    /**
     * Extracts all patches: {@code [n, H, W, C]} to {@code [n, gh, gw, k * k * C]}, channel order
     * {@code (dy, dx, c)}. Does not modify {@code input}.
     */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        return SampleMaps.map(input, outputShape, CHUNK_IMAGES, this::extract);
    }

    /** Writes every patch of one C-ordered {@code [H, W, C]} image into {@code patches}, C-ordered {@code [gh, gw, k*k*C]}. */
    private void extract(float[] image, float[] patches) {
        int k = spec.size();
        int stride = spec.stride();
        int c = inputShape.channels();
        int rowStride = inputShape.gridW() * c;
        int run = k * c;
        int o = 0;
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++) {
                int top = i * stride * rowStride + j * stride * c;
                for (int dy = 0; dy < k; dy++) {
                    System.arraycopy(image, top + dy * rowStride, patches, o, run);
                    o += run;
                }
            }
        }
    }

    /** Output rows (columns) [a, b) read input rows (columns) [a s, (b - 1) s + k). */
    @Override
    public Span inputSpan(Span outputs, boolean rows) {
        return new Span(outputs.from() * spec.stride(), (outputs.to() - 1) * spec.stride() + spec.size());
    }

    /**
     * Patterns of patch vectors as the images they stand for: {@code [m, h, w, k * k * C]} on the
     * output positions (0 .. h - 1, 0 .. w - 1) to {@code [m, (h - 1) s + k, (w - 1) s + k, C]}, each
     * vector laid out as its {@code k x k} window (row dy of the window is image row i s + dy) at its
     * position, overlapping windows summed. A single vector ({@code h = w = 1}) is its window: for
     * example an un-whitened atom as the {@code k x k} image it stands for.
     */
    @Override
    public INDArray patternToInput(INDArray patterns) {
        Shapes.require(id + " patterns", patterns, Shapes.ANY, Shapes.ANY, Shapes.ANY, outputShape.channels());
        int m = (int) patterns.size(0);
        int h = (int) patterns.size(1);
        int w = (int) patterns.size(2);
        int k = spec.size();
        int stride = spec.stride();
        int c = inputShape.channels();
        int outH = (h - 1) * stride + k;
        int outW = (w - 1) * stride + k;
        float[] v = patterns.dup('c').data().asFloat();
        float[] out = new float[m * outH * outW * c];
        int o = 0;
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int dy = 0; dy < k; dy++) {
                        int start = ((a * outH + i * stride + dy) * outW + j * stride) * c;
                        for (int t = 0; t < k * c; t++) out[start + t] += v[o++];
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {m, outH, outW, c}, 'c');
    }

    /**
     * Puts patches back on the input grid: {@code [n, gh, gw, k * k * C]} to {@code [n, H, W, C]},
     * each input cell the average of the values that the patches covering it hold for it, and 0
     * where no patch covers it. For patches extracted by {@link #encode} this returns the input
     * on every covered cell; for reconstructed patches it is the usual overlap-average image.
     */
    @Override
    public INDArray toInput(INDArray patches) {
        Shapes.requireMap(id + " patches to fold", patches, outputShape);
        long n = patches.size(0);
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, inputShape.batchShape(0));
        }
        int k = spec.size();
        int stride = spec.stride();
        int c = inputShape.channels();
        int rowStride = inputShape.gridW() * c;
        int inSize = (int) inputShape.size();
        int outSize = Math.toIntExact(outputShape.size());
        int[] cover = new int[inSize];
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++) {
                for (int dy = 0; dy < k; dy++) {
                    int start = (i * stride + dy) * rowStride + j * stride * c;
                    for (int t = 0; t < k * c; t++) cover[start + t]++;
                }
            }
        }
        INDArray src = FloatArrays.contiguous(patches);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, inputShape.batchShape(n), 'c');
        float[] vectors = new float[outSize];
        float[] image = new float[inSize];
        FloatPointer in = new FloatPointer(src.data().addressPointer());
        FloatPointer dst = new FloatPointer(out.data().addressPointer());
        for (long s = 0; s < n; s++) {
            in.position(s * outSize).get(vectors, 0, outSize);
            Arrays.fill(image, 0f);
            int o = 0;
            for (int i = 0; i < outputShape.gridH(); i++) {
                for (int j = 0; j < outputShape.gridW(); j++) {
                    for (int dy = 0; dy < k; dy++) {
                        int start = (i * stride + dy) * rowStride + j * stride * c;
                        for (int t = 0; t < k * c; t++) image[start + t] += vectors[o++];
                    }
                }
            }
            for (int t = 0; t < inSize; t++) image[t] = cover[t] == 0 ? 0f : image[t] / cover[t];
            dst.position(s * inSize).put(image, 0, inSize);
        }
        return out;
    }
}
