package org.glassbox.layers.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.RowChunks;
import org.glassbox.framework.array.SampleMaps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.ReceptiveField;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.DerivedChannels;
import org.glassbox.framework.layer.LocallyLinear;
import org.glassbox.framework.layer.SparseInput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen pooling stage of a {@link PoolingSpec}: maps {@code [n, H, W, K]} to
 * {@code [n, gh, gw, K]} ({@code 2K} for average and max side by side) by reducing each region of
 * the grid per channel, then L2-normalising each reduction's pooled vector when the spec says so
 * (regions and formula in {@link PoolingSpec}). It has no learned arrays. The work is one pass per
 * sample over a float copy of the sample, from and to ND4J's native buffers; after a sparse-coding
 * stage, one pass over the codes' non-zeros ({@link SparseInput}), with the same result bit for bit.
 */
public final class PoolingLayer implements LocallyLinear, ReceptiveField, DerivedChannels, SparseInput {
    /** Samples per chunk of the pooling pass, on the common fork-join pool. */
    private static final int CHUNK_SAMPLES = 16;

    private final String id;
    private final PoolingSpec spec;
    private final MapShape inputShape;
    private final MapShape outputShape;
    private final int[] rowStart;
    private final int[] rowEnd;
    private final int[] columnStart;
    private final int[] columnEnd;

    /**
     * A pooling layer for inputs of shape {@code inputShape}; throws a {@link GlassboxException}
     * naming {@code id} when the regions do not fit the grid.
     */
    public PoolingLayer(String id, PoolingSpec spec, MapShape inputShape) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        try {
            this.outputShape = spec.outputShape(inputShape);
        } catch (GlassboxException e) {
            throw new GlassboxException(id + ": " + e.getMessage(), e);
        }
        rowStart = new int[outputShape.gridH()];
        rowEnd = new int[outputShape.gridH()];
        columnStart = new int[outputShape.gridW()];
        columnEnd = new int[outputShape.gridW()];
        bounds(inputShape.gridH(), outputShape.gridH(), rowStart, rowEnd);
        bounds(inputShape.gridW(), outputShape.gridW(), columnStart, columnEnd);
    }

    private void bounds(int in, int out, int[] start, int[] end) {
        for (int i = 0; i < out; i++) {
            if (spec.byWindows()) {
                start[i] = i * spec.stride();
                end[i] = start[i] + spec.window();
            } else {
                start[i] = (int) ((long) i * in / out);
                end[i] = (int) (((long) (i + 1) * in + out - 1) / out);
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PoolingSpec spec() {
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

    /**
     * The input's names for one reduction; for both, {@code mean(name)} for each input channel,
     * then {@code max(name)} for each.
     */
    @Override
    public List<String> outputChannelNames(List<String> inputNames) {
        if (spec.reduction() != PoolingSpec.Reduction.AVERAGE_AND_MAX) return inputNames;
        List<String> names = new ArrayList<>(2 * inputNames.size());
        for (String name : inputNames) names.add("mean(" + name + ")");
        for (String name : inputNames) names.add("max(" + name + ")");
        return names;
    }

    /** The input rows that output row {@code i} pools: {@code {first, endExclusive}}. */
    public int[] regionRows(int i) {
        return new int[] {rowStart[i], rowEnd[i]};
    }

    /** The input columns that output column {@code j} pools: {@code {first, endExclusive}}. */
    public int[] regionColumns(int j) {
        return new int[] {columnStart[j], columnEnd[j]};
    }

    /** Output rows (columns) [a, b) read the input rows (columns) from the first of region a to the end of region b - 1. */
    @Override
    public Span inputSpan(Span outputs, boolean rows) {
        int[] first = rows ? regionRows(outputs.from()) : regionColumns(outputs.from());
        int[] last = rows ? regionRows(outputs.to() - 1) : regionColumns(outputs.to() - 1);
        return new Span(first[0], last[1]);
    }

    /** Pools {@code [n, H, W, K]} to {@code [n, gh, gw, K]} (or {@code 2K}). Does not modify {@code input}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        return SampleMaps.map(input, outputShape, CHUNK_SAMPLES, (map, pooled) -> pool(new DenseMap(map), pooled, 0,
                spec.normalize()));
    }

    /**
     * {@link #encode} of the maps whose rows {@code [n * H * W, K]} are {@code codes}, reading only
     * their non-zeros: a region's mean sums the non-zeros in the order the dense pass adds them, and
     * its maximum is the largest non-zero, or 0 where the region holds a zero of that channel.
     */
    @Override
    public INDArray encodeSparse(SparseRows codes) {
        int positions = inputShape.positions();
        if (codes.columns() != inputShape.channels() || codes.rows() % positions != 0) {
            throw new GlassboxException(id + " input: expected code rows [n x " + positions + ", "
                    + inputShape.channels() + "] but got [" + codes.rows() + ", " + codes.columns() + "]");
        }
        int n = codes.rows() / positions;
        if (n == 0) return Nd4j.create(DataType.FLOAT, outputShape.batchShape(0));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, outputShape.batchShape(n), 'c');
        int outSize = Math.toIntExact(outputShape.size());
        RowChunks.forEach(n, CHUNK_SAMPLES, (first, last) -> {
            float[] pooled = new float[(last - first) * outSize];
            int[] count = new int[inputShape.channels()];
            for (int s = first; s < last; s++) {
                pool(new SparseMap(codes, s * positions, count), pooled, (s - first) * outSize, spec.normalize());
            }
            new FloatPointer(out.data().addressPointer()).position((long) first * outSize).put(pooled, 0, pooled.length);
        });
        return out;
    }

    /**
     * Pools one {@code [H, W, K]} map into {@code pooled[at, at + gh gw R K)}, C-ordered
     * {@code [gh, gw, R K]} with R the reduction's {@linkplain PoolingSpec.Reduction#outputsPerChannel
     * outputs per channel} (means first), L2-normalising each reduction's K values per cell when
     * {@code normalize}.
     */
    private void pool(Regions map, float[] pooled, int at, boolean normalize) {
        int k = inputShape.channels();
        int o = at;
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++) {
                if (spec.reduction().averages()) {
                    map.average(i, j, pooled, o);
                    scale(pooled, o, 1f / area(i, j));
                    if (normalize) scale(pooled, o, (float) normalisingScale(pooled, o));
                    o += k;
                }
                if (spec.reduction().maxima()) {
                    map.maximum(i, j, pooled, o);
                    if (normalize) scale(pooled, o, (float) normalisingScale(pooled, o));
                    o += k;
                }
            }
        }
    }

    /** One map's K channels over the regions of the grid. */
    private interface Regions {
        /** Writes the K channel sums over region (i, j) to {@code pooled[o, o + K)}. */
        void average(int i, int j, float[] pooled, int o);

        /** Writes the K channel maxima over region (i, j) to {@code pooled[o, o + K)}. */
        void maximum(int i, int j, float[] pooled, int o);
    }

    /** A C-ordered {@code [H, W, K]} map. */
    private final class DenseMap implements Regions {
        private final float[] map;

        DenseMap(float[] map) {
            this.map = map;
        }

        @Override
        public void average(int i, int j, float[] pooled, int o) {
            int k = inputShape.channels();
            Arrays.fill(pooled, o, o + k, 0f);
            for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                    int base = (y * inputShape.gridW() + x) * k;
                    for (int c = 0; c < k; c++) pooled[o + c] += map[base + c];
                }
            }
        }

        @Override
        public void maximum(int i, int j, float[] pooled, int o) {
            int k = inputShape.channels();
            Arrays.fill(pooled, o, o + k, Float.NEGATIVE_INFINITY);
            for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                    int base = (y * inputShape.gridW() + x) * k;
                    for (int c = 0; c < k; c++) pooled[o + c] = Math.max(pooled[o + c], map[base + c]);
                }
            }
        }
    }

    /**
     * The map whose positions are rows {@code [first, first + H W)} of {@code codes}; {@code count}
     * ({@code [K]}) is scratch for the non-zeros per channel of a region.
     */
    private final class SparseMap implements Regions {
        private final SparseRows codes;
        private final int first;
        private final int[] count;

        SparseMap(SparseRows codes, int first, int[] count) {
            this.codes = codes;
            this.first = first;
            this.count = count;
        }

        @Override
        public void average(int i, int j, float[] pooled, int o) {
            Arrays.fill(pooled, o, o + inputShape.channels(), 0f);
            for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                    int r = first + y * inputShape.gridW() + x;
                    for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) {
                        pooled[o + codes.index()[u]] += codes.value()[u];
                    }
                }
            }
        }

        @Override
        public void maximum(int i, int j, float[] pooled, int o) {
            int k = inputShape.channels();
            Arrays.fill(pooled, o, o + k, Float.NEGATIVE_INFINITY);
            Arrays.fill(count, 0);
            for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                    int r = first + y * inputShape.gridW() + x;
                    for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) {
                        int c = codes.index()[u];
                        pooled[o + c] = Math.max(pooled[o + c], codes.value()[u]);
                        count[c]++;
                    }
                }
            }
            int area = area(i, j);
            for (int c = 0; c < k; c++) {
                if (count[c] < area) pooled[o + c] = Math.max(pooled[o + c], 0f);
            }
        }
    }

    /** The number of input cells region (i, j) pools. */
    private int area(int i, int j) {
        return (rowEnd[i] - rowStart[i]) * (columnEnd[j] - columnStart[j]);
    }

    /** {@code 1 / max(||v[o, o + K)||_2, epsilon)}. */
    private double normalisingScale(float[] v, int o) {
        double squares = 0;
        for (int c = 0; c < inputShape.channels(); c++) squares += (double) v[o + c] * v[o + c];
        return 1 / Math.max(Math.sqrt(squares), spec.epsilon());
    }

    /** Multiplies {@code v[o, o + K)} by {@code factor}. */
    private void scale(float[] v, int o, float factor) {
        for (int c = 0; c < inputShape.channels(); c++) v[o + c] *= factor;
    }

    /**
     * A_x^T w of the pooling of the one map {@code input} {@code [1, H, W, K]}: a mean output (o, c)
     * is s times the mean of channel c over region o, and a max output s times its largest entry,
     * with s the normalising scale of that reduction's K values at o (1 without normalisation); so
     * each mean's weight goes back as w s / |region| to every position of the region, and each
     * maximum's as w s to the position that held it (the first one on ties).
     */
    @Override
    public INDArray inputWeights(INDArray input, INDArray outputWeights) {
        Shapes.requireMap(id + " input", input, inputShape);
        if (input.size(0) != 1) {
            throw new GlassboxException(id + ": input weights are for one map at a time (got " + input.size(0) + ")");
        }
        Shapes.requireMap(id + " output weights", outputWeights, outputShape);
        int k = inputShape.channels();
        int width = inputShape.gridW();
        int inSize = Math.toIntExact(inputShape.size());
        int outSize = Math.toIntExact(outputShape.size());
        float[] map = FloatArrays.values(input);
        float[] unscaled = new float[outSize];
        pool(new DenseMap(map), unscaled, 0, false);
        int m = (int) outputWeights.size(0);
        float[] w = FloatArrays.values(outputWeights);
        float[] out = new float[m * inSize];
        int o = 0;
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++) {
                if (spec.reduction().averages()) {
                    double share = (spec.normalize() ? normalisingScale(unscaled, o) : 1) / area(i, j);
                    for (int r = 0; r < m; r++) {
                        for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                            for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                                int at = r * inSize + (y * width + x) * k;
                                for (int c = 0; c < k; c++) out[at + c] += (float) (w[r * outSize + o + c] * share);
                            }
                        }
                    }
                    o += k;
                }
                if (spec.reduction().maxima()) {
                    double share = spec.normalize() ? normalisingScale(unscaled, o) : 1;
                    for (int c = 0; c < k; c++) {
                        int argmax = -1;
                        for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                            for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                                int at = (y * width + x) * k + c;
                                if (argmax < 0 || map[at] > map[argmax]) argmax = at;
                            }
                        }
                        for (int r = 0; r < m; r++) out[r * inSize + argmax] += (float) (w[r * outSize + o + c] * share);
                    }
                    o += k;
                }
            }
        }
        return FloatArrays.of(out, inputShape.batchShape(m));
    }
}
