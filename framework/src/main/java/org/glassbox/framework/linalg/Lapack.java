package org.glassbox.framework.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas;
import org.glassbox.framework.error.GlassboxException;

/**
 * Symmetric eigen-decompositions in float64 through LAPACK ({@code dsyevd}, {@code dsygvd}) as
 * bound by JavaCPP's OpenBLAS presets. Why not ND4J's {@code Eigen}: its generalized solver runs a
 * symmetric routine on the non-symmetric B^-1 A and returns wrong vectors (docs/architecture.md, "Arrays and linear algebra").
 * The OpenBLAS version is pinned to 0.3.21 in the parent pom: 0.3.19 computes wrong float64
 * eigenvectors on AVX-512 processors; {@code LapackTest} checks the results on this machine.
 *
 * <p>The generalised solvers work on native copies ({@code DoublePointer}) of the n x n matrices,
 * not on the Java arrays: JavaCPP hands a {@code double[]} to native code through JNI, which
 * copies the whole array in before and out after every call, so the three-call reduction of
 * {@link #smallestGeneralizedEigen} would copy each n x n matrix up to six times.
 */
public final class Lapack {
    private Lapack() {
    }

    /**
     * Eigenvalues in ascending order and the matching eigenvectors.
     *
     * @param values {@code [n]}, ascending
     * @param vectors {@code [n * n]} row-major: {@code vectors[i * n + j]} is entry i of eigenvector j
     *                (eigenvectors are the columns)
     * @param n the matrix order
     */
    public record Eigen(double[] values, double[] vectors, int n) {
        /** Entry {@code i} of eigenvector {@code j}. */
        public double vector(int i, int j) {
            return vectors[i * n + j];
        }
    }

    /**
     * Solves A v = lambda v for symmetric A ({@code [n * n]} row-major; only its upper triangle is
     * read; not modified) by divide and conquer ({@code dsyevd}). The eigenvectors are orthonormal.
     */
    public static Eigen symmetricEigen(double[] a, int n) {
        requireSquare("A", a, n);
        double[] v = a.clone();
        double[] w = new double[n];
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, v, n, w);
        if (info != 0) {
            throw new GlassboxException("symmetric eigen-decomposition failed (LAPACK dsyevd info = " + info
                    + "; expected 0): the matrix has non-finite entries or the solver did not converge");
        }
        return new Eigen(w, v, n);
    }

    /**
     * Solves the generalized problem A v = mu B v (A symmetric, B symmetric positive definite; both
     * {@code [n * n]} row-major, upper triangles read, not modified) with {@code dsygvd}, itype 1.
     * The eigenvectors are B-orthonormal: V^T B V = I. LAPACK is called in column-major order, in
     * which the row-major upper triangles are the lower ones: LAPACKE's row-major interface would
     * transpose both n x n inputs first (about a tenth of the time at n = 3,373); only the
     * eigenvector matrix is transposed here. The matrices are copied to native
     * memory once (class comment).
     */
    public static Eigen generalizedSymmetricEigen(double[] a, double[] b, int n) {
        requireSquare("A", a, n);
        requireSquare("B", b, n);
        try (PointerScope scope = new PointerScope()) {
            DoublePointer v = new DoublePointer(a);
            DoublePointer bb = new DoublePointer(b);
            DoublePointer w = new DoublePointer(n);
            int info = openblas.LAPACKE_dsygvd(openblas.LAPACK_COL_MAJOR, 1, (byte) 'V', (byte) 'L', n, v, n, bb, n, w);
            if (info > n) {
                throw new GlassboxException("generalized eigen-decomposition failed: B is not positive definite (LAPACK "
                        + "dsygvd info = " + info + "); increase the ridge added to B");
            }
            if (info != 0) {
                throw new GlassboxException("generalized eigen-decomposition failed (LAPACK dsygvd info = " + info
                        + "; expected 0)");
            }
            return new Eigen(toArray(w, n), rowMajor(toArray(v, n * n), n, n), n);
        }
    }

    /** The first {@code length} values of {@code p} in a new array. */
    static double[] toArray(DoublePointer p, int length) {
        double[] out = new double[length];
        p.get(out);
        return out;
    }

    /**
     * The row-major copy of the column-major {@code [rows, cols]} matrix {@code m} (LAPACK's
     * layout), transposed in 64 x 64 tiles.
     */
    static double[] rowMajor(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int j0 = 0; j0 < cols; j0 += 64) {
            for (int i0 = 0; i0 < rows; i0 += 64) {
                for (int j = j0; j < Math.min(cols, j0 + 64); j++) {
                    for (int i = i0; i < Math.min(rows, i0 + 64); i++) t[i * cols + j] = m[j * rows + i];
                }
            }
        }
        return t;
    }

    /**
     * The {@code count} smallest eigenpairs of a symmetric eigenvector matrix, as returned by
     * {@link #smallestGeneralizedEigen}.
     *
     * @param values {@code [count]}, ascending
     * @param vectors {@code [n * count]} row-major: {@code vectors[i * count + j]} is entry i of
     *                eigenvector j (eigenvectors are the columns)
     * @param n the matrix order
     * @param count how many eigenpairs
     */
    public record EigenSubset(double[] values, double[] vectors, int n, int count) {
        /** Entry {@code i} of eigenvector {@code j}. */
        public double vector(int i, int j) {
            return vectors[i * count + j];
        }
    }

    /**
     * The {@code count} smallest eigenpairs of the generalized problem A v = mu B v (A symmetric, B
     * symmetric positive definite; both {@code [n * n]} row-major, upper triangles read, not
     * modified), the same reduction as LAPACK's {@code dsygvx} but with the MRRR solver: B = L L^T
     * ({@code dpotrf}), C = L^-1 A L^-T ({@code dsygst}), the smallest eigenpairs C y = mu y
     * ({@code dsyevr}, range 'I'), then v = L^-T y ({@code dtrsm}). It costs the O(n^3) reductions
     * but only O(n^2 count) for the vectors, so it is much cheaper than {@link
     * #generalizedSymmetricEigen} when few vectors are wanted. The eigenvectors are B-orthonormal.
     * Column-major calls on the lower triangles of native copies, as in {@link #generalizedSymmetricEigen}.
     */
    public static EigenSubset smallestGeneralizedEigen(double[] a, double[] b, int n, int count) {
        requireSquare("A", a, n);
        requireSquare("B", b, n);
        requireCount(count, n);
        try (PointerScope scope = new PointerScope()) {
            DoublePointer l = new DoublePointer(b);
            int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, l, n);
            if (info > 0) {
                throw new GlassboxException("generalized eigen-decomposition failed: B is not positive definite (LAPACK "
                        + "dpotrf info = " + info + "); increase the ridge added to B");
            }
            if (info != 0) {
                throw new GlassboxException("Cholesky factorisation failed (LAPACK dpotrf info = " + info
                        + "; expected 0)");
            }
            DoublePointer c = new DoublePointer(a);
            info = openblas.LAPACKE_dsygst(openblas.LAPACK_COL_MAJOR, 1, (byte) 'L', n, c, n, l, n);
            if (info != 0) {
                throw new GlassboxException("reduction to standard form failed (LAPACK dsygst info = " + info
                        + "; expected 0)");
            }
            DoublePointer w = new DoublePointer(n);
            DoublePointer z = new DoublePointer((long) n * count);
            IntPointer found = new IntPointer(1);
            IntPointer support = new IntPointer(2L * n);
            info = openblas.LAPACKE_dsyevr(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I', (byte) 'L', n, c, n,
                    0, 0, 1, count, 0, found, w, z, n, support);
            if (info != 0 || found.get() != count) {
                throw new GlassboxException("symmetric eigen-decomposition failed (LAPACK dsyevr info = " + info
                        + ", found " + found.get() + " of " + count + " eigenpairs): the matrix has non-finite entries");
            }
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower, openblas.CblasTrans,
                    openblas.CblasNonUnit, n, count, 1.0, l, n, z, n);
            return new EigenSubset(toArray(w, count), rowMajor(toArray(z, n * count), n, count), n, count);
        }
    }

    static void requireCount(int count, int n) {
        if (count < 1 || count > n) {
            throw new GlassboxException("count: expected 1 to " + n + " eigenpairs but got " + count);
        }
    }

    static void requireSquare(String name, double[] m, int n) {
        if (m.length != (long) n * n) {
            throw new GlassboxException(name + ": expected " + n + " x " + n + " = " + (long) n * n
                    + " values but got " + m.length);
        }
    }
}
