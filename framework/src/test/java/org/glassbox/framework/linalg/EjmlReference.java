package org.glassbox.framework.linalg;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigenpairs from EJML, in float64 and pure Java: a reference that shares no code with OpenBLAS,
 * whose LAPACK both {@link Lapack} and {@link ShiftInvertLanczos} call, so a wrong result of the
 * native library (as OpenBLAS 0.3.19 gave on AVX-512) cannot pass by agreeing with itself. The
 * generalised problem A v = mu B v is reduced as in the textbook (Golub and Van Loan, "Matrix
 * Computations", 4th ed., section 8.7.2): B = L L^T (EJML's Cholesky), the symmetric
 * C = L^-1 A L^-T, its eigenpairs C y = mu y (EJML's symmetric QR algorithm), v = L^-T y.
 */
final class EjmlReference {
    private EjmlReference() {
    }

    /** Every eigenpair of the symmetric {@code a} ({@code [n * n]} row-major), ascending; orthonormal vectors. */
    static Lapack.Eigen symmetric(double[] a, int n) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, a))) throw new AssertionError("EJML's eigen-decomposition failed");
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> eig.getEigenvalue(i).getReal()));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            values[j] = eig.getEigenvalue(order[j]).getReal();
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            for (int i = 0; i < n; i++) vectors[i * n + j] = v.get(i, 0);
        }
        return new Lapack.Eigen(values, vectors, n);
    }

    /**
     * Every eigenpair of A v = mu B v (A symmetric, B symmetric positive definite, both
     * {@code [n * n]} row-major), ascending; B-orthonormal vectors.
     */
    static Lapack.Eigen generalized(double[] a, double[] b, int n) {
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(new DMatrixRMaj(n, n, true, b))) throw new AssertionError("B is not positive definite");
        DMatrixRMaj inverseL = new DMatrixRMaj(n, n);
        TriangularSolver_DDRM.invertLower(chol.getT(null).data, inverseL.data, n);
        DMatrixRMaj left = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(inverseL, new DMatrixRMaj(n, n, true, a), left);
        DMatrixRMaj c = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(left, inverseL, c);
        // C is symmetric up to rounding; the symmetric solver reads both triangles
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double mean = (c.get(i, j) + c.get(j, i)) / 2;
                c.set(i, j, mean);
                c.set(j, i, mean);
            }
        }
        Lapack.Eigen standard = symmetric(c.data, n);
        DMatrixRMaj v = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(inverseL, new DMatrixRMaj(n, n, true, standard.vectors()), v);
        return new Lapack.Eigen(standard.values(), v.data, n);
    }

    /** The {@code count} smallest of {@link #generalized}'s pairs. */
    static Lapack.EigenSubset smallest(double[] a, double[] b, int n, int count) {
        Lapack.Eigen all = generalized(a, b, n);
        double[] vectors = new double[n * count];
        for (int i = 0; i < n; i++) System.arraycopy(all.vectors(), i * n, vectors, i * count, count);
        return new Lapack.EigenSubset(Arrays.copyOf(all.values(), count), vectors, n, count);
    }
}
