package org.glassbox.framework.linalg;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.global.openblas;

/**
 * The few smallest eigenpairs of a large generalised symmetric problem A v = mu B v (A positive
 * semi-definite, B positive definite; the manifold-embedding layer's S p = mu V p) by shift-invert
 * block Lanczos with full reorthogonalisation and thick restarts. It replaces the dense path's
 * O(n^3) tridiagonal reduction, which dominates {@link Lapack#smallestGeneralizedEigen} for large n,
 * by a few dozen products with a factored matrix.
 *
 * <p><b>Shift-invert</b> (Ericsson and Ruhe, Math. Comp. 35, 1980; Grimes, Lewis and Simon, SIAM J.
 * Matrix Anal. Appl. 15, 1994). With a small shift tau &gt; 0 the matrix M = A + tau B is positive
 * definite, M = L L^T (Cholesky, n^3 / 3 flops), and the symmetric matrix
 *
 * <pre>
 *   T = L^-1 B L^-T      has the eigenpairs   T y = theta y,   theta = 1 / (mu + tau),   v = L^-T y.
 * </pre>
 *
 * The smallest mu become the largest theta, spread far apart, which a Krylov method finds quickly.
 * tau starts at {@link #SHIFT} trace(A) / trace(B); when an eigenvalue much closer to 0 than the
 * wanted ones makes theta_0 so large that the products' rounding would hide the others'
 * residuals, tau is raised once to {@link #RESHIFT} times the count-th mu ({@link #MAX_RANGE}).
 * A product with a block of b vectors costs two triangular solves and one product with B,
 * 4 n^2 b flops.
 *
 * <p><b>Block Lanczos</b> (Golub and Underwood, 1977) on T from a seeded random orthonormal block,
 * reorthogonalising every new block against the whole basis Q twice (classical Gram-Schmidt run
 * twice, Giraud, Langou, Rozloznik and van den Eshof, Numer. Math. 101, 2005), so Q stays orthonormal
 * to rounding. W = T Q is kept beside Q, the Rayleigh quotient H = Q^T W is extended by one block
 * of columns per step, and its eigenpairs (theta_i, y_i) give Ritz pairs (theta_i, Q y_i) with
 * residuals r_i = W y_i - theta_i Q y_i. The iteration stops when ||r_i|| &lt;=
 * {@link #RESIDUAL_TOLERANCE} theta_i for the {@code count} largest theta. When the basis is full it
 * restarts thickly (Wu and Simon, SIAM J. Matrix Anal. Appl. 22, 2000): Q and W are replaced by the
 * leading Ritz vectors Q Y and their images W Y, and the iteration goes on from the last block's
 * orthogonalised image.
 *
 * <p><b>Result and certificate.</b> X = L^-T Q Y (the Ritz vectors of the original problem) is
 * refined by one Rayleigh-Ritz step of (A, B) on its span (a {@code count x count} problem), which
 * makes X B-orthonormal and the eigenvalues Rayleigh quotients. Each pair must then satisfy
 * ||A x - mu B x|| &lt;= {@link #CERTIFIED_RESIDUAL} (||A||_F + |mu| ||B||_F) ||x||, computed from A and B
 * themselves. Small residuals do not show that no smaller eigenvalue was missed. A second
 * Cholesky factorisation does, of the deflated matrix
 *
 * <pre>
 *   M = A - sigma B + c (B X)(B X)^T,   sigma just above the largest mu found,   c = sigma - mu_0 + ||A||_F / ||B||_F.
 * </pre>
 *
 * On the {@code n - count} dimensional subspace U = {v : X^T B v = 0} the quadratic forms of M
 * and A - sigma B agree, so if M is positive definite, A - sigma B is positive definite on U. Then
 * A - sigma B has at most {@code count} eigenvalues &lt;= 0 (a subspace of dimension count + 1 on
 * which it were negative semi-definite would meet U), and by Sylvester's law of inertia the pencil
 * has at most {@code count} eigenvalues mu &lt;= sigma: none was missed. This holds for any X;
 * when X are the eigenvectors, M's pencil eigenvalues are mu_i - sigma + c &gt;= ||A||_F / ||B||_F
 * on X and mu_j - sigma &gt; 0 on the rest, so M is positive definite and the factorisation
 * succeeds. It is the check of spectrum slicing (Grimes, Lewis and Simon 1994: the inertia of A -
 * sigma B) made with the projection onto U: Cholesky's n^3 / 3 flops instead of the symmetric-
 * indefinite LDL^T ({@code dsytrf}), which takes three to five times as long at n = 3,365.
 * Where a check fails, the first Cholesky
 * factorisation fails (A not positive semi-definite) or the iteration has not converged after
 * {@link #MAX_PRODUCTS} block products, {@link #smallest} returns the dense path's answer instead.
 *
 * <p><b>Where it runs.</b> Every manifold-embedding layer's fit calls {@link #smallest} (the
 * layers module's {@code ManifoldFitter}); the Lanczos path takes problems of at least
 * {@link #DENSE_BELOW} active atoms and at most {@link #MOST_PAIRS} pairs. The default MNIST
 * stack's embedding (33 pairs over most of its 4,096 atoms) takes it; smaller embeddings, such as
 * the two of the ILSVRC-2012 stack file (256 and 1,024 atoms), take the dense path.
 */
public final class ShiftInvertLanczos {
    /**
     * Below this order the dense path ({@link Lapack#smallestGeneralizedEigen}) is used: at n =
     * 1,724 it is as fast as this solver or faster, at n = 3,365 this solver takes less than half
     * its time for 16 and 33 pairs (docs/performance.md, "The manifold eigen-solve").
     */
    static final int DENSE_BELOW = 2048;
    /**
     * Above this many eigenpairs the dense path is used (129: a manifold layer's 128 dimensions and
     * the trivial pair it skips). At n = 3,365 this solver took 1.77-2.04 s for 65 pairs, 2.06-2.08 s
     * for 97, 2.42-2.58 s for 129 and 2.86-2.97 s for 161 against the dense path's 2.90-3.77 s, but
     * did not converge within {@link #MAX_PRODUCTS} products for 193 (after which the dense path
     * answers, so the time is lost); {@code bench/.../EigenSolveTimes} times both paths up to 129
     * pairs (docs/performance.md).
     */
    static final int MOST_PAIRS = 129;
    /**
     * Vectors per block. Each product with T streams the n x n matrices from memory, so a wider
     * block costs little more per product (one vector about 10 ms, 16 vectors about 34 ms at n =
     * 3,373) but enlarges the basis work; blocks of 16, 24 and 32 took about the same total time
     * (within 15%) for 16 and 33 pairs at n = 3,373, and 16 keeps the basis smallest.
     */
    static final int BLOCK = 16;
    /** The basis holds at most this many blocks before a thick restart. */
    static final int BASIS_BLOCKS = 32;
    /** At most this many block products before giving up: twice what fills the default basis once. */
    static final int MAX_PRODUCTS = 2 * BASIS_BLOCKS;
    /** Ritz pairs are converged when ||r_i|| &lt;= this times theta_i (plus {@link #ROUNDING} theta_0). */
    static final double RESIDUAL_TOLERANCE = 1e-12;
    /**
     * The rounding of a product with T, relative to its largest eigenvalue theta_0: residuals
     * cannot go below about this times theta_0, so the convergence test allows it.
     */
    static final double ROUNDING = 1e-14;
    /**
     * When theta_0 exceeds this multiple of theta_(count-1) once the basis holds count + block
     * vectors (an eigenvalue far closer to 0 than the count-th, such as the exact 0 of the
     * trivial eigenvector of codes that sum to one), that rounding would swamp the other pairs'
     * residuals: the solver factors again with a larger shift and starts over.
     */
    static final double MAX_RANGE = 1e3;
    /**
     * The larger shift: tau = RESHIFT mu_(count-1), from its Ritz estimate. It bounds theta_0 /
     * theta_(count-1) near 1 / RESHIFT and changes the ratios of the wanted theta by about 1%.
     */
    static final double RESHIFT = 1e-2;
    /** The relative residual every returned pair must meet on A and B themselves. */
    static final double CERTIFIED_RESIDUAL = 1e-10;
    /** tau = SHIFT trace(A) / trace(B): far below the eigenvalues of interest, far above rounding. */
    static final double SHIFT = 1e-6;
    /** No other eigenvalue may lie below sigma = mu_count + MARGIN (|mu_count| + ||A||_F / ||B||_F). */
    static final double MARGIN = 1e-8;

    private ShiftInvertLanczos() {
    }

    /**
     * The {@code count} smallest eigenpairs of A v = mu B v (both {@code [n * n]} row-major,
     * symmetric, not modified), B-orthonormal, ascending; the same contract as {@link
     * Lapack#smallestGeneralizedEigen}, which it calls for small problems ({@code n <} {@link
     * #DENSE_BELOW} or more than {@link #MOST_PAIRS} pairs) and whenever the Lanczos result is not
     * certified.
     */
    public static Lapack.EigenSubset smallest(double[] a, double[] b, int n, int count) {
        Lapack.requireSquare("A", a, n);
        Lapack.requireSquare("B", b, n);
        Lapack.requireCount(count, n);
        if (n >= DENSE_BELOW && count <= MOST_PAIRS) {
            Optional<Lapack.EigenSubset> result = lanczos(a, b, n, count, BLOCK, Math.min(n - BLOCK, BASIS_BLOCKS * BLOCK));
            if (result.isPresent()) return result.get();
        }
        return Lapack.smallestGeneralizedEigen(a, b, n, count);
    }

    /**
     * The iteration itself, with the block size and the basis limit ({@code count + 2 block <=
     * maxBasis <= n - block}) given. Empty when the Cholesky factorisation of A + tau B fails, the
     * iteration does not converge within {@link #MAX_PRODUCTS} block products (per shift), a pair
     * misses the certified residual, or the deflated matrix A - sigma B + c (B X)(B X)^T, sigma just
     * above the largest mu found, is not positive definite ({@link #noOtherEigenvalueBelow}), which
     * catches an eigenvalue the Krylov space missed (a multiplicity larger than the block, say).
     */
    static Optional<Lapack.EigenSubset> lanczos(double[] a, double[] b, int n, int count, int block, int maxBasis) {
        if (maxBasis < count + 2 * block || maxBasis > n - block) {
            throw new IllegalArgumentException("need count + 2 block <= maxBasis <= n - block; got count "
                    + count + ", block " + block + ", maxBasis " + maxBasis + ", n " + n);
        }
        try (PointerScope scope = new PointerScope()) {
            double tau = SHIFT * Math.max(trace(a, n), Double.MIN_NORMAL) / trace(b, n);
            DoublePointer bMat = new DoublePointer(b);
            DoublePointer factor = new DoublePointer((long) n * n);
            Basis basis;
            for (boolean first = true; ; first = false) {
                factor.put(a);
                openblas.cblas_daxpy(n * n, tau, bMat, 1, factor, 1);
                // column-major, as every native matrix here: a symmetric row-major array is its own transpose
                if (openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, factor, n) != 0) {
                    return Optional.empty();
                }
                basis = new Basis(n, block, maxBasis, factor, bMat, tau);
                Outcome outcome = basis.iterate(count, MAX_PRODUCTS, first);
                if (outcome == Outcome.EXHAUSTED) return Optional.empty();
                if (outcome == Outcome.CONVERGED) break;
                tau = basis.largerShift(count);
            }
            double normA = frobenius(a);
            double normB = frobenius(b);
            Optional<Certified> certified = basis.certifiedRitzVectors(count, normA, normB);
            if (certified.isEmpty()) return Optional.empty();
            double[] mu = certified.get().pairs().values();
            double sigma = mu[count - 1] + MARGIN * (Math.abs(mu[count - 1]) + normA / normB);
            // dpotrf 'L' left the strict upper triangle of factor alone (LAPACK's contract, which
            // choleskyLeavesTheOtherTriangleAlone checks): it still holds A + tau B; with the
            // diagonal put back, A - sigma B is formed there without copying A again
            for (int i = 0; i < n; i++) factor.put((long) i * n + i, a[i * n + i] + tau * b[i * n + i]);
            openblas.cblas_daxpy(n * n, -(sigma + tau), bMat, 1, factor, 1);
            DoublePointer bx = new DoublePointer(certified.get().bVectors());
            boolean complete = noOtherEigenvalueBelow(factor, bx, n, count, sigma, mu[0], normA / normB);
            return complete ? Optional.of(certified.get().pairs()) : Optional.empty();
        }
    }

    /**
     * Whether M = A - sigma B + c (B X)(B X)^T is positive definite, which shows that the pencil (A,
     * B) has at most {@code count} eigenvalues &lt;= sigma (the argument in the class comment): the
     * upper triangle of {@code m} (column-major {@code [n, n]}; overwritten by the factor) holds
     * that of A - sigma B, {@code bx} the products B X ({@code [n, count]}, column-major), and c =
     * sigma - mu_0 + ||A||_F / ||B||_F from {@code smallest} = mu_0 and {@code normRatio} =
     * ||A||_F / ||B||_F. A rank-{@code count} update of the upper triangle ({@code dsyrk}) and a
     * Cholesky factorisation ({@code dpotrf}); the lower triangle is not read.
     */
    static boolean noOtherEigenvalueBelow(DoublePointer m, DoublePointer bx, int n, int count, double sigma,
            double smallest, double normRatio) {
        double c = sigma - smallest + normRatio;
        openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans, n, count, c, bx, n,
                1.0, m, n);
        return openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, m, n) == 0;
    }

    /** Certified pairs, with B times their vectors ({@code [n, count]} column-major) for the completeness check. */
    private record Certified(Lapack.EigenSubset pairs, double[] bVectors) {
    }

    /**
     * When {@link Basis#iterate} computes the Ritz pairs and their residuals. Each check costs an
     * eigen-decomposition of the Rayleigh quotient (up to a few hundred rows, 10-39 ms on the 2-core
     * machine, whatever n) and two products with the basis, while the residuals shrink by a
     * roughly constant factor per block product once the iteration is under way (by about 10 per
     * product near the end at n = 3,365). After a check with the ratio {@code worst} (residual over
     * tolerance) and one earlier with {@code previous}, {@code steps} products apart, the rate
     * log(previous / worst) / steps predicts log(worst) / rate more products to convergence; the
     * next check comes after half of them, at most {@link #MOST_SKIPPED} skipped, so that a faster
     * convergence than predicted costs few extra products. No check comes before the basis holds
     * count vectors; none is skipped before it holds count + block (the shift is decided then) or
     * while the ratio does not fall. A thick restart and the last product allowed always check. At
     * n = 3,365 this checks 6 times instead of 18 for 16 pairs, 7 instead of 23 for 33, after the
     * same number of products.
     */
    static final class CheckSchedule {
        /** At most this many products between two checks. */
        static final int MOST_SKIPPED = 4;
        private int next = 1;
        private int lastProducts;
        private double lastWorst = Double.NaN;

        /** Whether to check after {@code products} block products. */
        boolean due(int products) {
            return products >= next;
        }

        /** Records a check after {@code products} products that found the ratio {@code worst} &gt; 1. */
        void checked(int products, double worst, boolean mayWait) {
            double rate = Math.log(lastWorst / worst) / (products - lastProducts);
            int skipped = 0;
            if (mayWait && rate > 0 && Double.isFinite(worst)) {
                skipped = (int) Math.min(MOST_SKIPPED, Math.floor(Math.log(worst) / rate / 2));
            }
            next = products + 1 + skipped;
            lastProducts = products;
            lastWorst = worst;
        }
    }

    /** How {@link Basis#iterate} ended. */
    private enum Outcome {
        /** The count largest Ritz pairs converged. */
        CONVERGED,
        /** Factor again with a larger shift ({@link #MAX_RANGE}). */
        RESHIFT,
        /** No convergence within the products allowed, or no way to extend the basis. */
        EXHAUSTED
    }

    /**
     * The Lanczos basis Q {@code [n, maxBasis]} and its image W = T Q {@code [n, maxBasis]}, the
     * first {@code size} columns in use, the Rayleigh quotient H = Q^T W {@code [size, size]} and its
     * eigen-decomposition (theta descending, Y). Every native matrix here is column-major, so a
     * block of vectors is one contiguous run and OpenBLAS takes its fastest paths: on the 2-core
     * machine a product with an n x n matrix and 16 column-major vectors takes half the time of the
     * same product on row-major ones (n = 3,373).
     */
    private static final class Basis {
        final int n;
        final int block;
        final int maxBasis;
        /** {@code [n, n]}: L in the lower triangle, A + tau B = L L^T. */
        final DoublePointer factor;
        /** {@code [n, n]}: B. */
        final DoublePointer bMat;
        /** The shift of the factor. */
        final double tau;
        final DoublePointer q;
        final DoublePointer w;
        /** {@code [n, block]}: the block being formed. */
        final DoublePointer next;
        /** {@code [n, block]}: scratch for products and the QR factorisation. */
        final DoublePointer scratch;
        /** {@code [maxBasis, block]}: Gram-Schmidt coefficients. */
        final DoublePointer coefficients;
        /** {@code [maxBasis, maxBasis]} row-major (symmetric). */
        final double[] h;
        final SplittableRandom random = new SplittableRandom(1);
        int size;
        double[] theta;
        /** {@code [size, size]} column-major: eigenvectors of H in the columns, theta descending. */
        double[] y;

        Basis(int n, int block, int maxBasis, DoublePointer factor, DoublePointer bMat, double tau) {
            this.n = n;
            this.tau = tau;
            this.block = block;
            this.maxBasis = maxBasis;
            this.factor = factor;
            this.bMat = bMat;
            q = new DoublePointer((long) n * maxBasis);
            w = new DoublePointer((long) n * maxBasis);
            next = new DoublePointer((long) n * block);
            scratch = new DoublePointer((long) n * block);
            coefficients = new DoublePointer((long) maxBasis * block);
            h = new double[maxBasis * maxBasis];
        }

        /**
         * Runs until the {@code count} largest Ritz pairs converge, at most {@code maxProducts}
         * block products; with {@code mayReshift}, stops early when the shift should be larger
         * ({@link #MAX_RANGE}).
         */
        Outcome iterate(int count, int maxProducts, boolean mayReshift) {
            fillRandom(0, block);
            if (!orthonormaliseNext()) return Outcome.EXHAUSTED;
            append();
            CheckSchedule schedule = new CheckSchedule();
            for (int products = 1; ; products++) {
                int last = size - block;
                applyT(last);
                extendRayleighQuotient(last);
                boolean full = size + block > maxBasis;
                if (size >= count && schedule.due(products) || full || products == maxProducts) {
                    ritz();
                    double worst = worstResidual(count);
                    if (worst <= 1) return Outcome.CONVERGED;
                    if (mayReshift && size >= count + block && theta[0] > MAX_RANGE * theta[count - 1]
                            && largerShift(count) > 10 * tau) {
                        return Outcome.RESHIFT;
                    }
                    if (products == maxProducts) return Outcome.EXHAUSTED;
                    schedule.checked(products, worst, size >= count + block);
                }
                copy(at(w, (long) last * n), next, n * block);
                if (!orthonormaliseNext()) return Outcome.EXHAUSTED;
                if (full) restart(count + block);
                append();
            }
        }

        /** {@link #RESHIFT} times the Ritz estimate of mu_(count-1), 1 / theta_(count-1) - tau. */
        double largerShift(int count) {
            return RESHIFT * (1 / theta[count - 1] - tau);
        }

        /** W[:, from:from+block] = L^-1 B L^-T Q[:, from:from+block]. */
        void applyT(int from) {
            copy(at(q, (long) from * n), scratch, n * block);
            triangularSolve(openblas.CblasTrans, scratch, block);
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, block, n,
                    1.0, bMat, n, scratch, n, 0.0, next, n);
            triangularSolve(openblas.CblasNoTrans, next, block);
            copy(next, at(w, (long) from * n), n * block);
        }

        /** x = L^-T x ({@code CblasTrans}) or L^-1 x ({@code CblasNoTrans}) for {@code cols} columns x. */
        void triangularSolve(int transpose, DoublePointer x, int cols) {
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower, transpose,
                    openblas.CblasNonUnit, n, cols, 1.0, factor, n, x, n);
        }

        /** H[:, from:size] = Q^T W[:, from:size], mirrored into H[from:size, :] (symmetric by construction). */
        void extendRayleighQuotient(int from) {
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasTrans, openblas.CblasNoTrans, size, block, n,
                    1.0, q, n, at(w, (long) from * n), n, 0.0, coefficients, size);
            double[] c = Lapack.toArray(coefficients, size * block);
            for (int j = 0; j < block; j++) {
                int col = from + j;
                for (int i = 0; i < size; i++) {
                    double value = c[i + j * size];
                    if (i >= from) {
                        if (i - from > j) continue;
                        value = (value + c[col + (i - from) * size]) / 2;
                    }
                    h[i * maxBasis + col] = value;
                    h[col * maxBasis + i] = value;
                }
            }
        }

        /** The eigen-decomposition of H, theta descending. */
        void ritz() {
            double[] hs = new double[size * size];
            for (int i = 0; i < size; i++) System.arraycopy(h, i * maxBasis, hs, i * size, size);
            Lapack.Eigen e = Lapack.symmetricEigen(hs, size);
            theta = new double[size];
            y = new double[size * size];
            for (int j = 0; j < size; j++) {
                int src = size - 1 - j;
                theta[j] = e.values()[src];
                for (int i = 0; i < size; i++) y[i + j * size] = e.vector(i, src);
            }
        }

        /**
         * The largest ratio ||W y_i - theta_i Q y_i|| / (RESIDUAL_TOLERANCE theta_i + ROUNDING
         * theta_0) over i &lt; count: the pairs have converged when it is at most 1. Infinite while
         * the basis holds fewer than count vectors, NaN when a residual is.
         */
        double worstResidual(int count) {
            if (size < count) return Double.POSITIVE_INFINITY;
            double[] leading = Arrays.copyOf(y, size * count);
            DoublePointer ys = new DoublePointer(leading);
            for (int j = 0; j < count; j++) {
                for (int i = 0; i < size; i++) leading[i + j * size] *= -theta[j];
            }
            DoublePointer scaled = new DoublePointer(leading);
            DoublePointer residuals = new DoublePointer((long) n * count);
            multiplyBasis(w, ys, count, 0.0, residuals);
            multiplyBasis(q, scaled, count, 1.0, residuals);
            double[] r = Lapack.toArray(residuals, n * count);
            ys.close();
            scaled.close();
            residuals.close();
            double worst = 0;
            for (int j = 0; j < count; j++) {
                double squares = 0;
                for (int i = j * n; i < (j + 1) * n; i++) squares += r[i] * r[i];
                double ratio = Math.sqrt(squares) / (RESIDUAL_TOLERANCE * theta[j] + ROUNDING * theta[0]);
                worst = Math.max(worst, ratio);
            }
            return worst;
        }

        /** out {@code [n, cols]} = basis[:, 0:size] ys {@code [size, cols]} + beta out. */
        void multiplyBasis(DoublePointer basis, DoublePointer ys, int cols, double beta, DoublePointer out) {
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, cols, size,
                    1.0, basis, n, ys, size, beta, out, n);
        }

        /**
         * Orthogonalises {@code next} against Q[:, 0:size] twice and replaces it by an orthonormal
         * basis of its columns (Householder QR); a column that has (nearly) vanished, because the
         * Krylov space became invariant, is replaced by a random one and the block redone.
         * "Nearly": below 1e-10 times the longest column before orthogonalisation. False when
         * three rounds of random columns did not help (with fewer than n - block vectors in Q that
         * has probability 0).
         */
        boolean orthonormaliseNext() {
            for (int attempt = 0; ; attempt++) {
                double scale = longestColumn();
                for (int pass = 0; pass < 2 && size > 0; pass++) {
                    openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasTrans, openblas.CblasNoTrans, size,
                            block, n, 1.0, q, n, next, n, 0.0, coefficients, size);
                    openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n,
                            block, size, -1.0, q, n, coefficients, size, 1.0, next, n);
                }
                copy(next, scratch, n * block);
                DoublePointer reflectors = new DoublePointer(block);
                openblas.LAPACKE_dgeqrf(openblas.LAPACK_COL_MAJOR, n, block, scratch, n, reflectors);
                boolean deficient = false;
                for (int j = 0; j < block; j++) {
                    if (!(Math.abs(scratch.get(j + (long) j * n)) > 1e-10 * scale)) {
                        deficient = true;
                        fillRandom(j, 1);
                    }
                }
                if (!deficient) {
                    openblas.LAPACKE_dorgqr(openblas.LAPACK_COL_MAJOR, n, block, block, scratch, n, reflectors);
                    copy(scratch, next, n * block);
                    reflectors.close();
                    return true;
                }
                reflectors.close();
                if (attempt == 3) return false;
            }
        }

        /** Q[:, size:size+block] = next. */
        void append() {
            copy(next, at(q, (long) size * n), n * block);
            size += block;
        }

        /** Thick restart: Q and W keep their {@code keep} leading Ritz directions; H becomes diag(theta). */
        void restart(int keep) {
            DoublePointer ys = new DoublePointer(Arrays.copyOf(y, size * keep));
            DoublePointer kept = new DoublePointer((long) n * keep);
            for (DoublePointer m : new DoublePointer[] {q, w}) {
                multiplyBasis(m, ys, keep, 0.0, kept);
                copy(kept, m, n * keep);
            }
            ys.close();
            kept.close();
            Arrays.fill(h, 0);
            for (int i = 0; i < keep; i++) h[i * maxBasis + i] = theta[i];
            size = keep;
        }

        /**
         * X = L^-T Q Y[:, 0:count], refined by Rayleigh-Ritz of (A, B) on span X, certified against
         * A and B. A X is formed as L (L^T X) - tau B X = L Q Y - tau B X, so A is not kept.
         */
        Optional<Certified> certifiedRitzVectors(int count, double normA, double normB) {
            DoublePointer ys = new DoublePointer(Arrays.copyOf(y, size * count));
            DoublePointer ax = new DoublePointer((long) n * count);
            multiplyBasis(q, ys, count, 0.0, ax);
            DoublePointer x = new DoublePointer((long) n * count);
            copy(ax, x, n * count);
            triangularSolve(openblas.CblasTrans, x, count);
            DoublePointer bx = new DoublePointer((long) n * count);
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, count, n,
                    1.0, bMat, n, x, n, 0.0, bx, n);
            openblas.cblas_dtrmm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower, openblas.CblasNoTrans,
                    openblas.CblasNonUnit, n, count, 1.0, factor, n, ax, n);
            openblas.cblas_daxpy(n * count, -tau, bx, 1, ax, 1);
            Lapack.Eigen small = Lapack.generalizedSymmetricEigen(crossProduct(x, ax, count), crossProduct(x, bx, count),
                    count);
            DoublePointer z = new DoublePointer(count * count);
            for (int r = 0; r < count; r++) {
                for (int p = 0; p < count; p++) z.put(p + (long) r * count, small.vector(p, r));
            }
            double[] vectors = times(x, z, count);
            double[] av = times(ax, z, count);
            double[] bv = times(bx, z, count);
            double[] mu = small.values();
            for (int j = 0; j < count; j++) {
                double residual = 0;
                double length = 0;
                for (int i = j * n; i < (j + 1) * n; i++) {
                    double r = av[i] - mu[j] * bv[i];
                    residual += r * r;
                    length += vectors[i] * vectors[i];
                }
                double bound = CERTIFIED_RESIDUAL * (normA + Math.abs(mu[j]) * normB) * Math.sqrt(length);
                if (!(Math.sqrt(residual) <= bound)) return Optional.empty();
            }
            return Optional.of(new Certified(new Lapack.EigenSubset(mu, Lapack.rowMajor(vectors, n, count), n, count), bv));
        }

        double longestColumn() {
            double[] values = Lapack.toArray(next, n * block);
            double longest = 0;
            for (int j = 0; j < block; j++) {
                double squares = 0;
                for (int i = j * n; i < (j + 1) * n; i++) squares += values[i] * values[i];
                longest = Math.max(longest, squares);
            }
            return Math.sqrt(longest);
        }

        /** Fills columns {@code from} to {@code from + columns} of {@code next} with uniform noise in [-0.5, 0.5). */
        void fillRandom(int from, int columns) {
            double[] values = new double[n * columns];
            for (int i = 0; i < values.length; i++) values[i] = random.nextDouble() - 0.5;
            at(next, (long) from * n).put(values);
        }

        /** X^T Y for the column-major {@code [n, k]} X and Y, symmetrised: {@code [k * k]}. */
        double[] crossProduct(DoublePointer x, DoublePointer y, int k) {
            double[] out = product(openblas.CblasTrans, k, k, n, x, y);
            for (int p = 0; p < k; p++) {
                for (int r = p + 1; r < k; r++) {
                    double mean = (out[p * k + r] + out[r * k + p]) / 2;
                    out[p * k + r] = mean;
                    out[r * k + p] = mean;
                }
            }
            return out;
        }

        /** X Z for the column-major {@code [n, k]} X and {@code [k, k]} Z, as a column-major array. */
        double[] times(DoublePointer x, DoublePointer z, int k) {
            return product(openblas.CblasNoTrans, n, k, k, x, z);
        }

        /**
         * op(X) Y {@code [rows, cols]} as a column-major array, op(X) = X or X^T ({@code transposeX}):
         * X column-major with n rows, Y column-major {@code [inner, cols]}.
         */
        private double[] product(int transposeX, int rows, int cols, int inner, DoublePointer x, DoublePointer y) {
            DoublePointer out = new DoublePointer((long) rows * cols);
            openblas.cblas_dgemm(openblas.CblasColMajor, transposeX, openblas.CblasNoTrans, rows, cols, inner,
                    1.0, x, n, y, inner, 0.0, out, rows);
            double[] values = Lapack.toArray(out, rows * cols);
            out.close();
            return values;
        }
    }

    /** dst[0:length] = src[0:length]. */
    private static void copy(DoublePointer src, DoublePointer dst, int length) {
        openblas.cblas_dcopy(length, src, 1, dst, 1);
    }

    private static DoublePointer at(DoublePointer p, long offset) {
        return new DoublePointer(p).position(p.position() + offset);
    }

    private static double trace(double[] m, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) t += m[i * n + i];
        return t;
    }

    private static double frobenius(double[] m) {
        double s = 0;
        for (double v : m) s += v * v;
        return Math.sqrt(s);
    }
}
