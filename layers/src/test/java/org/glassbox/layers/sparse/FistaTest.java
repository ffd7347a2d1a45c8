package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.linalg.Lapack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * FISTA's codes against the LASSO optimality conditions (docs/architecture.md, "The sparse-coding solver") and a float64
 * coordinate-descent reference. Tolerance of the conditions: 1e-3 lambda, after up to 3,000
 * iterations with a per-row stopping threshold of 1e-7 on the relative change (float32 precision).
 */
class FistaTest {
    private static final double KKT_TOLERANCE = 1e-3;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomDataSatisfiesOptimalityConditions(boolean nonNegative) {
        INDArray dict = TestData.randomDictionary(64, 32, 1);
        INDArray x = TestData.gaussianRows(300, 32, 2);
        double lambda = 1.0;
        INDArray codes = new Fista(dict, lambda, nonNegative, 3000, 1e-7).encode(x);
        assertTrue(Lasso64.violation(x, codes, dict, lambda, nonNegative) <= KKT_TOLERANCE);
        long nz = TestData.nonZeros(codes);
        assertTrue(nz > 300 && nz < 300 * 64 / 2, "codes should be sparse but not empty: " + nz + " non-zeros");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void digitPatchesSatisfyOptimalityConditions(boolean nonNegative) {
        INDArray dict = TestData.digitPatches(128, 3);
        INDArray x = TestData.digitPatches(400, 4);
        double lambda = 0.1;
        INDArray codes = new Fista(dict, lambda, nonNegative, 3000, 1e-7).encode(x);
        assertTrue(Lasso64.violation(x, codes, dict, lambda, nonNegative) <= KKT_TOLERANCE);
        long nz = TestData.nonZeros(codes);
        assertTrue(nz > 400 && nz < 400 * 128 / 4, "codes should be sparse but not empty: " + nz + " non-zeros");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void float32AgreesWithFloat64CoordinateDescent(boolean nonNegative) {
        Lasso64.assertAgreesWithCoordinateDescent(
                (dict, x) -> new Fista(dict, Lasso64.AGREEMENT_LAMBDA, nonNegative, 5000, 0).encode(x), nonNegative);
    }

    @Test
    void lipschitzConstantBoundsTheLargestEigenvalueTightly() {
        INDArray dict = TestData.digitPatches(100, 7);
        double[] gram = TestData.toDouble(Nd4j.gemm(dict, dict, false, true));
        double[] values = Lapack.symmetricEigen(gram, 100).values();
        double largest = values[values.length - 1];
        double lipschitz = new Fista(dict, 0.1, false, 10, 0).lipschitz();
        assertTrue(lipschitz >= largest * (1 - 1e-6), lipschitz + " < " + largest);
        assertTrue(lipschitz <= largest * (1 + 1e-3), lipschitz + " > " + largest);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneIterationIsTheScaledThresholdStep(boolean nonNegative) {
        INDArray dict = TestData.digitPatches(50, 8);
        INDArray x = TestData.digitPatches(60, 9);
        double lambda = 0.2;
        Fista fista = new Fista(dict, lambda, nonNegative, 1, 0);
        Fista.Result one = fista.solve(x, null);
        assertEquals(1, one.iterations());
        double[] expected = TestData.toDouble(CorrelationEncoders.threshold(x, dict, lambda, nonNegative)
                .divi(fista.lipschitz()));
        double[] actual = TestData.toDouble(one.codes());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-6);
    }

    @Test
    void warmStartAtTheSolutionStopsAtOnce() {
        INDArray dict = TestData.digitPatches(64, 10);
        INDArray x = TestData.digitPatches(100, 11);
        INDArray solution = new Fista(dict, 0.1, false, 3000, 1e-7).encode(x);
        Fista.Result again = new Fista(dict, 0.1, false, 3000, 1e-4).solve(x, solution);
        assertEquals(1, again.iterations());
        double[] a = TestData.toDouble(solution);
        double[] b = TestData.toDouble(again.codes());
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5);
    }

    @Test
    void rowsAreSolvedIndependentlyOfTheirBlock() {
        INDArray dict = TestData.randomDictionary(40, 20, 12);
        int n = Fista.BLOCK_ROWS + 76;
        INDArray x = TestData.gaussianRows(n, 20, 13);
        Fista fista = new Fista(dict, 0.8, false, 500, 1e-6);
        INDArray all = fista.encode(x);
        INDArray tail = fista.encode(x.get(NDArrayIndex.interval(Fista.BLOCK_ROWS - 10, n), NDArrayIndex.all()).dup());
        double[] a = TestData.toDouble(all.get(NDArrayIndex.interval(Fista.BLOCK_ROWS - 10, n), NDArrayIndex.all()));
        double[] b = TestData.toDouble(tail);
        // equal up to where the 1e-6 stopping threshold and float32 rounding of the two products leave them
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4);
    }

    @Test
    void wrongInputWidthNamesBothShapes() {
        Fista fista = new Fista(TestData.randomDictionary(8, 32, 1), 0.1, false, 10, 0);
        GlassboxException e = assertThrows(GlassboxException.class, () -> fista.encode(TestData.gaussianRows(5, 31, 1)));
        assertEquals("FISTA input: expected shape [*, 32] but got [5, 31]", e.getMessage());
    }

    @Test
    void invalidSolverParametersAreRejected() {
        INDArray dict = TestData.randomDictionary(8, 4, 1);
        assertEquals("invalid lambda = -1.0: expected a finite value >= 0",
                assertThrows(GlassboxException.class, () -> new Fista(dict, -1, false, 10, 0)).getMessage());
        assertEquals("invalid iterations = 0: expected at least 1",
                assertThrows(GlassboxException.class, () -> new Fista(dict, 0.1, false, 0, 0)).getMessage());
        assertEquals("invalid tolerance = NaN: expected a finite value >= 0",
                assertThrows(GlassboxException.class, () -> new Fista(dict, 0.1, false, 10, Double.NaN)).getMessage());
    }
}
