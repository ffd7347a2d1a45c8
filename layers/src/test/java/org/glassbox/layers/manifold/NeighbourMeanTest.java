package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The NEIGHBOUR_MEAN statistics against a direct float64 evaluation of their definition, on code
 * maps with empty (all-zero) positions, and the manifold layer's sparse input against its dense one.
 */
class NeighbourMeanTest {
    private static final MapShape SHAPE = new MapShape(6, 7, 10);

    /**
     * Sparse code maps with about 40% of the positions empty; map 1 entirely empty, map 2 with one
     * code only, map 3 with two codes farther apart than the window: positions without a non-zero
     * neighbour.
     */
    static INDArray mapsWithEmptyPositions(int n, MapShape shape, long seed) {
        INDArray maps = CoOccurrenceTest.sparseMaps(n, shape, 2, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int m = 0; m < n; m++) {
            for (int y = 0; y < shape.gridH(); y++) {
                for (int x = 0; x < shape.gridW(); x++) {
                    boolean empty = m == 1 || m == 2 && (y != 2 || x != 3) || m == 3 && !(y == 0 && x == 0)
                            && !(y == shape.gridH() - 1 && x == shape.gridW() - 1) || m > 3 && rng.nextDouble() < 0.4;
                    if (empty) {
                        maps.get(NDArrayIndex.point(m), NDArrayIndex.point(y), NDArrayIndex.point(x), NDArrayIndex.all())
                                .assign(0);
                    }
                }
            }
        }
        return maps;
    }

    /**
     * V over the positions whose code is not zero, S over those of them with at least one non-zero
     * code among the other positions of their full window (clipped to the grid), c = a_i minus the mean
     * of those codes; evaluated position by position in float64. Returns {V, S, {positions, differences}}.
     */
    static double[][] reference(INDArray maps, int window) {
        int n = (int) maps.size(0);
        int gh = (int) maps.size(1);
        int gw = (int) maps.size(2);
        int k = (int) maps.size(3);
        double[] a = maps.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] v = new double[k * k];
        double[] s = new double[k * k];
        long positions = 0;
        long differences = 0;
        int r = window / 2;
        for (int m = 0; m < n; m++) {
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    int base = ((m * gh + y) * gw + x) * k;
                    if (!nonZero(a, base, k)) continue;
                    for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) v[p * k + q] += a[base + p] * a[base + q];
                    positions++;
                    double[] mean = new double[k];
                    int count = 0;
                    for (int yy = y - r; yy <= y + r; yy++) {
                        for (int xx = x - r; xx <= x + r; xx++) {
                            if (yy < 0 || yy >= gh || xx < 0 || xx >= gw || (yy == y && xx == x)) continue;
                            int other = ((m * gh + yy) * gw + xx) * k;
                            if (!nonZero(a, other, k)) continue;
                            for (int p = 0; p < k; p++) mean[p] += a[other + p];
                            count++;
                        }
                    }
                    if (count == 0) continue;
                    double[] c = new double[k];
                    for (int p = 0; p < k; p++) c[p] = a[base + p] - mean[p] / count;
                    for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) s[p * k + q] += c[p] * c[q];
                    differences++;
                }
            }
        }
        for (int i = 0; i < k * k; i++) {
            v[i] /= positions;
            s[i] /= differences;
        }
        return new double[][] {v, s, {positions, differences}};
    }

    private static boolean nonZero(double[] a, int base, int k) {
        for (int p = 0; p < k; p++) if (a[base + p] != 0) return true;
        return false;
    }

    private static void assertMatches(double[][] ref, CoOccurrence stats) {
        double[] v = stats.v();
        double[] s = stats.s();
        for (int i = 0; i < v.length; i++) {
            assertEquals(ref[0][i], v[i], 1e-9, "V[" + i + "]");
            assertEquals(ref[1][i], s[i], 1e-9, "S[" + i + "]");
        }
        assertEquals((long) ref[2][0], stats.positions(), "the positions with a non-zero code");
    }

    @Test
    void statisticsFromMapsMatchTheDefinition() {
        INDArray maps = mapsWithEmptyPositions(8, SHAPE, 11);
        double[][] ref = reference(maps, 5);
        long all = 8L * SHAPE.positions();
        assertTrue(ref[2][0] > all / 3 && ref[2][0] < all * 0.6, "non-zero positions: " + ref[2][0] + " of " + all);
        assertTrue(ref[2][1] < ref[2][0], "some non-zero positions have no non-zero neighbour");
        for (CoOccurrence.Method method : new CoOccurrence.Method[] {CoOccurrence.Method.SPARSE, CoOccurrence.Method.DENSE, null}) {
            CoOccurrence stats = new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
            stats.add(maps, new int[] {0, 1, 2}, method);
            stats.add(maps.get(NDArrayIndex.interval(3, 8), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()),
                    new int[] {0, 1, 2, 3, 4}, method);
            assertMatches(ref, stats);
        }
        // a 3 x 3 window sees fewer neighbours
        CoOccurrence narrow = new CoOccurrence(SHAPE, 3, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
        narrow.add(maps, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertMatches(reference(maps, 3), narrow);
    }

    @Test
    void statisticsFromCodeRowsMatchTheDefinitionAndAddUp() {
        INDArray maps = mapsWithEmptyPositions(8, SHAPE, 12);
        CoOccurrence whole = new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
        whole.add(SparseRows.of(Maps.rows(maps)));
        assertMatches(reference(maps, 5), whole);

        CoOccurrence first = new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
        first.add(SparseRows.of(Maps.rows(maps.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()))));
        CoOccurrence second = new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
        second.add(SparseRows.of(Maps.rows(maps.get(NDArrayIndex.interval(5, 8), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()))));
        assertMatches(reference(maps, 5), first.plus(second));

        var wrong = assertThrows(GlassboxException.class,
                () -> whole.add(SparseRows.of(Nd4j.zeros(DataType.FLOAT, 41, 10))));
        assertEquals("manifold: expected code rows [maps x 42, 10] for maps [6, 7, 10] but got [41, 10]", wrong.getMessage());
        var mixed = assertThrows(GlassboxException.class,
                () -> whole.plus(new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.FIRST)));
        assertEquals("manifold: cannot add statistics of maps [6, 7, 10] (window 5, FIRST) to statistics of maps "
                + "[6, 7, 10] (window 5, NEIGHBOUR_MEAN)", mixed.getMessage());
    }

    @Test
    void emptyMapsAddNothing() {
        CoOccurrence stats = new CoOccurrence(SHAPE, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN);
        stats.add(Nd4j.zeros(DataType.FLOAT, 2, 6, 7, 10), new int[] {0, 1});
        assertEquals(0, stats.positions());
        for (double x : stats.v()) assertEquals(0.0, x);
        for (double x : stats.s()) assertEquals(0.0, x);
    }

    @Test
    void theFitSolvesTheGeneralisedEigenproblemOfTheseStatistics() {
        MapShape shape = new MapShape(6, 7, 12);
        INDArray maps = mapsWithEmptyPositions(60, shape, 5);
        double ridge = 1e-2;
        ManifoldSpec spec = new ManifoldSpec(4, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN, ridge, 1000, 1, false);
        ManifoldLayer layer = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(1));
        double[][] ref = reference(maps, 5);
        int k = shape.channels();
        double trace = 0;
        for (int j = 0; j < k; j++) trace += ref[0][j * k + j];
        double[] vr = ref[0].clone();
        for (int j = 0; j < k; j++) vr[j * k + j] += ridge * trace / k;
        double[][] p = layer.projection().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] mu = layer.mu().castTo(DataType.DOUBLE).toDoubleVector();
        for (int a = 0; a < p.length; a++) {
            double[] vp = times(vr, p[a], k);
            double[] sp = times(ref[1], p[a], k);
            for (int i = 0; i < k; i++) assertEquals(mu[a] * vp[i], sp[i], 1e-5, "S p = mu V p, dimension " + a);
            for (int b = 0; b < p.length; b++) {
                double dot = 0;
                for (int i = 0; i < k; i++) dot += p[b][i] * vp[i];
                assertEquals(a == b ? 1 : 0, dot, 1e-5, "P V P^T = I at " + a + ", " + b);
            }
        }
    }

    private static double[] times(double[] m, double[] x, int k) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) out[i] += m[i * k + j] * x[j];
        return out;
    }

    @Test
    void sparseInputGivesTheDenseEncoding() {
        MapShape shape = new MapShape(6, 7, 12);
        INDArray maps = mapsWithEmptyPositions(40, shape, 6);
        for (boolean normalize : new boolean[] {true, false}) {
            ManifoldLayer layer = new ManifoldSpec(5, 5, ManifoldSpec.Difference.NEIGHBOUR_MEAN, 1e-3, 40, 1, normalize)
                    .fit("L1.embed", MapSource.of(maps), FitContext.silent(2));
            INDArray codes = maps.get(NDArrayIndex.interval(0, 12), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .dup();
            INDArray dense = layer.encode(codes);
            INDArray sparse = layer.encodeSparse(SparseRows.of(Maps.rows(codes)));
            assertEquals(java.util.List.of(12L, 6L, 7L, 5L), java.util.List.of(sparse.size(0), sparse.size(1), sparse.size(2),
                    sparse.size(3)));
            double[] d = dense.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] s = sparse.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int zeros = 0;
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i], s[i], 1e-5, "entry " + i + (normalize ? " (normalised)" : ""));
                if (s[i] == 0) zeros++;
            }
            assertTrue(zeros > d.length / 5, "empty positions embed to zero: " + zeros);
        }
        ManifoldLayer layer = ManifoldSpec.defaults().withDims(3).withDifference(ManifoldSpec.Difference.NEIGHBOUR_MEAN)
                .fit("L1.embed", MapSource.of(maps), FitContext.silent(2));
        var rows = assertThrows(GlassboxException.class,
                () -> layer.encodeSparse(SparseRows.of(Nd4j.zeros(DataType.FLOAT, 41, 12))));
        assertEquals("L1.embed input: expected code rows [n x 42, 12] but got [41, 12]", rows.getMessage());
        var columns = assertThrows(GlassboxException.class,
                () -> layer.encodeSparse(SparseRows.of(Nd4j.zeros(DataType.FLOAT, 42, 11))));
        assertEquals("L1.embed input: expected code rows [n x 42, 12] but got [42, 11]", columns.getMessage());
        INDArray once = layer.encodeSparse(SparseRows.of(Maps.rows(maps)));
        INDArray thrice = Nd4j.concat(0, maps, maps, maps);
        assertEquals(Nd4j.concat(0, once, once, once), layer.encodeSparse(SparseRows.of(Maps.rows(thrice))),
                "5,040 code rows, more than one chunk of the pass, each row where it belongs");
        INDArray none = layer.encodeSparse(SparseRows.of(Nd4j.zeros(DataType.FLOAT, 0, 12)));
        assertArrayEquals(new long[] {0, 6, 7, 3}, none.shape());
    }
}
