package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working-set coordinate-descent LASSO solver against the optimality conditions (DESIGN.md
 * section 4.3: at most 1e-3 lambda violation), the float64 coordinate-descent reference, FISTA,
 * and its own duality-gap report.
 */
class WorkingSetLassoTest {
    private static final double KKT_TOLERANCE = 1e-3;

    private static double violation(INDArray x, INDArray codes, INDArray dict, double lambda, boolean nonNegative) {
        return Lasso64.violation(TestData.toDouble(x), TestData.toDouble(codes), TestData.toDouble(dict),
                (int) x.size(0), (int) x.size(1), (int) dict.size(0), lambda, nonNegative);
    }

    private static long nonZeros(INDArray codes) {
        long nz = 0;
        for (float v : codes.dup('c').data().asFloat()) if (v != 0f) nz++;
        return nz;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomDataSatisfiesOptimalityConditions(boolean nonNegative) {
        INDArray dict = TestData.randomDictionary(64, 32, 1);
        INDArray x = TestData.gaussianRows(300, 32, 2);
        double lambda = 1.0;
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, lambda, nonNegative, 10_000, 1e-9).solve(x);
        assertTrue(result.largestGap() <= 1e-9, "largest relative gap " + result.largestGap());
        double v = violation(x, result.codes(), dict, lambda, nonNegative);
        assertTrue(v <= KKT_TOLERANCE, "violation " + v);
        long nz = nonZeros(result.codes());
        assertTrue(nz > 300 && nz < 300 * 64 / 2, "codes should be sparse but not empty: " + nz + " non-zeros");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void digitPatchesSatisfyOptimalityConditions(boolean nonNegative) {
        INDArray dict = TestData.digitPatches(256, 3);
        INDArray x = TestData.digitPatches(400, 4);
        double lambda = 0.1;
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, lambda, nonNegative, 10_000, 1e-9).solve(x);
        assertTrue(result.largestGap() <= 1e-9, "largest relative gap " + result.largestGap());
        double v = violation(x, result.codes(), dict, lambda, nonNegative);
        assertTrue(v <= KKT_TOLERANCE, "violation " + v);
        long nz = nonZeros(result.codes());
        assertTrue(nz > 400 && nz < 400 * 256 / 8, "codes should be sparse but not empty: " + nz + " non-zeros");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void agreesWithFloat64CoordinateDescent(boolean nonNegative) {
        int n = 20;
        int d = 16;
        int atoms = 24;
        INDArray dict = TestData.randomDictionary(atoms, d, 5);
        INDArray x = TestData.gaussianRows(n, d, 6);
        double lambda = 0.3;
        double[] xd = TestData.toDouble(x);
        double[] dd = TestData.toDouble(dict);
        double[] reference = Lasso64.solve(xd, dd, n, d, atoms, lambda, nonNegative);
        double[] codes = TestData.toDouble(new WorkingSetLasso(dict, lambda, nonNegative, 10_000, 0).encode(x));
        double worst = 0;
        for (int i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i] - codes[i]));
        assertTrue(worst < 1e-4, "largest code difference " + worst);
        double f64 = Lasso64.objective(xd, reference, dd, n, d, atoms, lambda);
        double f32 = Lasso64.objective(xd, codes, dd, n, d, atoms, lambda);
        assertEquals(f64, f32, 1e-6 * f64);
    }

    @Test
    void theReportedGapBoundsTheDistanceToTheOptimum() {
        INDArray dict = TestData.digitPatches(128, 14);
        INDArray x = TestData.digitPatches(200, 15);
        double lambda = 0.05;
        double tolerance = 1e-2;
        WorkingSetLasso.Result loose = new WorkingSetLasso(dict, lambda, false, 10_000, tolerance).solve(x);
        assertTrue(loose.largestGap() <= tolerance, "largest relative gap " + loose.largestGap());
        double optimum = LassoObjective.mean(x, new WorkingSetLasso(dict, lambda, false, 10_000, 1e-10).encode(x),
                dict, lambda);
        double reached = LassoObjective.mean(x, loose.codes(), dict, lambda);
        assertTrue(reached >= optimum * (1 - 1e-6), reached + " below the optimum " + optimum);
        assertTrue(reached <= optimum * (1 + tolerance), reached + " too far above the optimum " + optimum);
    }

    @Test
    void agreesWithFistaOnTheObjective() {
        INDArray dict = TestData.digitPatches(96, 16);
        INDArray x = TestData.digitPatches(150, 17);
        double lambda = 0.1;
        double fista = LassoObjective.mean(x, new Fista(dict, lambda, true, 5000, 1e-8).encode(x), dict, lambda);
        double cd = LassoObjective.mean(x, new WorkingSetLasso(dict, lambda, true, 10_000, 1e-8).encode(x), dict, lambda);
        assertEquals(fista, cd, 1e-5 * fista);
    }

    @Test
    void theIterationLimitCapsThePasses() {
        INDArray dict = TestData.digitPatches(128, 18);
        INDArray x = TestData.digitPatches(50, 19);
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, 0.02, false, 3, 0).solve(x);
        assertEquals(3, result.passes());
        assertTrue(result.largestGap() > 0);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        INDArray dict = TestData.digitPatches(128, 20);
        INDArray x = TestData.digitPatches(Fista.BLOCK_ROWS + 300, 21);
        WorkingSetLasso solver = new WorkingSetLasso(dict, 0.05, false, 1000, 1e-6);
        float[] parallel = solver.encode(x).data().asFloat();
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            float[] single = one.submit(() -> solver.encode(x).data().asFloat()).get();
            assertArrayEquals(single, parallel);
        } finally {
            one.shutdown();
        }
        float[] tail = solver.encode(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(Fista.BLOCK_ROWS, x.size(0)),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup()).data().asFloat();
        float[] expected = new float[tail.length];
        System.arraycopy(parallel, Fista.BLOCK_ROWS * 128, expected, 0, tail.length);
        assertArrayEquals(expected, tail);
    }

    @Test
    void zeroRowsAndZeroAtomsGiveZeroCodes() {
        float[] dict = TestData.randomDictionary(6, 4, 22).data().asFloat();
        java.util.Arrays.fill(dict, 8, 12, 0f);
        INDArray d = Nd4j.create(dict, new long[] {6, 4}, 'c');
        INDArray x = Nd4j.vstack(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 4),
                TestData.gaussianRows(5, 4, 23));
        WorkingSetLasso.Result result = new WorkingSetLasso(d, 0.1, false, 1000, 1e-9).solve(x);
        INDArray codes = result.codes();
        assertEquals(0, nonZeros(codes.getRow(0)));
        assertEquals(0, nonZeros(codes.getColumn(2)));
        assertTrue(violation(x, codes, d, 0.1, false) <= KKT_TOLERANCE);
    }

    @Test
    void wrongInputWidthNamesBothShapes() {
        WorkingSetLasso solver = new WorkingSetLasso(TestData.randomDictionary(8, 32, 1), 0.1, false, 10, 0);
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> solver.encode(TestData.gaussianRows(5, 31, 1)));
        assertEquals("LASSO input: expected shape [*, 32] but got [5, 31]", e.getMessage());
    }

    @Test
    void invalidSolverParametersAreRejected() {
        INDArray dict = TestData.randomDictionary(8, 4, 1);
        assertEquals("invalid lambda = 0.0: expected a finite value > 0",
                assertThrows(GlassboxException.class, () -> new WorkingSetLasso(dict, 0, false, 10, 0)).getMessage());
        assertEquals("invalid lambda = Infinity: expected a finite value > 0",
                assertThrows(GlassboxException.class,
                        () -> new WorkingSetLasso(dict, Double.POSITIVE_INFINITY, false, 10, 0)).getMessage());
        assertEquals("invalid iterations = 0: expected at least 1",
                assertThrows(GlassboxException.class, () -> new WorkingSetLasso(dict, 0.1, false, 0, 0)).getMessage());
        assertEquals("invalid tolerance = -1.0E-4: expected a finite value >= 0",
                assertThrows(GlassboxException.class,
                        () -> new WorkingSetLasso(dict, 0.1, false, 10, -1e-4)).getMessage());
    }
}
