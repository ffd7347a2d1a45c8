package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** V and S against a direct float64 evaluation of their definitions, by both accumulation methods. */
class CoOccurrenceTest {
    static INDArray sparseMaps(int n, MapShape shape, int active, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = shape.channels();
        float[] v = new float[n * shape.positions() * k];
        for (int p = 0; p < n * shape.positions(); p++) {
            for (int a = 0; a < active; a++) {
                v[p * k + rng.nextInt(k)] = (float) (rng.nextDouble() * 2 - 0.5);
            }
        }
        return Nd4j.create(v, new long[] {n, shape.gridH(), shape.gridW(), k}, 'c');
    }

    /** The definitions of V and S evaluated directly, pair by pair, in float64. */
    static double[][] reference(INDArray maps, int window, ManifoldSpec.Difference difference) {
        int n = (int) maps.size(0);
        int gh = (int) maps.size(1);
        int gw = (int) maps.size(2);
        int k = (int) maps.size(3);
        double[] a = maps.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] v = new double[k * k];
        double[] s = new double[k * k];
        long positions = 0;
        long diffs = 0;
        int r = window / 2;
        for (int m = 0; m < n; m++) {
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    int base = ((m * gh + y) * gw + x) * k;
                    for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) v[p * k + q] += a[base + p] * a[base + q];
                    positions++;
                    for (int dy = 0; dy <= r; dy++) {
                        for (int dx = -r; dx <= r; dx++) {
                            if (dy == 0 && dx <= 0) continue;
                            double[] c = new double[k];
                            if (difference == ManifoldSpec.Difference.FIRST) {
                                if (y + dy >= gh || x + dx < 0 || x + dx >= gw) continue;
                                int other = ((m * gh + y + dy) * gw + x + dx) * k;
                                for (int p = 0; p < k; p++) c[p] = a[other + p] - a[base + p];
                            } else {
                                if (y + dy >= gh || y - dy < 0 || x + dx < 0 || x + dx >= gw || x - dx < 0 || x - dx >= gw) continue;
                                int plus = ((m * gh + y + dy) * gw + x + dx) * k;
                                int minus = ((m * gh + y - dy) * gw + x - dx) * k;
                                for (int p = 0; p < k; p++) c[p] = a[plus + p] - 2 * a[base + p] + a[minus + p];
                            }
                            for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) s[p * k + q] += c[p] * c[q];
                            diffs++;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < k * k; i++) {
            v[i] /= positions;
            s[i] /= diffs;
        }
        return new double[][] {v, s};
    }

    private static void check(ManifoldSpec.Difference difference, CoOccurrence.Method method) {
        MapShape shape = new MapShape(6, 7, 10);
        INDArray maps = sparseMaps(5, shape, 2, 11);
        CoOccurrence stats = new CoOccurrence(shape, 5, difference);
        stats.add(maps, new int[] {0, 1}, method);
        stats.add(maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()), new int[] {0, 1, 2},
                method);
        double[][] ref = reference(maps, 5, difference);
        double[] v = stats.v();
        double[] s = stats.s();
        for (int i = 0; i < v.length; i++) {
            assertEquals(ref[0][i], v[i], 1e-6, "V[" + i + "]");
            assertEquals(ref[1][i], s[i], 1e-6, "S[" + i + "]");
        }
        assertEquals(5L * 42, stats.positions());
        ActiveAtoms problem = stats.problem(0);
        int m = problem.size();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int from = problem.active()[i] * shape.channels() + problem.active()[j];
                assertEquals(ref[0][from], problem.v()[i * m + j], 1e-6, "V of the active atoms");
                assertEquals(ref[1][from], problem.s()[i * m + j], 1e-6, "S of the active atoms");
            }
        }
        assertEquals("these statistics were already turned into their eigenproblem",
                assertThrows(IllegalStateException.class, () -> stats.add(maps, new int[] {0})).getMessage());
        assertThrows(IllegalStateException.class, () -> stats.problem(0));
    }

    @Test
    void sparseFirstDifferencesMatchTheDefinition() {
        check(ManifoldSpec.Difference.FIRST, CoOccurrence.Method.SPARSE);
    }

    @Test
    void denseFirstDifferencesMatchTheDefinition() {
        check(ManifoldSpec.Difference.FIRST, CoOccurrence.Method.DENSE);
    }

    @Test
    void sparseSecondDifferencesMatchTheDefinition() {
        check(ManifoldSpec.Difference.SECOND, CoOccurrence.Method.SPARSE);
    }

    @Test
    void denseSecondDifferencesMatchTheDefinition() {
        check(ManifoldSpec.Difference.SECOND, CoOccurrence.Method.DENSE);
    }

    @Test
    void choosesTheSparseMethodForSparseCodesAndTheDenseOneForDenseCodes() {
        MapShape shape = new MapShape(8, 8, 256);
        CoOccurrence stats = new CoOccurrence(shape, 5, ManifoldSpec.Difference.FIRST);
        INDArray sparse = sparseMaps(1, shape, 1, 3);
        assertEquals(CoOccurrence.Method.SPARSE, stats.cheaper(sparse.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue()));
        INDArray dense = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 8, 8, 256).addi(0.1);
        assertEquals(CoOccurrence.Method.DENSE, stats.cheaper(dense.length()));
    }

    @Test
    void countsEachPairOnceOverTheHalfWindow() {
        CoOccurrence first = new CoOccurrence(new MapShape(4, 5, 3), 3, ManifoldSpec.Difference.FIRST);
        // offsets (0,1): 4*4, (1,-1): 3*4, (1,0): 3*5, (1,1): 3*4
        assertEquals(16 + 12 + 15 + 12, first.differencesPerMap());
        CoOccurrence second = new CoOccurrence(new MapShape(4, 5, 3), 3, ManifoldSpec.Difference.SECOND);
        // offsets (0,1): 4*3, (1,-1): 2*3, (1,0): 2*5, (1,1): 2*3
        assertEquals(12 + 6 + 10 + 6, second.differencesPerMap());
    }

    @Test
    void rejectsAGridWithoutNeighbours() {
        var ex = assertThrows(GlassboxException.class,
                () -> new CoOccurrence(new MapShape(1, 1, 4), 5, ManifoldSpec.Difference.FIRST));
        assertEquals("maps of shape [1, 1, 4] have no neighbour pairs within a 5 x 5 window "
                + "(expected a grid of at least 2 positions in a row or column)", ex.getMessage());
        var ex2 = assertThrows(GlassboxException.class,
                () -> new CoOccurrence(new MapShape(2, 2, 4), 3, ManifoldSpec.Difference.SECOND));
        assertEquals("maps of shape [2, 2, 4] have no lines of three positions within a 3 x 3 window "
                + "(expected a grid of at least 3 positions in a row or column)", ex2.getMessage());
    }
}
