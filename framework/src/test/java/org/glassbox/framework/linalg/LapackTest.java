package org.glassbox.framework.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks LAPACK's float64 results on this machine, by their defining equations and against EJML's
 * pure-Java solvers ({@link EjmlReference}): OpenBLAS 0.3.19 (what ND4J 1.0.0-M2.1 brings) gives
 * eigenvectors that are not orthonormal on AVX-512 processors; the pinned 0.3.21 must pass.
 */
class LapackTest {
    private static double[] randomSpd(int n, long seed, double ridge) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = 2 * n;
        double[] x = new double[m * n];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble() * 2 - 1;
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < m; k++) s += x[k * n + i] * x[k * n + j];
                c[i * n + j] = s / m + (i == j ? ridge : 0);
            }
        }
        return c;
    }

    @Test
    void symmetricEigenvectorsAreOrthonormalAndDiagonalise() {
        int n = 300;
        double[] a = randomSpd(n, 1, 0.0);
        Lapack.Eigen e = Lapack.symmetricEigen(a, n);
        double maxOrtho = 0;
        double maxResidual = 0;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += e.vector(i, p) * e.vector(i, q);
                maxOrtho = Math.max(maxOrtho, Math.abs(dot - (p == q ? 1 : 0)));
            }
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) av += a[i * n + k] * e.vector(k, p);
                maxResidual = Math.max(maxResidual, Math.abs(av - e.values()[p] * e.vector(i, p)));
            }
        }
        assertTrue(maxOrtho < 1e-10, "V^T V = I violated by " + maxOrtho);
        assertTrue(maxResidual < 1e-10, "A v = lambda v violated by " + maxResidual);
        for (int p = 1; p < n; p++) assertTrue(e.values()[p] >= e.values()[p - 1], "eigenvalues ascend");
    }

    @Test
    void generalizedEigenvectorsAreBOrthonormalAndSolveTheProblem() {
        int n = 200;
        double[] a = randomSpd(n, 2, 0.0);
        double[] b = randomSpd(n, 3, 0.1);
        Lapack.Eigen e = Lapack.generalizedSymmetricEigen(a, b, n);
        double maxOrtho = EigenChecks.largestOrthonormalityError(b, n, n, e::vector);
        double maxResidual = EigenChecks.largestResidual(a, b, n, e.values(), n, e::vector);
        assertTrue(maxOrtho < 1e-9, "V^T B V = I violated by " + maxOrtho);
        assertTrue(maxResidual < 1e-9, "A v = mu B v violated by " + maxResidual);
    }

    @Test
    void smallestGeneralizedEigenpairsMatchTheFullSolve() {
        int n = 150;
        int count = 12;
        double[] a = randomSpd(n, 4, 0.0);
        double[] b = randomSpd(n, 5, 0.05);
        Lapack.Eigen full = Lapack.generalizedSymmetricEigen(a, b, n);
        Lapack.EigenSubset part = Lapack.smallestGeneralizedEigen(a, b, n, count);
        assertEquals(count, part.values().length);
        for (int p = 0; p < count; p++) {
            assertEquals(full.values()[p], part.values()[p], 1e-9 * Math.abs(full.values()[n - 1]));
        }
        double maxResidual = EigenChecks.largestResidual(a, b, n, part.values(), count, part::vector);
        double maxOrtho = EigenChecks.largestOrthonormalityError(b, n, count, part::vector);
        assertTrue(maxResidual < 1e-9, "A v = mu B v violated by " + maxResidual);
        assertTrue(maxOrtho < 1e-9, "V^T B V = I violated by " + maxOrtho);
    }

    /** The largest |got_p - reference_p| over the first {@code count} values. */
    private static double largestDifference(double[] reference, double[] got, int count) {
        double largest = 0;
        for (int p = 0; p < count; p++) largest = Math.max(largest, Math.abs(reference[p] - got[p]));
        return largest;
    }

    @Test
    void eachSolverAgreesWithEjmlsPureJavaReference() {
        int n = 150;
        int count = 12;
        double[] a = randomSpd(n, 6, 0.0);
        double[] b = randomSpd(n, 7, 0.05);

        Lapack.Eigen standard = EjmlReference.symmetric(a, n);
        Lapack.Eigen dsyevd = Lapack.symmetricEigen(a, n);
        double scale = Math.abs(standard.values()[n - 1]);
        assertTrue(largestDifference(standard.values(), dsyevd.values(), n) < 1e-12 * scale, "dsyevd's eigenvalues");
        assertTrue(EigenChecks.largestMismatch(EigenChecks.identity(n), n, n, standard::vector, dsyevd::vector) < 1e-10,
                "dsyevd's eigenvectors");

        Lapack.Eigen generalized = EjmlReference.generalized(a, b, n);
        Lapack.Eigen dsygvd = Lapack.generalizedSymmetricEigen(a, b, n);
        scale = Math.abs(generalized.values()[n - 1]);
        assertTrue(largestDifference(generalized.values(), dsygvd.values(), n) < 1e-12 * scale, "dsygvd's eigenvalues");
        assertTrue(EigenChecks.largestMismatch(b, n, n, generalized::vector, dsygvd::vector) < 1e-10,
                "dsygvd's eigenvectors");

        Lapack.EigenSubset smallest = Lapack.smallestGeneralizedEigen(a, b, n, count);
        assertTrue(largestDifference(generalized.values(), smallest.values(), count) < 1e-12 * scale,
                "the smallest eigenvalues");
        assertTrue(EigenChecks.largestMismatch(b, n, count, generalized::vector, smallest::vector) < 1e-10,
                "the smallest eigenvalues' vectors");
    }

    @Test
    void smallestGeneralizedEigenRejectsAnIndefiniteB() {
        double[] a = {1, 0, 0, 1};
        double[] b = {1, 0, 0, -1};
        var ex = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.framework.error.GlassboxException.class,
                () -> Lapack.smallestGeneralizedEigen(a, b, 2, 1));
        assertEquals("generalized eigen-decomposition failed: B is not positive definite (LAPACK dpotrf info = 2); "
                + "increase the ridge added to B", ex.getMessage());
    }

    @Test
    void rejectsWrongSize() {
        var ex = org.junit.jupiter.api.Assertions.assertThrows(org.glassbox.framework.error.GlassboxException.class,
                () -> Lapack.symmetricEigen(new double[5], 2));
        assertEquals("A: expected 2 x 2 = 4 values but got 5", ex.getMessage());
    }
}
