package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.array.VectorApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The 1-sparse search against the best atom found from all of x D^T in float64, on both kernels. */
class AtomSearchTest {
    private static final int D = 36;
    /** Not a multiple of the group or of any vector width: the last group is padded. */
    private static final int ATOMS = 1_000;

    @Test
    void theBuildRunsTestsWithTheVectorApi() {
        assertTrue(VectorApi.present(), "the tests' JVM lacks --add-modules jdk.incubator.vector (surefire's argLine)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCodeIsTheBestAtomAtItsCorrelation(boolean nonNegative) {
        check(unitRows(TestData.digitPatches(ATOMS, 31)), TestData.digitPatches(3_000, 32), nonNegative);
        check(unitRows(TestData.gaussianRows(ATOMS, D, 33)), TestData.gaussianRows(1_000, D, 34), nonNegative);
    }

    /** Every row's code against the float64 argmax; near ties (within rounding) may take either atom. */
    private static void check(INDArray dict, INDArray x, boolean nonNegative) {
        double[] xs = TestData.toDouble(x);
        double[] ds = TestData.toDouble(dict);
        int n = (int) x.size(0);
        int atoms = (int) dict.size(0);
        for (boolean vector : new boolean[] {true, false}) {
            AtomSearch search = new AtomSearch(dict, nonNegative, vector);
            assertTrue(search.headSize() >= 1 && search.headSize() < D, "head " + search.headSize());
            SparseRows codes = search.encode(x);
            for (int i = 0; i < n; i++) {
                double bestKey = 0;
                double second = 0;
                int best = -1;
                double[] c = new double[atoms];
                for (int k = 0; k < atoms; k++) {
                    for (int j = 0; j < D; j++) c[k] += xs[i * D + j] * ds[k * D + j];
                    double key = nonNegative ? c[k] : Math.abs(c[k]);
                    if (key > bestKey) {
                        second = bestKey;
                        bestKey = key;
                        best = k;
                    } else if (key > second) {
                        second = key;
                    }
                }
                String row = (vector ? "vector" : "scalar") + " kernel, row " + i;
                assertEquals(best >= 0 ? 1 : 0, codes.count(i), row);
                if (best < 0) continue;
                int got = codes.index()[codes.start()[i]];
                if (bestKey - second > 1e-5) assertEquals(best, got, row);
                assertEquals(c[got], codes.value()[codes.start()[i]], 1e-5, row);
                assertEquals(bestKey, nonNegative ? c[got] : Math.abs(c[got]), 1e-5, row);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bothKernelsGiveTheSameCodesToTheBit(boolean nonNegative) {
        INDArray dict = unitRows(TestData.digitPatches(4_096, 41));
        INDArray x = TestData.digitPatches(2_000, 42);
        SparseRows vector = new AtomSearch(dict, nonNegative, true).encode(x);
        SparseRows scalar = new AtomSearch(dict, nonNegative, false).encode(x);
        assertArrayEquals(scalar.start(), vector.start());
        assertArrayEquals(scalar.index(), vector.index());
        assertArrayEquals(scalar.value(), vector.value());
    }

    @Test
    void tiesKeepTheLowerAtomAndRowsWithoutACodeHaveNone() {
        INDArray dict = unitRows(TestData.gaussianRows(70, D, 51));
        dict.getRow(40).assign(dict.getRow(7));
        dict.getRow(65).assign(dict.getRow(7));
        INDArray x = Nd4j.create(DataType.FLOAT, 3, D);
        x.getRow(0).assign(dict.getRow(7).mul(3));
        // row 1 stays zero; row 2 has no positive correlation with an atom that points away from every one
        INDArray away = dict.sum(0).neg();
        x.getRow(2).assign(away);
        for (boolean vector : new boolean[] {true, false}) {
            SparseRows codes = new AtomSearch(dict, true, vector).encode(x);
            assertEquals(1, codes.count(0));
            assertEquals(7, codes.index()[0], "the first of three equal atoms");
            assertEquals(3.0, codes.value()[0], 1e-5);
            assertEquals(0, codes.count(1), "a zero row");
            double[] c = TestData.toDouble(dict.mmul(away.reshape(D, 1)));
            boolean anyPositive = false;
            for (double v : c) anyPositive |= v > 0;
            assertEquals(anyPositive ? 1 : 0, codes.count(2));
        }
    }

    @Test
    void atomsInAFewDimensionsNeedOnlyThoseAsTheHead() {
        // atoms in the span of the first three coordinates: three axes hold all their energy
        INDArray dict = TestData.gaussianRows(200, D, 61);
        dict.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, D)).assign(0);
        dict = unitRows(dict);
        assertTrue(new AtomSearch(dict, true).headSize() <= 3);
        check(dict, TestData.gaussianRows(300, D, 62), false);
        check(dict, TestData.gaussianRows(300, D, 63), true);
    }

    private static INDArray unitRows(INDArray a) {
        INDArray norms = a.norm2(1).reshape(a.size(0), 1);
        return a.divColumnVector(norms.addi(1e-30)).castTo(DataType.FLOAT);
    }
}
