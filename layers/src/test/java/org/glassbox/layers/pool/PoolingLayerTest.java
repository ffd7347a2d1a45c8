package org.glassbox.layers.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.io.Json;
import org.glassbox.layers.pool.PoolingSpec.Reduction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PoolingLayerTest {
    private static float[] random(int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    private static PoolingLayer layer(PoolingSpec spec, MapShape in) {
        return spec.fit("L1.pool", MapSource.of(Nd4j.create(DataType.FLOAT, in.batchShape(1))), FitContext.silent(1));
    }

    /**
     * Pools with explicit region bounds given per output row and column, then optionally divides
     * each pooled vector by max(norm, eps); written independently of the layer.
     */
    private static double[] naivePool(float[] in, int n, int h, int w, int k, int[][] rows, int[][] cols,
            boolean max, boolean normalize, double eps) {
        int gh = rows.length;
        int gw = cols.length;
        double[] out = new double[n * gh * gw * k];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < gh; i++)
                for (int j = 0; j < gw; j++) {
                    int o = ((b * gh + i) * gw + j) * k;
                    for (int c = 0; c < k; c++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int y = rows[i][0]; y < rows[i][1]; y++)
                            for (int x = cols[j][0]; x < cols[j][1]; x++) {
                                double v = in[((b * h + y) * w + x) * k + c];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        out[o + c] = max ? acc : acc / count;
                    }
                    if (normalize) {
                        double norm = 0;
                        for (int c = 0; c < k; c++) norm += out[o + c] * out[o + c];
                        norm = Math.max(Math.sqrt(norm), eps);
                        for (int c = 0; c < k; c++) out[o + c] /= norm;
                    }
                }
        return out;
    }

    /** {@link #naivePool} for reduction {@code r}: both outputs side by side per cell for AVERAGE_AND_MAX. */
    private static double[] naivePool(float[] in, int n, int h, int w, int k, int[][] rows, int[][] cols, Reduction r,
            boolean normalize, double eps) {
        if (r != Reduction.AVERAGE_AND_MAX) return naivePool(in, n, h, w, k, rows, cols, r == Reduction.MAX, normalize, eps);
        double[] means = naivePool(in, n, h, w, k, rows, cols, false, normalize, eps);
        double[] maxima = naivePool(in, n, h, w, k, rows, cols, true, normalize, eps);
        double[] out = new double[2 * means.length];
        for (int cell = 0; cell < means.length / k; cell++) {
            System.arraycopy(means, cell * k, out, 2 * cell * k, k);
            System.arraycopy(maxima, cell * k, out, (2 * cell + 1) * k, k);
        }
        return out;
    }

    private static int[][] windows(int size, int window, int stride) {
        int g = (size - window) / stride + 1;
        int[][] r = new int[g][];
        for (int i = 0; i < g; i++) r[i] = new int[] {i * stride, i * stride + window};
        return r;
    }

    private static void assertClose(double[] expected, INDArray actual) {
        float[] a = actual.data().asFloat();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) assertEquals(expected[i], a[i], 1e-5, "entry " + i);
    }

    @Test
    void windowPoolingMatchesANaiveReference() {
        int n = 3;
        int h = 7;
        int w = 9;
        int k = 5;
        float[] data = random(n * h * w * k, 4);
        INDArray input = Nd4j.create(data, new long[] {n, h, w, k}, 'c');
        for (Reduction r : Reduction.values()) {
            for (boolean normalize : new boolean[] {false, true}) {
                PoolingLayer layer = layer(PoolingSpec.windows(r, 3, 2).withNormalize(normalize), new MapShape(h, w, k));
                INDArray out = layer.encode(input);
                assertArrayEquals(new long[] {n, 3, 4, k * r.outputsPerChannel()}, out.shape());
                assertClose(naivePool(data, n, h, w, k, windows(h, 3, 2), windows(w, 3, 2), r, normalize,
                        PoolingSpec.DEFAULT_EPSILON), out);
            }
        }
    }

    @Test
    void gridPoolingCoversTheWholeInputAndMatchesANaiveReference() {
        int n = 2;
        int h = 23;
        int w = 10;
        int k = 4;
        float[] data = random(n * h * w * k, 6);
        INDArray input = Nd4j.create(data, new long[] {n, h, w, k}, 'c');
        int[][] rows = {{0, 6}, {5, 12}, {11, 18}, {17, 23}};
        int[][] cols = {{0, 4}, {3, 7}, {6, 10}};
        for (Reduction r : Reduction.values()) {
            PoolingLayer layer = layer(PoolingSpec.grid(r, 4, 3), new MapShape(h, w, k));
            for (int i = 0; i < 4; i++) assertArrayEquals(rows[i], layer.regionRows(i));
            for (int j = 0; j < 3; j++) assertArrayEquals(cols[j], layer.regionColumns(j));
            assertClose(naivePool(data, n, h, w, k, rows, cols, r, true, PoolingSpec.DEFAULT_EPSILON), layer.encode(input));
        }
        PoolingLayer exact = layer(PoolingSpec.grid(Reduction.AVERAGE, 2, 5), new MapShape(4, 10, 1));
        assertArrayEquals(new int[] {2, 4}, exact.regionRows(1));
        assertArrayEquals(new int[] {8, 10}, exact.regionColumns(4));
    }

    @Test
    void normalisedOutputsHaveUnitNormAndShortVectorsStayShort() {
        int k = 16;
        float[] data = random(4 * 6 * 6 * k, 8);
        for (int c = 0; c < k; c++) data[c] = 0; // sample 0, cell (0, 0): a zero vector
        INDArray input = Nd4j.create(data, new long[] {4, 6, 6, k}, 'c');
        INDArray out = layer(PoolingSpec.windows(Reduction.MAX, 2, 2), new MapShape(6, 6, k)).encode(input);
        INDArray norms = out.reshape(4 * 9, k).norm2(1);
        for (int i = 0; i < norms.length(); i++) assertEquals(1.0, norms.getDouble(i), 1e-6, "vector " + i);

        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 1, 6, 6, k);
        zeros.putScalar(new long[] {0, 0, 0, 3}, 1e-9f);
        INDArray small = layer(PoolingSpec.windows(Reduction.AVERAGE, 2, 2).withEpsilon(1e-6), new MapShape(6, 6, k))
                .encode(zeros);
        assertEquals(1e-9 / 4 / 1e-6, small.getDouble(0, 0, 0, 3), 1e-9, "a vector shorter than eps is divided by eps");
        assertEquals(0.0, small.getDouble(0, 1, 1, 3));

        INDArray both = layer(PoolingSpec.windows(Reduction.AVERAGE_AND_MAX, 2, 2), new MapShape(6, 6, k)).encode(input);
        assertArrayEquals(new long[] {4, 3, 3, 2 * k}, both.shape());
        INDArray halves = both.reshape(4 * 9 * 2, k).norm2(1);
        for (int i = 0; i < halves.length(); i++) assertEquals(1.0, halves.getDouble(i), 1e-6, "half " + i);
        INDArray smallBoth = layer(PoolingSpec.windows(Reduction.AVERAGE_AND_MAX, 2, 2), new MapShape(6, 6, k)).encode(zeros);
        assertEquals(1e-9 / 4 / 1e-6, smallBoth.getDouble(0, 0, 0, 3), 1e-9, "the mean, divided by eps");
        assertEquals(1e-9 / 1e-6, smallBoth.getDouble(0, 0, 0, k + 3), 1e-9, "the maximum, divided by eps on its own");
        assertEquals(0.0, smallBoth.getDouble(0, 1, 1, k + 3));
    }

    @Test
    void poolsViewsWithoutChangingThem() {
        float[] data = random(5 * 4 * 4 * 3, 12);
        INDArray all = Nd4j.create(data, new long[] {5, 4, 4, 3}, 'c');
        INDArray view = all.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        PoolingLayer layer = layer(PoolingSpec.grid(Reduction.AVERAGE, 2, 2), new MapShape(4, 4, 3));
        assertEquals(layer.encode(view.dup()), layer.encode(view));
        INDArray transposed = all.permute(0, 2, 1, 3);
        assertEquals(layer.encode(transposed.dup('c')), layer.encode(transposed));
        assertArrayEquals(data, all.data().asFloat());
    }

    @Test
    void specValidationNamesTheParameter() {
        assertEquals("invalid reduction = null: expected AVERAGE, MAX or AVERAGE_AND_MAX",
                assertThrows(InvalidParameterException.class, () -> new PoolingSpec(null, 2, 2, 0, 0, true, 1e-6)).getMessage());
        assertEquals("invalid window = -1: expected an integer >= 0",
                assertThrows(InvalidParameterException.class, () -> PoolingSpec.windows(Reduction.MAX, -1, 2)).getMessage());
        assertEquals("invalid stride = 0: expected a positive integer when window is given",
                assertThrows(InvalidParameterException.class, () -> PoolingSpec.windows(Reduction.MAX, 2, 0)).getMessage());
        assertEquals("invalid window = 0: expected a positive integer when stride is given",
                assertThrows(InvalidParameterException.class, () -> PoolingSpec.windows(Reduction.MAX, 0, 2)).getMessage());
        assertEquals("invalid outputGridW = 0: expected a positive integer when outputGridH is given",
                assertThrows(InvalidParameterException.class, () -> PoolingSpec.grid(Reduction.MAX, 3, 0)).getMessage());
        assertEquals("invalid outputGridH x outputGridW = 2 x 2: expected 0 x 0 when window and stride are given"
                + " (pool either by windows or to an output grid)",
                assertThrows(InvalidParameterException.class,
                        () -> new PoolingSpec(Reduction.AVERAGE, 2, 2, 2, 2, true, 1e-6)).getMessage());
        assertEquals("invalid window = 0: expected a positive window and stride, or a positive outputGridH and outputGridW",
                assertThrows(InvalidParameterException.class,
                        () -> new PoolingSpec(Reduction.AVERAGE, 0, 0, 0, 0, true, 1e-6)).getMessage());
        assertEquals("invalid epsilon = 0.0: expected a finite number > 0",
                assertThrows(InvalidParameterException.class,
                        () -> PoolingSpec.windows(Reduction.AVERAGE, 2, 2).withEpsilon(0)).getMessage());
        assertEquals(new PoolingSpec(Reduction.MAX, 0, 0, 3, 3, false, 1e-3),
                PoolingSpec.grid(Reduction.AVERAGE, 3, 3).withReduction(Reduction.MAX).withNormalize(false).withEpsilon(1e-3));
    }

    @Test
    void regionsThatDoNotFitAreRefusedWithBothShapes() {
        var window = assertThrows(GlassboxException.class,
                () -> layer(PoolingSpec.windows(Reduction.AVERAGE, 5, 1), new MapShape(4, 8, 2)));
        assertEquals("L1.pool: invalid window = 5: expected at most 4, the shorter side of the input grid [4, 8, 2]",
                window.getMessage());
        var grid = assertThrows(GlassboxException.class,
                () -> layer(PoolingSpec.grid(Reduction.AVERAGE, 3, 9), new MapShape(4, 8, 2)));
        assertEquals("L1.pool: invalid outputGridW = 9: expected at most 8, the width of the input grid [4, 8, 2]",
                grid.getMessage());
        var tall = assertThrows(GlassboxException.class,
                () -> layer(PoolingSpec.grid(Reduction.AVERAGE, 5, 2), new MapShape(4, 8, 2)));
        assertEquals("L1.pool: invalid outputGridH = 5: expected at most 4, the height of the input grid [4, 8, 2]",
                tall.getMessage());
        PoolingLayer layer = layer(PoolingSpec.grid(Reduction.AVERAGE, 2, 2), new MapShape(4, 4, 3));
        var input = assertThrows(GlassboxException.class, () -> layer.encode(Nd4j.create(DataType.FLOAT, 1, 4, 4, 2)));
        assertEquals("L1.pool input: expected shape [*, 4, 4, 3] but got [1, 4, 4, 2]", input.getMessage());
    }

    @Test
    void restoresThroughItsKindFromTheSerialisedSpec() throws Exception {
        for (PoolingSpec spec : new PoolingSpec[] {PoolingSpec.windows(Reduction.MAX, 3, 2),
                PoolingSpec.grid(Reduction.AVERAGE, 2, 3).withNormalize(false),
                PoolingSpec.windows(Reduction.AVERAGE_AND_MAX, 4, 2)}) {
            PoolingLayer fitted = layer(spec, new MapShape(7, 7, 6));
            LayerKind kind = LayerKind.named("pooling");
            ComponentSpec read = Json.MAPPER.treeToValue(Json.MAPPER.valueToTree(spec), kind.specType());
            assertEquals(spec, read);
            Layer restored = kind.restore("L1.pool", read, fitted.inputShape(), Map.of());
            assertEquals(fitted.outputShape(), restored.outputShape());
            INDArray x = Nd4j.create(random(2 * 7 * 7 * 6, 1), new long[] {2, 7, 7, 6}, 'c');
            assertEquals(fitted.encode(x), restored.encode(x));
        }
        assertTrue(Json.MAPPER.valueToTree(PoolingSpec.windows(Reduction.MAX, 3, 2)).toString().contains("\"MAX\""));
    }
    /**
     * Codes as a sparse-coding stage gives them: mostly zeros, some negative values, and channel 0
     * non-zero at every position of sample 1 (so a maximum there is the largest non-zero, even a
     * negative one, and not 0).
     */
    private static INDArray sparseCodes(int n, MapShape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(n * shape.size())];
        for (int i = 0; i < v.length; i++) {
            if (rng.nextDouble() < 0.1) v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        if (n > 1) {
            for (int p = 0; p < shape.positions(); p++) v[Math.toIntExact((shape.positions() + p) * shape.channels())] = -0.25f - p;
        }
        return Nd4j.create(v, shape.batchShape(n), 'c');
    }

    @Test
    void nonZerosArePooledBitForBitAsTheDenseMaps() {
        MapShape in = new MapShape(7, 6, 5);
        INDArray codes = sparseCodes(3, in, 11);
        SparseRows rows = SparseRows.of(Maps.rows(codes));
        assertTrue(rows.value().length < codes.length() / 5, "the codes are mostly zeros");
        for (Reduction reduction : Reduction.values()) {
            for (PoolingSpec spec : new PoolingSpec[] {PoolingSpec.windows(reduction, 3, 2), PoolingSpec.grid(reduction, 2, 3),
                    PoolingSpec.windows(reduction, 2, 2).withNormalize(false)}) {
                PoolingLayer layer = layer(spec, in);
                INDArray dense = layer.encode(codes);
                INDArray sparse = layer.encodeSparse(rows);
                assertArrayEquals(dense.shape(), sparse.shape(), spec.toString());
                assertArrayEquals(dense.data().asFloat(), sparse.data().asFloat(), spec.toString());
            }
        }
        PoolingLayer max = layer(PoolingSpec.windows(Reduction.MAX, 7, 1).withNormalize(false), new MapShape(7, 7, 5));
        INDArray full = sparseCodes(2, new MapShape(7, 7, 5), 3);
        assertEquals(-0.25f, max.encodeSparse(SparseRows.of(Maps.rows(full))).getFloat(1, 0, 0, 0),
                "a channel non-zero at every position of the region keeps its largest value");
    }

    @Test
    void anEmptyBatchOfNonZerosAndMismatchedRowsAreHandled() {
        MapShape in = new MapShape(4, 4, 3);
        PoolingLayer layer = layer(PoolingSpec.windows(Reduction.AVERAGE_AND_MAX, 2, 2), in);
        INDArray empty = layer.encodeSparse(new SparseRows(0, 3, new int[1], new int[0], new float[0]));
        assertArrayEquals(new long[] {0, 2, 2, 6}, empty.shape());
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> layer.encodeSparse(new SparseRows(15, 3, new int[16], new int[0], new float[0])));
        assertEquals("L1.pool input: expected code rows [n x 16, 3] but got [15, 3]", e.getMessage());
    }
}
