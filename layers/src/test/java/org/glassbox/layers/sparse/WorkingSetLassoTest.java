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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The working-set coordinate-descent LASSO solver against the optimality conditions (at most
 * 1e-3 lambda violation; docs/architecture.md, "The sparse-coding solver"), the float64 coordinate-descent reference, FISTA,
 * and its own duality-gap report.
 */
class WorkingSetLassoTest {
    private static final double KKT_TOLERANCE = 1e-3;

    /**
     * Solves to a relative gap of 1e-9 and checks the reported gap, the optimality conditions and
     * that the codes are sparse but not empty (more non-zeros than rows, fewer than
     * {@code maxDensity} of all entries).
     */
    private static void assertOptimal(INDArray dict, INDArray x, double lambda, boolean nonNegative, double maxDensity) {
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, lambda, nonNegative, 10_000, 1e-9).solve(x);
        assertTrue(result.largestGap() <= 1e-9, "largest relative gap " + result.largestGap());
        double v = Lasso64.violation(x, result.codes(), dict, lambda, nonNegative);
        assertTrue(v <= KKT_TOLERANCE, "violation " + v);
        long nz = TestData.nonZeros(result.codes());
        assertTrue(nz > x.size(0) && nz < maxDensity * x.length() / x.size(1) * dict.size(0),
                "codes should be sparse but not empty: " + nz + " non-zeros");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomDataSatisfiesOptimalityConditions(boolean nonNegative) {
        assertOptimal(TestData.randomDictionary(64, 32, 1), TestData.gaussianRows(300, 32, 2), 1.0, nonNegative, 0.5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void digitPatchesSatisfyOptimalityConditions(boolean nonNegative) {
        assertOptimal(TestData.digitPatches(256, 3), TestData.digitPatches(400, 4), 0.1, nonNegative, 0.125);
    }

    /**
     * Atoms of norms from 0.25 to 4 and a small lambda: coordinate steps of very different sizes
     * (1 / G_jj), many non-zeros, and a duality gap whose dual scaling comes from atoms of any norm.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unequalAtomNormsAndASmallLambdaSatisfyOptimalityConditions(boolean nonNegative) {
        float[] dict = TestData.digitPatches(256, 5).data().asFloat();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(6);
        for (int k = 0; k < 256; k++) {
            float scale = (float) Math.pow(2, rng.nextDouble(-2, 2));
            for (int j = 0; j < 36; j++) dict[k * 36 + j] *= scale;
        }
        assertOptimal(Nd4j.create(dict, new long[] {256, 36}, 'c'), TestData.digitPatches(300, 7), 0.02, nonNegative, 0.2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void agreesWithFloat64CoordinateDescent(boolean nonNegative) {
        Lasso64.assertAgreesWithCoordinateDescent(
                (dict, x) -> new WorkingSetLasso(dict, Lasso64.AGREEMENT_LAMBDA, nonNegative, 10_000, 0).encode(x),
                nonNegative);
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

    /**
     * Digit-patch atoms are coherent, where cyclic coordinate descent alone needed 3,598 passes for
     * a relative gap of 1e-9 on these rows (882 for 1e-4); the feature-sign steps land on the
     * exact minimiser of a stable support, so the tight tolerance is reached in a few dozen passes
     * and costs hardly more than the loose one.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void featureSignStepsReachTightGapsInFewPasses(boolean nonNegative) {
        WorkingSetLasso.Result loose = solveDigitPatches(256, 400, 0.1, nonNegative, 1e-4);
        WorkingSetLasso.Result tight = solveDigitPatches(256, 400, 0.1, nonNegative, 1e-9);
        assertConverged(tight, 1e-9, 100);
        assertTrue(tight.flops() <= 1.2 * loose.flops(), "flops " + tight.flops() + " against " + loose.flops());
    }

    /**
     * {@code rows} digit patches (seed 4) solved against {@code atoms} others (seed 3), at most
     * 10,000 passes per row.
     */
    private static WorkingSetLasso.Result solveDigitPatches(int atoms, int rows, double lambda, boolean nonNegative,
            double tolerance) {
        return new WorkingSetLasso(TestData.digitPatches(atoms, 3), lambda, nonNegative, 10_000, tolerance)
                .solve(TestData.digitPatches(rows, 4));
    }

    /** Every row's relative gap at most {@code tolerance}, in at most {@code maxPasses} passes. */
    private static void assertConverged(WorkingSetLasso.Result result, double tolerance, int maxPasses) {
        assertTrue(result.largestGap() <= tolerance, "largest relative gap " + result.largestGap());
        assertTrue(result.passes() <= maxPasses, "most passes of a row: " + result.passes());
    }

    /**
     * 512 digit-patch atoms in 36 dimensions at lambda = 0.01: supports of dozens of coherent atoms,
     * where a feature-sign segment is often stopped by a code that reaches zero. Solving again at
     * once on the smaller support converges these rows in at most 77 (signed) and 61
     * (non-negative) passes; stopping after the first segment and leaving the next move to a
     * coordinate-descent pass, which can bring the zeroed atom back, takes 713 and 564.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void blockedFeatureSignStepsSolveAgainOnTheSmallerSupport(boolean nonNegative) {
        assertConverged(solveDigitPatches(512, 500, 0.01, nonNegative, 1e-4), 1e-4, 150);
    }

    /**
     * Four Gram rows per pass over q must give q to the bit as one row per pass does: the full
     * check's rounding bound and every decision of the solver rest on that order of operations.
     * Repeated so that the JIT compiler's vectorised loops, not only the interpreter, are compared
     * (67 values: vector lanes and a scalar tail).
     */
    @Test
    void fourRowsPerPassSubtractExactlyAsOneRowPerPass() {
        java.util.Random rng = new java.util.Random(41);
        int length = 67;
        for (int repetition = 0; repetition < 2_000; repetition++) {
            int count = repetition % 10;
            float[][] rows = new float[count][length];
            double[] codes = new double[count];
            float[] q = new float[length];
            for (int k = 0; k < length; k++) q[k] = (float) (rng.nextGaussian() * Math.pow(2, rng.nextInt(-8, 8)));
            for (int s = 0; s < count; s++) {
                codes[s] = rng.nextGaussian() * Math.pow(2, rng.nextInt(-8, 8));
                for (int k = 0; k < length; k++) rows[s][k] = (float) rng.nextGaussian();
            }
            float[] oneByOne = q.clone();
            for (int s = 0; s < count; s++) WorkingSetLasso.subtractRow(oneByOne, (float) codes[s], rows[s]);
            WorkingSetLasso.subtractRows(q, codes, rows, count);
            for (int k = 0; k < length; k++) {
                assertEquals(Float.floatToRawIntBits(oneByOne[k]), Float.floatToRawIntBits(q[k]),
                        count + " rows, value " + k + ": " + oneByOne[k] + " against " + q[k]);
            }
        }
    }

    /**
     * The full check's float32 correlations q~ = c - a G ({@link WorkingSetLasso#subtractRow})
     * against the same sum in float64, over atoms of norms 0.25 to 4, codes of magnitudes 1/8 to 8
     * and supports of 1 to 60 atoms, with c and G the float32 products the solver uses: every
     * error lies within {@link WorkingSetLasso#roundingBound} (the solver's decisions are those of
     * a float64 scan only if it does), and the worst error comes within a factor 100 of the bound
     * (a bound far looser would send many more atoms to the exact float64 recomputation).
     */
    @Test
    void theFloat32FullCheckStaysWithinItsRoundingBound() {
        int atoms = 256;
        int d = 36;
        float[] values = TestData.digitPatches(atoms, 27).data().asFloat();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(28);
        for (int k = 0; k < atoms; k++) {
            float scale = (float) Math.pow(2, rng.nextDouble(-2, 2));
            for (int j = 0; j < d; j++) values[k * d + j] *= scale;
        }
        INDArray dict = Nd4j.create(values, new long[] {atoms, d}, 'c');
        float[] gram = Nd4j.gemm(dict, dict, false, true).data().asFloat();
        INDArray x = TestData.digitPatches(50, 29);
        float[] corr = Nd4j.gemm(x, dict, false, true).data().asFloat();
        double worst = 0;
        for (int row = 0; row < 50; row++) {
            double xNorm = x.getRow(row).norm2Number().doubleValue();
            for (int terms : new int[] {1, 5, 20, 60}) {
                int[] support = rng.ints(0, atoms).distinct().limit(terms).toArray();
                double[] a = new double[terms];
                float[] approx = java.util.Arrays.copyOfRange(corr, row * atoms, (row + 1) * atoms);
                double weightedL1 = 0;
                for (int s = 0; s < terms; s++) {
                    a[s] = (rng.nextBoolean() ? 1 : -1) * Math.pow(2, rng.nextDouble(-3, 3));
                    weightedL1 += Math.abs(a[s]) * Math.sqrt(gram[support[s] * atoms + support[s]]);
                    WorkingSetLasso.subtractRow(approx, (float) a[s],
                            java.util.Arrays.copyOfRange(gram, support[s] * atoms, (support[s] + 1) * atoms));
                }
                for (int k = 0; k < atoms; k++) {
                    double exact = corr[row * atoms + k];
                    for (int s = 0; s < terms; s++) exact -= a[s] * gram[support[s] * atoms + k];
                    double bound = WorkingSetLasso.roundingBound(terms, xNorm, weightedL1,
                            Math.sqrt(gram[k * atoms + k]));
                    double error = Math.abs(approx[k] - exact);
                    assertTrue(error <= bound, "row " + row + ", atom " + k + ", " + terms + " terms: error " + error
                            + " above the bound " + bound);
                    worst = Math.max(worst, error / bound);
                }
            }
        }
        assertTrue(worst >= 0.01, "worst error / bound " + worst);
    }

    /**
     * 64 Gaussian atoms in 16 dimensions and a small lambda: coordinate descent grows supports
     * beyond 16 atoms, whose Gram blocks are singular, so the feature-sign step must first drop
     * dependent atoms (without that, these rows run into the pass limit with relative gaps of
     * 0.6 and 0.7).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void supportsLargerThanTheDimensionStillConverge(boolean nonNegative) {
        int d = 16;
        INDArray dict = TestData.randomDictionary(64, d, 1);
        INDArray x = TestData.gaussianRows(200, d, 2);
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, 0.05, nonNegative, 1000, 1e-4).solve(x);
        assertTrue(result.largestGap() <= 1e-4, "largest relative gap " + result.largestGap());
        assertTrue(result.passes() < 1000, "passes " + result.passes());
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
        float[] tail = solver.encode(x.get(NDArrayIndex.interval(Fista.BLOCK_ROWS, x.size(0)), NDArrayIndex.all()).dup())
                .data().asFloat();
        float[] expected = new float[tail.length];
        System.arraycopy(parallel, Fista.BLOCK_ROWS * 128, expected, 0, tail.length);
        assertArrayEquals(expected, tail);
    }

    /**
     * The odd rows replaced by others (zero rows, done at once, and other patches): the even rows'
     * codes stay the same to the bit. (The correlations X D^T are one product for the whole block,
     * whose rounding the shape of the block may change, so the block keeps its shape here.)
     */
    @Test
    void aRowsCodeDoesNotDependOnTheOtherRows() {
        INDArray dict = TestData.digitPatches(128, 24);
        INDArray x = TestData.digitPatches(300, 25);
        WorkingSetLasso solver = new WorkingSetLasso(dict, 0.05, false, 1000, 1e-6);
        INDArray together = solver.encode(x);
        INDArray others = TestData.digitPatches(150, 26);
        for (INDArray replacement : new INDArray[] {Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 150, 36), others}) {
            INDArray mixed = x.dup();
            for (int i = 0; i < 150; i++) mixed.putRow(2L * i + 1, replacement.getRow(i));
            INDArray codes = solver.encode(mixed);
            for (int i = 0; i < 300; i += 2) {
                assertArrayEquals(together.getRow(i).toFloatVector(), codes.getRow(i).toFloatVector(), "row " + i);
            }
        }
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
        assertEquals(0, TestData.nonZeros(codes.getRow(0)));
        assertEquals(0, TestData.nonZeros(codes.getColumn(2)));
        assertTrue(Lasso64.violation(x, codes, d, 0.1, false) <= KKT_TOLERANCE);
    }

    /** Sizes below, at, just above and across the 64 x 64 transpose tiles. */
    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 130})
    void theGramRowsAreTheLowerTriangleMirrored(int k) {
        float[] g = new float[k * k];
        for (int i = 0; i < g.length; i++) g[i] = i + 0.5f; // no two entries equal, not symmetric
        float[][] rows = WorkingSetLasso.symmetricRows(NativeRows.fromValues(g, k, k));
        assertEquals(k, rows.length);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(g[Math.max(i, j) * k + Math.min(i, j)], rows[i][j], 0f, "entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void aDictionaryWithNaNOrInfinityIsRejected() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] values = TestData.randomDictionary(8, 4, 1).data().asFloat();
            values[13] = bad;
            INDArray dict = Nd4j.create(values, new long[] {8, 4}, 'c');
            assertEquals("LASSO dictionary: expected finite values but found NaN or infinity",
                    assertThrows(GlassboxException.class, () -> new WorkingSetLasso(dict, 0.1, false, 10, 0)).getMessage());
        }
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

    @Test
    void theLambdaKeySeparatesTheFloatsAboveLambda() {
        // 0.5 and 1 are floats, 0.1 and 0.3 lie between two, 1e-50 is below the smallest float
        for (double lambda : new double[] {0.5, 1, 0.1, 0.3, 1e-50, 3.4e38}) {
            int bound = WorkingSetLasso.largestKeyAtMost(lambda);
            int near = Float.floatToRawIntBits((float) lambda);
            for (int key = Math.max(0, near - 3); key <= near + 3; key++) {
                assertEquals(Float.intBitsToFloat(key) > lambda, key > bound,
                        "key " + Integer.toHexString(key) + " against lambda " + lambda);
            }
        }
    }
}
