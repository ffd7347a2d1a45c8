package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class SmallCholeskyTest {
    /** A = B B^T + I for a random m x m Gaussian B, row-major. */
    private static double[] spd(int m, Random rng) {
        double[] b = new double[m * m];
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        double[] a = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double v = i == j ? 1 : 0;
                for (int k = 0; k < m; k++) v += b[i * m + k] * b[j * m + k];
                a[i * m + j] = v;
            }
        }
        return a;
    }

    @Test
    void theFactorReproducesTheMatrixAndTheSolvesInvertIt() {
        int m = 9;
        double[] a = spd(m, new Random(3));
        double[] l = a.clone();
        assertEquals(m, SmallCholesky.factor(l, m));
        for (int i = 0; i < m; i++) {
            assertTrue(l[i * m + i] > 0, "pivot " + i);
            for (int j = 0; j <= i; j++) {
                double llt = 0;
                for (int k = 0; k <= j; k++) llt += l[i * m + k] * l[j * m + k];
                assertEquals(a[i * m + j], llt, 1e-12 * Math.abs(a[i * m + i]), "(L L^T)_" + i + j);
            }
        }
        double[] x = new double[m];
        for (int i = 0; i < m; i++) x[i] = i - 4.5;
        double[] rhs = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) rhs[i] += a[i * m + j] * x[j];
        }
        SmallCholesky.forward(l, m, m, rhs);
        SmallCholesky.backward(l, m, m, rhs);
        for (int i = 0; i < m; i++) assertEquals(x[i], rhs[i], 1e-10, "z_" + i);
    }

    @Test
    void theFactorAndTheSolvesAreEjmlsCholesky() {
        int m = 24;
        double[] a = spd(m, new Random(7));
        double[] l = a.clone();
        assertEquals(m, SmallCholesky.factor(l, m));
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(m, true);
        assertTrue(chol.decompose(new DMatrixRMaj(m, m, true, a)), "EJML's Cholesky");
        DMatrixRMaj reference = chol.getT(null);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(reference.get(i, j), l[i * m + j], 1e-12 * Math.sqrt(a[i * m + i]), "L_" + i + "," + j);
            }
        }
        double[] rhs = new double[m];
        for (int i = 0; i < m; i++) rhs[i] = Math.sin(i);
        DMatrixRMaj x = new DMatrixRMaj(m, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(m);
        assertTrue(solver.setA(new DMatrixRMaj(m, m, true, a)), "EJML's Cholesky solver");
        solver.solve(new DMatrixRMaj(m, 1, true, rhs), x);
        SmallCholesky.forward(l, m, m, rhs);
        SmallCholesky.backward(l, m, m, rhs);
        for (int i = 0; i < m; i++) assertEquals(x.get(i, 0), rhs[i], 1e-10 * Math.abs(x.get(i, 0)) + 1e-14, "z_" + i);
    }

    @Test
    void aDependentColumnStopsTheFactorisationAtItsPosition() {
        int m = 6;
        double[] a = spd(m, new Random(5));
        // row and column 4 := rows and columns 1 + 2, so that A's column 4 depends on columns 1 and 2
        for (int j = 0; j < m; j++) a[4 * m + j] = a[1 * m + j] + a[2 * m + j];
        for (int i = 0; i < m; i++) a[i * m + 4] = a[i * m + 1] + a[i * m + 2];
        double[] l = a.clone();
        assertEquals(4, SmallCholesky.factor(l, m));
        // the leading 4 x 4 factor is complete and reproduces A's leading block
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j <= i; j++) {
                double llt = 0;
                for (int k = 0; k <= j; k++) llt += l[i * m + k] * l[j * m + k];
                assertEquals(a[i * m + j], llt, 1e-12 * Math.abs(a[i * m + i]), "(L L^T)_" + i + j);
            }
        }
    }

    @Test
    void aNonPositiveOrNaNPivotStopsAtTheStart() {
        assertEquals(0, SmallCholesky.factor(new double[] {0, 0, 0, 1}, 2));
        assertEquals(0, SmallCholesky.factor(new double[] {Double.NaN, 0, 0, 1}, 2));
        assertEquals(1, SmallCholesky.factor(new double[] {1, 0, 1, 1}, 2));
    }
}
