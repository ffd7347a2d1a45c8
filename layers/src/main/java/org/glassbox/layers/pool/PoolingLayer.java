package org.glassbox.layers.pool;

import java.util.Arrays;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.SampleMaps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.ReceptiveField;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.LocallyLinear;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The frozen pooling stage of a {@link PoolingSpec}: maps {@code [n, H, W, K]} to
 * {@code [n, gh, gw, K]} by reducing each region of the grid per channel, then L2-normalising each
 * pooled vector when the spec says so (regions and formula in {@link PoolingSpec}). It has no
 * learned arrays. The work is one pass per sample over a float copy of the sample, from and to
 * ND4J's native buffers.
 */
public final class PoolingLayer implements LocallyLinear, ReceptiveField {
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

    /** Pools {@code [n, H, W, K]} to {@code [n, gh, gw, K]}. Does not modify {@code input}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        return SampleMaps.map(input, outputShape, CHUNK_SAMPLES, (map, pooled) -> pool(map, pooled, spec.normalize()));
    }

    /**
     * Pools one C-ordered {@code [H, W, K]} map into {@code pooled}, C-ordered {@code [gh, gw, K]},
     * L2-normalising each pooled vector when {@code normalize}.
     */
    private void pool(float[] map, float[] pooled, boolean normalize) {
        int k = inputShape.channels();
        int width = inputShape.gridW();
        boolean max = spec.reduction() == PoolingSpec.Reduction.MAX;
        int o = 0;
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++) {
                Arrays.fill(pooled, o, o + k, max ? Float.NEGATIVE_INFINITY : 0f);
                for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                    for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                        int base = (y * width + x) * k;
                        if (max) {
                            for (int c = 0; c < k; c++) pooled[o + c] = Math.max(pooled[o + c], map[base + c]);
                        } else {
                            for (int c = 0; c < k; c++) pooled[o + c] += map[base + c];
                        }
                    }
                }
                if (!max) {
                    float inverse = 1f / ((rowEnd[i] - rowStart[i]) * (columnEnd[j] - columnStart[j]));
                    for (int c = 0; c < k; c++) pooled[o + c] *= inverse;
                }
                if (normalize) {
                    double squares = 0;
                    for (int c = 0; c < k; c++) squares += (double) pooled[o + c] * pooled[o + c];
                    float scale = (float) (1 / Math.max(Math.sqrt(squares), spec.epsilon()));
                    for (int c = 0; c < k; c++) pooled[o + c] *= scale;
                }
                o += k;
            }
        }
    }

    /**
     * A_x^T w of the pooling of the one map {@code input} {@code [1, H, W, K]}: output (o, c) is
     * s_o times the mean (or, for max pooling, the largest entry) of channel c over region o, with
     * s_o the region's normalising scale (1 without normalisation), so each weight w[o, c] goes back
     * as w[o, c] s_o / |region| to every position of the region (max: as w[o, c] s_o to the position
     * that held the maximum, the first one on ties).
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
        boolean max = spec.reduction() == PoolingSpec.Reduction.MAX;
        float[] map = FloatArrays.values(input);
        float[] pooled = new float[Math.toIntExact(outputShape.size())];
        float[] unscaled = new float[pooled.length];
        boolean normalize = spec.normalize();
        pool(map, unscaled, false);
        pool(map, pooled, normalize);
        int m = (int) outputWeights.size(0);
        float[] w = FloatArrays.values(outputWeights);
        float[] out = new float[m * Math.toIntExact(inputShape.size())];
        int inSize = Math.toIntExact(inputShape.size());
        float[] back = new float[m * k];
        int o = 0;
        for (int i = 0; i < outputShape.gridH(); i++) {
            for (int j = 0; j < outputShape.gridW(); j++, o += k) {
                double squares = 0;
                for (int c = 0; c < k; c++) squares += (double) unscaled[o + c] * unscaled[o + c];
                double scale = normalize ? 1 / Math.max(Math.sqrt(squares), spec.epsilon()) : 1;
                double share = max ? scale : scale / ((rowEnd[i] - rowStart[i]) * (columnEnd[j] - columnStart[j]));
                for (int r = 0; r < m; r++) {
                    for (int c = 0; c < k; c++) back[r * k + c] = (float) (w[r * pooled.length + o + c] * share);
                }
                if (!max) {
                    for (int r = 0; r < m; r++) {
                        for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                            for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                                int at = r * inSize + (y * width + x) * k;
                                for (int c = 0; c < k; c++) out[at + c] += back[r * k + c];
                            }
                        }
                    }
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    int argmax = -1;
                    for (int y = rowStart[i]; y < rowEnd[i]; y++) {
                        for (int x = columnStart[j]; x < columnEnd[j]; x++) {
                            int at = (y * width + x) * k + c;
                            if (argmax < 0 || map[at] > map[argmax]) argmax = at;
                        }
                    }
                    for (int r = 0; r < m; r++) out[r * inSize + argmax] += back[r * k + c];
                }
            }
        }
        long[] shape = inputShape.batchShape(m);
        return FloatArrays.of(out, shape);
    }
}
