package org.glassbox.framework.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

/**
 * Checks the shift-invert block Lanczos solver against LAPACK's dense solve (and EJML's, below
 * n = 400) on pencils shaped like the manifold layer's: A and B are second moments of sparse codes
 * of a point that sweeps slowly up and down a line of n atoms (A of differences of successive
 * codes, B of the codes plus a ridge), so A is positive semi-definite, B positive definite, and the
 * smallest eigenvalues belong to smooth functions along the line, spread apart as in the layer's
 * problems.
 */
class ShiftInvertLanczosTest {
    /** Row-major {@code [n * n]} (A, B) from {@code samples} codes with 6 non-zeros each near a sweeping centre. */
    private static double[][] codePencil(int n, int samples, long seed) {
        return codePencil(n, n, samples, seed, false);
    }

    /**
     * The same with only the first {@code used} atoms ever active (the others have zero rows in
     * A), and with {@code sumToOne} codes whose entries are all 1/6, so that every code sums to 1:
     * then A 1 = 0, the trivial eigenvector the manifold layer skips.
     */
    private static double[][] codePencil(int n, int used, int samples, long seed, boolean sumToOne) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        int[] idx = new int[6];
        double[] val = new double[6];
        int[] prevIdx = new int[6];
        double[] prevVal = new double[6];
        for (int s = 0; s < samples; s++) {
            // ten sweeps up and down the line, so every atom is used
            double phase = 10.0 * s / samples % 1.0;
            int centre = (int) (used * (phase < 0.5 ? 2 * phase : 2 - 2 * phase));
            for (int k = 0; k < 6; k++) {
                idx[k] = Math.min(used - 1, Math.max(0, centre + rng.nextInt(-5, 6)));
                val[k] = sumToOne ? 1.0 / 6 : rng.nextDouble();
            }
            for (int p = 0; p < 6; p++) {
                for (int q = 0; q < 6; q++) b[idx[p] * n + idx[q]] += val[p] * val[q] / samples;
            }
            if (s > 0) {
                double[][] d = {val, prevVal};
                int[][] ix = {idx, prevIdx};
                for (int u = 0; u < 2; u++) {
                    for (int v = 0; v < 2; v++) {
                        double sign = u == v ? 1 : -1;
                        for (int p = 0; p < 6; p++) {
                            for (int q = 0; q < 6; q++) {
                                a[ix[u][p] * n + ix[v][q]] += sign * d[u][p] * d[v][q] / samples;
                            }
                        }
                    }
                }
            }
            System.arraycopy(idx, 0, prevIdx, 0, 6);
            System.arraycopy(val, 0, prevVal, 0, 6);
        }
        double trace = 0;
        for (int i = 0; i < n; i++) trace += b[i * n + i];
        for (int i = 0; i < n; i++) b[i * n + i] += 1e-3 * trace / n;
        return new double[][] {a, b};
    }

    /** Asserts that {@code got} holds the smallest eigenpairs of (a, b) as {@code dense} does. */
    private static void assertSameEigenpairs(Lapack.EigenSubset dense, Lapack.EigenSubset got, double[] a, double[] b) {
        int n = dense.n();
        int count = dense.count();
        for (int p = 0; p < count; p++) {
            assertEquals(dense.values()[p], got.values()[p], 1e-10 * dense.values()[count - 1], "mu_" + p);
        }
        double residual = EigenChecks.largestResidual(a, b, n, got.values(), count, got::vector);
        assertTrue(residual < 1e-10, "A v = mu B v violated by " + residual);
        double orthonormality = EigenChecks.largestOrthonormalityError(b, n, count, got::vector);
        assertTrue(orthonormality < 1e-10, "V^T B V = I violated by " + orthonormality);
        for (int p = 0; p < count; p++) {
            double[] bv = EigenChecks.times(b, n, got::vector, p);
            for (int q = 0; q < count; q++) {
                double withDense = 0;
                for (int i = 0; i < n; i++) withDense += dense.vector(i, q) * bv[i];
                // the eigenvalues of these pencils are distinct, so each vector matches up to sign
                assertEquals(p == q ? 1 : 0, Math.abs(withDense), 1e-7, "dense x_" + q + "^T B x_" + p);
            }
        }
    }

    /** Both solvers' answers. */
    private record Solved(Lapack.EigenSubset dense, Lapack.EigenSubset lanczos) {
    }

    /**
     * Runs the Lanczos iteration with {@code block} and {@code maxBasis}, asserts that it converged
     * and was certified and that its pairs are those of LAPACK's dense solve and of EJML's pure-Java
     * one, which shares no code with the OpenBLAS both others call ({@link #assertSameEigenpairs},
     * {@link EjmlReference}).
     */
    private static Solved solveAndCompare(double[] a, double[] b, int n, int count, int block, int maxBasis) {
        Optional<Lapack.EigenSubset> got = ShiftInvertLanczos.lanczos(a, b, n, count, block, maxBasis);
        assertTrue(got.isPresent(), "converged and certified");
        Lapack.EigenSubset dense = Lapack.smallestGeneralizedEigen(a, b, n, count);
        assertSameEigenpairs(dense, got.get(), a, b);
        assertSameEigenpairs(EjmlReference.smallest(a, b, n, count), got.get(), a, b);
        return new Solved(dense, got.get());
    }

    @Test
    void lanczosFindsTheSameEigenpairsAsTheDenseSolve() {
        int n = 400;
        int count = 12;
        double[][] ab = codePencil(n, 20_000, 1);
        solveAndCompare(ab[0], ab[1], n, count, 8, 160);
    }

    @Test
    void anExactNullVectorDoesNotCostTheOtherPairsTheirAccuracy() {
        // mu = 0 makes theta_0 = 1 / tau about 2e5 times theta_23: the solver must shift again
        // (without that it ran out of products here)
        int n = 300;
        int count = 24;
        double[][] ab = codePencil(n, n, 30_000, 8, true);
        Solved solved = solveAndCompare(ab[0], ab[1], n, count, 8, 240);
        assertEquals(0, solved.dense().values()[0], 1e-12, "the trivial eigenvalue");
        // without the second shift the rounding left relative residuals of about 3e-11
        double worst = EigenChecks.largestRelativeResidual(ab[0], ab[1], n, solved.lanczos().values(), count,
                solved.lanczos()::vector);
        assertTrue(worst < 1e-12, "||A x - mu B x|| / ((||A||_F + |mu| ||B||_F) ||x||) = " + worst);
    }

    @Test
    void thickRestartsReachTheSameEigenpairs() {
        int n = 300;
        int count = 6;
        double[][] ab = codePencil(n, 15_000, 2);
        // a basis of 30 vectors: it restarts after every third block
        solveAndCompare(ab[0], ab[1], n, count, 8, count + 24);
    }

    @Test
    void anInvariantKrylovSpaceIsExtendedByRandomVectors() {
        // B = I and A diagonal with 12 distinct small entries and 88 equal ones: T has 13 distinct
        // eigenvalues, so the Krylov space of a block of 8 stops growing at 12 + 8 = 20 vectors and
        // the third block must be filled with random directions
        int n = 100;
        int count = 12;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = i < count ? 0.1 * (i + 1) : 10;
            b[i * n + i] = 1;
        }
        solveAndCompare(a, b, n, count, 8, 48);
    }

    @Test
    void largeProblemsTakeTheLanczosPathDeterministically() {
        int n = ShiftInvertLanczos.DENSE_BELOW;
        int count = 16;
        double[][] ab = codePencil(n, 60_000, 4);
        Lapack.EigenSubset lanczos = ShiftInvertLanczos.lanczos(ab[0], ab[1], n, count, ShiftInvertLanczos.BLOCK,
                ShiftInvertLanczos.BASIS_BLOCKS * ShiftInvertLanczos.BLOCK).orElseThrow();
        Lapack.EigenSubset viaDispatch = ShiftInvertLanczos.smallest(ab[0], ab[1], n, count);
        assertArrayEquals(lanczos.values(), viaDispatch.values(), "the same path, the same bits");
        assertArrayEquals(lanczos.vectors(), viaDispatch.vectors());
        Lapack.EigenSubset dense = Lapack.smallestGeneralizedEigen(ab[0], ab[1], n, count);
        for (int p = 0; p < count; p++) {
            assertEquals(dense.values()[p], viaDispatch.values()[p], 1e-10 * dense.values()[count - 1], "mu_" + p);
        }
    }

    @Test
    void asManyPairsAsTheLimitStillConvergeAndAreCertified() {
        // the dispatcher sends up to MOST_PAIRS pairs to the Lanczos path: there it must converge
        // and pass both checks, or the dense path would answer after it (the time lost)
        int n = ShiftInvertLanczos.DENSE_BELOW;
        int count = ShiftInvertLanczos.MOST_PAIRS;
        double[][] ab = codePencil(n, 60_000, 4);
        Lapack.EigenSubset lanczos = ShiftInvertLanczos.lanczos(ab[0], ab[1], n, count, ShiftInvertLanczos.BLOCK,
                ShiftInvertLanczos.BASIS_BLOCKS * ShiftInvertLanczos.BLOCK).orElseThrow();
        Lapack.EigenSubset dense = Lapack.smallestGeneralizedEigen(ab[0], ab[1], n, count);
        for (int p = 0; p < count; p++) {
            assertEquals(dense.values()[p], lanczos.values()[p], 1e-10 * dense.values()[count - 1], "mu_" + p);
        }
    }

    /** A symmetric {@code [n * n]} matrix with entries uniform in [-0.5, 0.5): indefinite. */
    private static double[] randomSymmetric(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextDouble() - 0.5;
                m[i * n + j] = v;
                m[j * n + i] = v;
            }
        }
        return m;
    }

    @Test
    void anIndefiniteAFallsBackToTheDenseSolve() {
        int n = ShiftInvertLanczos.DENSE_BELOW;
        double[] a = randomSymmetric(n, 5);
        SplittableRandom rng = new SplittableRandom(15);
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) b[i * n + i] = 1 + rng.nextDouble();
        assertTrue(ShiftInvertLanczos.lanczos(a, b, n, 8, 8, 64).isEmpty(), "A + tau B is not positive definite");
        Lapack.EigenSubset dense = Lapack.smallestGeneralizedEigen(a, b, n, 8);
        Lapack.EigenSubset got = ShiftInvertLanczos.smallest(a, b, n, 8);
        assertArrayEquals(dense.values(), got.values());
        assertArrayEquals(dense.vectors(), got.vectors());
    }

    @Test
    void aMultipleEigenvalueBeyondTheCountFailsTheCompletenessCheckAndFallsBack() {
        // 40 atoms never active: mu = 0 is an eigenvalue of multiplicity 40, more than the 16 asked for
        int n = ShiftInvertLanczos.DENSE_BELOW;
        double[][] ab = codePencil(n, n - 40, 60_000, 7, false);
        assertTrue(ShiftInvertLanczos.lanczos(ab[0], ab[1], n, 16, ShiftInvertLanczos.BLOCK,
                ShiftInvertLanczos.BASIS_BLOCKS * ShiftInvertLanczos.BLOCK).isEmpty(), "40 eigenvalues below sigma, not 16");
        Lapack.EigenSubset dense = Lapack.smallestGeneralizedEigen(ab[0], ab[1], n, 16);
        Lapack.EigenSubset got = ShiftInvertLanczos.smallest(ab[0], ab[1], n, 16);
        assertArrayEquals(dense.values(), got.values());
        assertArrayEquals(dense.vectors(), got.vectors());
    }

    @Test
    void choleskyLeavesTheOtherTriangleAlone() {
        // the completeness check forms A - sigma B in the upper triangle of the array whose lower
        // triangle dpotrf 'L' overwrote with L: that needs OpenBLAS to leave the upper one untouched
        int n = 700;
        double[] m = randomSymmetric(n, 9);
        for (int i = 0; i < n; i++) m[i * n + i] += n;
        try (DoublePointer p = new DoublePointer(m)) {
            assertEquals(0, openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, p, n));
            double[] factored = Lapack.toArray(p, n * n);
            for (int col = 0; col < n; col++) {
                for (int row = 0; row < col; row++) {
                    assertEquals(m[col * n + row], factored[col * n + row], "upper entry (" + row + ", " + col + ")");
                }
            }
        }
    }

    /**
     * Whether {@link ShiftInvertLanczos#noOtherEigenvalueBelow} accepts the pencil (a, b) below
     * {@code sigma} with the eigenvectors {@code columns} of {@code e} as X.
     */
    private static boolean noOtherBelow(double[] a, double[] b, int n, Lapack.Eigen e, int[] columns, double sigma) {
        int count = columns.length;
        double[] bx = new double[n * count];
        for (int j = 0; j < count; j++) {
            System.arraycopy(EigenChecks.times(b, n, e::vector, columns[j]), 0, bx, j * n, n);
        }
        double[] shifted = new double[n * n];
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < n * n; i++) {
            shifted[i] = a[i] - sigma * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        try (DoublePointer m = new DoublePointer(shifted); DoublePointer x = new DoublePointer(bx)) {
            return ShiftInvertLanczos.noOtherEigenvalueBelow(m, x, n, count, sigma, e.values()[0],
                    Math.sqrt(normA / normB));
        }
    }

    @Test
    void theDeflatedCholeskyFindsAMissedEigenvalue() {
        // an indefinite A and a diagonal B: 12 of the smallest eigenpairs deflated, sigma between
        // two eigenvalues
        int n = 200;
        int count = 12;
        double[] a = randomSymmetric(n, 6);
        double[] b = new double[n * n];
        SplittableRandom rng = new SplittableRandom(16);
        for (int i = 0; i < n; i++) b[i * n + i] = 0.5 + rng.nextDouble();
        Lapack.Eigen e = Lapack.generalizedSymmetricEigen(a, b, n);
        double[] mu = e.values();
        int[] smallest = new int[count];
        for (int j = 0; j < count; j++) smallest[j] = j;
        double between = (mu[count - 1] + mu[count]) / 2;
        double beyond = (mu[count] + mu[count + 1]) / 2;
        assertTrue(noOtherBelow(a, b, n, e, smallest, between), "the 12 smallest, sigma below mu_12");
        assertFalse(noOtherBelow(a, b, n, e, smallest, beyond), "mu_12 below sigma but not deflated");
        int[] gap = smallest.clone();
        gap[count - 1] = count;
        assertFalse(noOtherBelow(a, b, n, e, gap, beyond), "mu_11 below sigma but not deflated");
        int[] all = new int[count + 1];
        for (int j = 0; j <= count; j++) all[j] = j;
        assertTrue(noOtherBelow(a, b, n, e, all, beyond), "all 13 below sigma deflated");
    }

    /** The first product after {@code products} at which {@code schedule} checks again. */
    private static int nextCheck(ShiftInvertLanczos.CheckSchedule schedule, int products) {
        int next = products + 1;
        while (!schedule.due(next)) next++;
        return next;
    }

    @Test
    void theCheckScheduleWaitsHalfThePredictedProducts() {
        var schedule = new ShiftInvertLanczos.CheckSchedule();
        assertTrue(schedule.due(1), "the first product is checked");
        schedule.checked(1, 1e12, true);
        assertEquals(2, nextCheck(schedule, 1), "no rate yet");
        schedule.checked(2, 1e11, true);
        // a factor 10 per product predicts 11 more: half of them, at most 4, are skipped
        assertEquals(7, nextCheck(schedule, 2));
        schedule.checked(7, 3e6, true);
        // a factor 8.0 per product, 7.2 more predicted: 3 skipped
        assertEquals(11, nextCheck(schedule, 7));
        schedule.checked(11, 300, true);
        assertEquals(13, nextCheck(schedule, 11), "10 per product, 2.5 more predicted: 1 skipped");
        schedule.checked(13, 5, true);
        assertEquals(14, nextCheck(schedule, 13), "7.7 per product, 0.8 more predicted: none skipped");
        schedule.checked(14, 40, true);
        assertEquals(15, nextCheck(schedule, 14), "a rising ratio: none skipped");
        schedule.checked(15, 4, false);
        assertEquals(16, nextCheck(schedule, 15), "before the basis holds count + block vectors: none skipped");
    }

    @Test
    void badArgumentsGetTheDenseSolversMessages() {
        var count = assertThrows(GlassboxException.class,
                () -> ShiftInvertLanczos.smallest(new double[4], new double[4], 2, 3));
        assertEquals("count: expected 1 to 2 eigenpairs but got 3", count.getMessage());
        var size = assertThrows(GlassboxException.class,
                () -> ShiftInvertLanczos.smallest(new double[4], new double[5], 2, 1));
        assertEquals("B: expected 2 x 2 = 4 values but got 5", size.getMessage());
    }
}
