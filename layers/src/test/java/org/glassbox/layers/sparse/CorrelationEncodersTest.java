package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The threshold, top-k and 1-sparse ({@link AtomSearch}) encoders against float64 references computed from x D^T,
 * and every encoder on an input that it reads in place.
 */
class CorrelationEncodersTest {
    private static final int N = 300;
    private static final int D = 36;
    private static final int ATOMS = 80;
    private final INDArray dict = TestData.digitPatches(ATOMS, 21);
    private final INDArray x = TestData.digitPatches(N, 22);

    /** x D^T in float64, {@code [N * ATOMS]}. */
    private double[] correlations() {
        double[] xs = TestData.toDouble(x);
        double[] ds = TestData.toDouble(dict);
        double[] c = new double[N * ATOMS];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < ATOMS; k++) {
                double s = 0;
                for (int j = 0; j < D; j++) s += xs[i * D + j] * ds[k * D + j];
                c[i * ATOMS + k] = s;
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void thresholdEqualsTheReference(boolean nonNegative) {
        double lambda = 0.3;
        double[] c = correlations();
        double[] codes = TestData.toDouble(CorrelationEncoders.threshold(x, dict, lambda, nonNegative));
        int nonZero = 0;
        for (int i = 0; i < c.length; i++) {
            double v = c[i];
            double expected = v > lambda ? v - lambda : (!nonNegative && v < -lambda) ? v + lambda : 0;
            assertEquals(expected, codes[i], 1e-5);
            if (codes[i] != 0) nonZero++;
        }
        assertTrue(nonZero > N && nonZero < c.length / 2, "non-zeros: " + nonZero);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topKKeepsTheKLargestAtTheirValues(boolean nonNegative) {
        int k = 5;
        double[] c = correlations();
        double[] codes = TestData.toDouble(CorrelationEncoders.topK(x, dict, k, nonNegative));
        for (int i = 0; i < N; i++) {
            int kept = 0;
            double smallestKept = Double.POSITIVE_INFINITY;
            double largestDropped = 0;
            for (int a = 0; a < ATOMS; a++) {
                double key = nonNegative ? c[i * ATOMS + a] : Math.abs(c[i * ATOMS + a]);
                double code = codes[i * ATOMS + a];
                if (code != 0) {
                    kept++;
                    assertEquals(c[i * ATOMS + a], code, 1e-5);
                    smallestKept = Math.min(smallestKept, key);
                } else {
                    largestDropped = Math.max(largestDropped, key);
                }
            }
            assertTrue(kept <= k, "row " + i + " has " + kept + " non-zeros");
            if (kept < k) {
                assertTrue(largestDropped <= 1e-6, "row " + i + " dropped " + largestDropped + " with room left");
            }
            assertTrue(smallestKept >= largestDropped - 1e-5, "row " + i + " dropped a larger correlation");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneSparseKeepsOnlyTheBestAtom(boolean nonNegative) {
        double[] c = correlations();
        double[] codes = TestData.toDouble(new AtomSearch(dict, nonNegative).encode(x).dense());
        for (int i = 0; i < N; i++) {
            int best = 0;
            int kept = 0;
            for (int a = 0; a < ATOMS; a++) {
                double key = nonNegative ? c[i * ATOMS + a] : Math.abs(c[i * ATOMS + a]);
                double bestKey = nonNegative ? c[i * ATOMS + best] : Math.abs(c[i * ATOMS + best]);
                if (key > bestKey) best = a;
                if (codes[i * ATOMS + a] != 0) kept++;
            }
            assertEquals(1, kept, "row " + i);
            assertEquals(c[i * ATOMS + best], codes[i * ATOMS + best], 1e-5, "row " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threshold", "topK", "oneSparse"})
    void rowsAfterTheFirstBlockAreEncodedLikeTheFirst(String encoder) {
        int n = Fista.BLOCK_ROWS + 37;
        INDArray many = TestData.digitPatches(n, 23);
        java.util.function.Function<INDArray, INDArray> encode = switch (encoder) {
            case "threshold" -> rows -> CorrelationEncoders.threshold(rows, dict, 0.3, false);
            case "topK" -> rows -> CorrelationEncoders.topK(rows, dict, 4, false);
            default -> rows -> new AtomSearch(dict, true).encode(rows).dense();
        };
        double[] all = TestData.toDouble(encode.apply(many));
        double[] tail = TestData.toDouble(encode.apply(many.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(
                Fista.BLOCK_ROWS, n), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup()));
        assertEquals(37 * ATOMS, tail.length);
        for (int i = 0; i < tail.length; i++) assertEquals(tail[i], all[Fista.BLOCK_ROWS * ATOMS + i], 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"threshold", "topK", "oneSparse", "lasso", "fista"})
    void aReshapeOfAWholeBufferIsReadInPlaceAndEncodedLikeItsCopy(String encoder) {
        int n = Fista.BLOCK_ROWS + 37;
        INDArray many = TestData.digitPatches(n, 24);
        INDArray view = many.reshape('c', 1, n, D).reshape('c', n, D);
        assertTrue(view.isView(), "ND4J marks the reshape as a view");
        java.util.function.Function<INDArray, INDArray> encode = switch (encoder) {
            case "threshold" -> rows -> CorrelationEncoders.threshold(rows, dict, 0.3, false);
            case "topK" -> rows -> CorrelationEncoders.topK(rows, dict, 4, false);
            case "lasso" -> rows -> new WorkingSetLasso(dict, 0.3, false, 10_000, 1e-6).encode(rows);
            case "fista" -> rows -> new Fista(dict, 0.3, false, 200, 1e-6).encode(rows);
            default -> rows -> new AtomSearch(dict, true).encode(rows).dense();
        };
        assertArrayEquals(TestData.toDouble(encode.apply(many.dup('c'))), TestData.toDouble(encode.apply(view)), 0);
        assertEquals(TestData.digitPatches(n, 24), many, "the input is not changed");
    }

    @Test
    void topKBreaksTiesTowardsTheLowerIndex() {
        INDArray twin = org.nd4j.linalg.factory.Nd4j.concat(0, dict.getRow(0).reshape(1, D), dict.getRow(0).reshape(1, D),
                dict.getRow(0).reshape(1, D));
        INDArray codes = CorrelationEncoders.topK(dict.getRow(0).reshape(1, D), twin, 2, false);
        double[] a = TestData.toDouble(codes);
        assertTrue(a[0] != 0 && a[1] != 0 && a[2] == 0, java.util.Arrays.toString(a));
    }

    @Test
    void invalidKAndShapesAreRejected() {
        assertEquals("invalid k = 81: expected between 1 and the number of atoms (80)",
                assertThrows(GlassboxException.class, () -> CorrelationEncoders.topK(x, dict, 81, false)).getMessage());
        assertEquals("encoder input: expected shape [*, 36] but got [2, 35]",
                assertThrows(GlassboxException.class,
                        () -> new AtomSearch(dict, false).encode(TestData.gaussianRows(2, 35, 1))).getMessage());
    }
}
