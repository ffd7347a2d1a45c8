package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An exact LASSO solver for every row x of X {@code [n, d]} against a fixed dictionary D
 * {@code [K, d]} (rows are atoms), the same problem as {@link Fista}:
 *
 * <pre>
 *   P(a) = 1/2 ||x - a D||^2 + lambda ||a||_1   -&gt; min over a      (optionally subject to a &gt;= 0)
 * </pre>
 *
 * <p>It exploits the sparsity of the solution. The correlations C = X D^T {@code [n, K]} are one
 * ND4J matrix product per block of rows and the Gram matrix G = D D^T {@code [K, K]} is computed
 * once per dictionary; everything else works on one row at a time in plain Java, with the
 * residual correlations q = c - a G (q_k = D_k . r, r = x - a D):
 *
 * <ol>
 * <li><b>Coordinate descent</b> with covariance updates (Friedman, Hastie and Tibshirani,
 *     "Regularization paths for generalized linear models via coordinate descent", J. Statistical
 *     Software 2010): a_j &lt;- S(a_j G_jj + q_j, lambda) / G_jj, with S the soft threshold (or
 *     max(v - lambda, 0) under non-negativity), then q &lt;- q - (change of a_j) G_j. The cyclic
 *     passes run only over a small <b>working set</b> W of atoms, with the Gram block G_WW, so a
 *     pass costs about |W|^2 instead of K^2.</li>
 * <li><b>Duality gap.</b> The Fenchel dual of the LASSO is D(theta) = 1/2 ||x||^2 - 1/2
 *     ||x - theta||^2 subject to |D_k . theta| &lt;= lambda (D_k . theta &lt;= lambda under
 *     non-negativity). The residual rescaled to dual feasibility, theta = r / max(1, max_k
 *     |q_k| / lambda), gives the gap P(a) - D(theta) &gt;= P(a) - P*, computed from scalars:
 *     ||r||^2 = ||x||^2 - a.c - a.q and x.r = ||x||^2 - a.c (Fercoq, Gramfort and Salmon, "Mind
 *     the duality gap: safer rules for the lasso", ICML 2015; Massias, Gramfort and Salmon,
 *     "Celer: a fast solver for the lasso with dual extrapolation", ICML 2018). A row stops when
 *     its gap is at most {@code tolerance} times P(a): its objective is then within that relative
 *     distance of the optimum, and no inactive atom violates the optimality condition
 *     |q_k| &lt;= lambda by more than the gap allows.</li>
 * <li><b>The working set</b> (as in Celer): W starts as the {@link #FIRST_WORKING_SET}
 *     atoms that violate |q_k| &lt;= lambda most at a = 0; coordinate descent runs on W until the
 *     gap of the problem restricted to W is below the tolerance or below {@link #INNER_FRACTION}
 *     times the last full gap; then comes a <b>full check</b>: q is recomputed for all K atoms
 *     (one Gram row per non-zero code) and, unless the full gap is small enough, W is rebuilt
 *     from the atoms with non-zero codes plus as many of the largest violators among the
 *     others (at least {@link #FIRST_WORKING_SET}). W thus stays about twice the size of the
 *     support, however many atoms violate the conditions at the start. The full check sums
 *     the Gram rows in float32, a loop the JIT compiler vectorises, and uses that sum only to
 *     screen: a bound on its rounding error ({@link #roundingBound}) names the few atoms whose
 *     exact value can matter (the largest outside W, and the possible violators), and only
 *     those, and the atoms of W, are recomputed in float64, term by term in the order a float64
 *     scan of all K atoms takes. Every decision, and so every code, is the same to the bit as
 *     with that scan.</li>
 * <li><b>Feature-sign steps</b> (Lee, Battle, Raina and Ng, "Efficient sparse coding
 *     algorithms", NIPS 2007): once a pass leaves the support and its signs unchanged, the
 *     code jumps to the exact minimiser for that support and those signs (one small Cholesky
 *     solve), or as far towards it as signs allow. Cyclic coordinate descent alone needs hundreds
 *     of passes on rows whose atoms are coherent; with these steps the 1,024 whitened patches of
 *     the benchmark need at most 40 passes at tolerance 1e-4 instead of 1,000, and a tolerance of
 *     1e-9 costs no more passes than 1e-4 (docs/performance.md).</li>
 * </ol>
 *
 * <p>Rows are independent: blocks of rows are split over the common fork-join pool, and each row's
 * result depends only on that row and its correlations c, never on the thread or on the other
 * rows' values. (c comes from one float32 product per block, whose rounding OpenBLAS may change
 * with the number of rows in the block.) An instance is immutable and may be shared between
 * threads.
 */
final class WorkingSetLasso {
    /** Atoms in the first working set of a row. */
    static final int FIRST_WORKING_SET = 16;
    /** Rows and columns of a tile of the Gram matrix's transposed copy ({@link #symmetricRows}): 64 x 64 floats, 16 KB. */
    private static final int TRANSPOSE_TILE = 64;
    /**
     * Coordinate descent on W stops when the gap restricted to W is below the tolerance times the
     * objective, or below this fraction of the last full gap (which matters only for tiny
     * tolerances: W can then grow before it is solved to the end). Celer uses 0.3; here a full
     * check costs K per non-zero code, as much as tens of passes over a small W, so W is solved
     * much further before the next check.
     */
    static final double INNER_FRACTION = 1e-3;
    /** Rows solved by one task of the fork-join pool. */
    private static final int TASK_ROWS = 32;

    private final INDArray dictionary;
    /**
     * G = D D^T {@code [K][K]}, one Java array per row: the full check's loop over a row then
     * indexes both arrays from 0, which the JIT compiler turns into vector instructions (with a
     * row offset into one [K * K] array it cannot rule out that the row overlaps q, and the loop
     * stays scalar, several times slower).
     */
    private final float[][] gram;
    /** ||d_k|| = sqrt(G_kk) {@code [K]}, for the rounding bound of the full check. */
    private final double[] norms;
    /** max_k ||d_k||. */
    private final double largestNorm;
    private final double lambda;
    /**
     * The bit pattern of the largest float &lt;= lambda: a key (the bit pattern of a non-negative
     * float) is above it exactly when its float is above lambda.
     */
    private final int lambdaKey;
    private final boolean nonNegative;
    private final int maxPasses;
    private final double tolerance;
    private final int atoms;
    private final int dim;

    /**
     * Binds the solver to {@code dictionary}: computes G = D D^T (2 K^2 d flops, once).
     *
     * @param dictionary {@code [K, d]} float32, rows are atoms (any norms; zero atoms get zero
     *                   codes); not modified and not copied, so the caller must not change it
     * @param lambda the L1 weight, finite and &gt; 0 (the duality gap needs lambda &gt; 0; use
     *               {@link Fista} for lambda = 0)
     * @param nonNegative whether codes are constrained to a &gt;= 0
     * @param maxPasses at most this many coordinate-descent passes over the working set per row,
     *                  in all, &gt;= 1
     * @param tolerance per-row stopping threshold on the duality gap relative to the objective,
     *                  finite and &gt;= 0 (0 runs every row for {@code maxPasses} passes unless its
     *                  gap reaches exactly 0)
     */
    WorkingSetLasso(INDArray dictionary, double lambda, boolean nonNegative, int maxPasses, double tolerance) {
        Shapes.require("LASSO dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("lambda", lambda, "a finite value > 0");
        }
        if (maxPasses < 1) {
            throw new InvalidParameterException("iterations", maxPasses, "at least 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new InvalidParameterException("tolerance", tolerance, "a finite value >= 0");
        }
        if (dictionary.size(0) > Shapes.MAX_SQUARE_SIDE) {
            throw new InvalidParameterException("atoms", dictionary.size(0), "at most " + Shapes.MAX_SQUARE_SIDE
                    + " (the Gram matrix is one Java array)");
        }
        this.dictionary = dictionary;
        this.atoms = (int) dictionary.size(0);
        this.dim = (int) dictionary.size(1);
        this.lambda = lambda;
        this.lambdaKey = largestKeyAtMost(lambda);
        this.nonNegative = nonNegative;
        this.maxPasses = maxPasses;
        this.tolerance = tolerance;
        this.gram = atoms == 0 ? new float[0][]
                : symmetricRows(NativeRows.of(Nd4j.gemm(dictionary, dictionary, false, true)));
        this.norms = new double[atoms];
        for (int k = 0; k < atoms; k++) {
            // G_kk = ||d_k||^2 is NaN or infinite exactly when atom k holds a NaN or an infinity
            // (or overflows float32): one check per atom instead of one more ND4J reduction, whose
            // call costs as much as the Gram product at the sizes of a mini-batch step
            if (!Float.isFinite(gram[k][k])) {
                throw new GlassboxException("LASSO dictionary: expected finite values but found NaN or infinity");
            }
            norms[k] = Math.sqrt(gram[k][k]);
        }
        this.largestNorm = Arrays.stream(norms).max().orElse(0);
    }

    /**
     * The bit pattern of the largest float &lt;= {@code value} (&gt;= 0): the bit pattern of a
     * non-negative float exceeds it exactly when the float exceeds {@code value}, since such
     * patterns are ordered like the floats.
     */
    static int largestKeyAtMost(double value) {
        float nearest = (float) value;
        return Float.floatToRawIntBits(nearest > value ? Math.nextDown(nearest) : nearest);
    }

    /**
     * q &lt;- q - a g in float32, element by element (both arrays of the same length, indexed from
     * 0, so that the JIT compiler vectorises the loop).
     */
    static void subtractRow(float[] q, float a, float[] g) {
        for (int k = 0; k < q.length; k++) q[k] -= a * g[k];
    }

    /**
     * q &lt;- q - a_0 g_0 - a_1 g_1 - ... - a_(m-1) g_(m-1) in float32, each a_s rounded to float32
     * first, for m = {@code count}: the same operations in the same order as m calls of
     * {@link #subtractRow} (Java rounds every product and every difference, and never contracts
     * them into fused multiply-adds), so the same q to the bit, but four rows per pass over q, so
     * that q is loaded and stored a quarter as often. The full check of 1,024 rows takes 0.8-1.4 ms
     * against one row per pass's 1.05-1.8 ms at K = 1,024 and 20-24 ms against 30-39 ms at K =
     * 4,096, where the Gram rows come from main memory ({@code bench/.../FullCheckTimes}).
     *
     * @param q the values to update {@code [K]}
     * @param codes a_s {@code [>= count]}
     * @param rows g_s {@code [>= count][>= K]}
     * @param count m
     */
    static void subtractRows(float[] q, double[] codes, float[][] rows, int count) {
        int s = 0;
        for (; s + 4 <= count; s += 4) {
            float a0 = (float) codes[s];
            float a1 = (float) codes[s + 1];
            float a2 = (float) codes[s + 2];
            float a3 = (float) codes[s + 3];
            float[] g0 = rows[s];
            float[] g1 = rows[s + 1];
            float[] g2 = rows[s + 2];
            float[] g3 = rows[s + 3];
            for (int k = 0; k < q.length; k++) q[k] = q[k] - a0 * g0[k] - a1 * g1[k] - a2 * g2[k] - a3 * g3[k];
        }
        for (; s < count; s++) subtractRow(q, (float) codes[s], rows[s]);
    }

    /**
     * A bound on |q~_k - q_k| for an atom of norm {@code atomNorm}, where q_k = c_k - sum_s a_s
     * G_sk exactly and q~_k is computed from c_k by {@link #subtractRow} over the m = {@code terms}
     * non-zero codes, each rounded to float32 first:
     *
     * <pre>
     *   |q~_k - q_k| &lt;= 2 gamma_(m+2) ||d_k|| (||x|| + sum_s |a_s| ||d_s||) + (2m + 1) 2^-149,
     *   gamma_n = n u / (1 - n u),   u = 2^-24.
     * </pre>
     *
     * A recursive sum of m + 1 terms, each product rounded, errs by at most gamma_(m+1) times the sum
     * of the terms' magnitudes (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
     * SIAM 2002, section 3.1); rounding a_s to float32 adds u |a_s G_sk|, and together both stay
     * below gamma_(m+2). The magnitudes are bounded by Cauchy-Schwarz, |c_k| &lt;= ||d_k|| ||x|| and
     * |G_sk| &lt;= ||d_s|| ||d_k||, which hold for the float32 products c and G only up to their own
     * rounding (a factor 1 + d u, with ||d_k|| = sqrt(G_kk) itself rounded): the factor 2 covers
     * both for any d below 2^22. The last term covers gradual underflow (at most 2^-150 for each of
     * the 2m operations).
     *
     * @param terms m, the non-zero codes
     * @param xNorm ||x||
     * @param weightedL1 sum_s |a_s| ||d_s||
     * @param atomNorm ||d_k||
     */
    static double roundingBound(int terms, double xNorm, double weightedL1, double atomNorm) {
        double nu = (terms + 2) * 0x1p-24;
        return 2 * nu / (1 - nu) * atomNorm * (xNorm + weightedL1) + (2 * terms + 1) * (double) Float.MIN_VALUE;
    }

    /**
     * The rows of {@code g} ({@code [K, K]} row-major) with the upper triangle taken from the lower
     * one: a float32 product D D^T can differ from its transpose in the last bits (the two
     * triangles are summed in different orders), and the feature-sign step's Cholesky
     * factorisation reads one triangle while coordinate descent reads rows, which must be the
     * same matrix. Each row is copied straight from g's native memory; its upper triangle is
     * then overwritten from the lower triangles of the others, in tiles of
     * {@link #TRANSPOSE_TILE} x {@link #TRANSPOSE_TILE}, so that the rows a tile reads stay in the
     * cache while the tile is written (reading whole columns takes twice as long at K = 4,096).
     *
     * @param g the Gram matrix {@code [K, K]}
     * @return its rows, symmetric {@code [K][K]}
     */
    static float[][] symmetricRows(NativeRows g) {
        int k = g.rows;
        float[][] rows = new float[k][];
        for (int i = 0; i < k; i++) {
            rows[i] = new float[k];
            g.get(i, rows[i], 0);
        }
        for (int i0 = 0; i0 < k; i0 += TRANSPOSE_TILE) {
            int i1 = Math.min(k, i0 + TRANSPOSE_TILE);
            for (int j0 = i0; j0 < k; j0 += TRANSPOSE_TILE) {
                int j1 = Math.min(k, j0 + TRANSPOSE_TILE);
                for (int i = i0; i < i1; i++) {
                    float[] row = rows[i];
                    for (int j = Math.max(j0, i + 1); j < j1; j++) row[j] = rows[j][i];
                }
            }
        }
        return rows;
    }

    /** Floating-point operations of the Gram matrix D D^T, spent once in the constructor (2 per multiply-add). */
    long gramFlops() {
        return 2L * atoms * atoms * dim;
    }

    /** Codes {@code [n, K]} of {@code x} {@code [n, d]}. */
    INDArray encode(INDArray x) {
        return solve(x).codes();
    }

    /**
     * Solves every row of {@code x} {@code [n, d]} from a = 0.
     */
    Result solve(INDArray x) {
        Shapes.require("LASSO input", x, Shapes.ANY, dim);
        int n = (int) x.size(0);
        float[] codes = new float[n * atoms];
        int[] passes = new int[n];
        double[] gaps = new double[n];
        long[] rowFlops = new long[n];
        NativeRows xNative = NativeRows.of(x);
        INDArray xs = xNative.array;
        float[] xRows = xNative.values();
        long flops = 0;
        for (int r0 = 0; r0 < n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + Fista.BLOCK_ROWS);
            int first = r0;
            NativeRows corr = NativeRows.uninitialized(r1 - r0, atoms);
            Nd4j.gemm(xs.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()), dictionary, corr.array,
                    false, true, 1.0, 0.0);
            flops += 2L * (r1 - r0) * atoms * dim;
            float[] c = new float[(r1 - r0) * atoms];
            corr.getAll(c);
            int tasks = (r1 - r0 + TASK_ROWS - 1) / TASK_ROWS;
            IntStream.range(0, tasks).parallel().forEach(task -> {
                RowSolver solver = new RowSolver();
                int end = Math.min(r1, first + (task + 1) * TASK_ROWS);
                for (int i = first + task * TASK_ROWS; i < end; i++) {
                    double xx = 0;
                    for (int j = i * dim; j < (i + 1) * dim; j++) xx += (double) xRows[j] * xRows[j];
                    solver.solve(c, (i - first) * atoms, xx, codes, i * atoms);
                    passes[i] = solver.passes;
                    gaps[i] = solver.relativeGap;
                    rowFlops[i] = solver.flops;
                }
            });
        }
        int mostPasses = 0;
        double largestGap = 0;
        for (int i = 0; i < n; i++) {
            mostPasses = Math.max(mostPasses, passes[i]);
            largestGap = Math.max(largestGap, gaps[i]);
            flops += rowFlops[i];
        }
        // one bulk copy: Nd4j.create(float[], ...) copies element by element
        NativeRows out = NativeRows.uninitialized(n, atoms);
        out.putRows(0, n, codes);
        return new Result(out.array, mostPasses, largestGap, flops);
    }

    /**
     * @param codes {@code [n, K]} float32
     * @param passes the largest number of coordinate-descent passes any row took
     * @param largestGap the largest duality gap over the rows, each relative to its objective
     *                   P(a) (0 for a row whose objective is 0)
     * @param flops floating-point operations spent (2 per multiply-add): the product X D^T, and per
     *              row the Gram-row work, that is |W| per coordinate update that changed a code,
     *              K + |W| per non-zero code at each full check (q~ on all atoms, q exactly on W),
     *              the non-zero codes once more for each atom recomputed exactly outside W and
     *              for each atom that joins W, and each feature-sign step's Cholesky solve
     *              (|S|^3 / 3 + |S|^2 multiply-adds); not the Gram matrix itself
     *              ({@link #gramFlops}) nor the O(|W|) scalar work of the gap
     */
    record Result(INDArray codes, int passes, double largestGap, long flops) {
    }

    /** The working-set solve of one row at a time, with scratch arrays reused from row to row. */
    private final class RowSolver {
        /**
         * q~ = c - a G over all K atoms in float32 {@code [K]}, zero on W (whose correlations are
         * {@link #qW}, exact): the full check's screening values, within {@link #slack} of q.
         */
        private final float[] qApprox = new float[atoms];
        /** The rounding bound of {@link #qApprox} at the last full check, for the largest atom norm. */
        private double slack;
        private final int[] w = new int[atoms];
        private final boolean[] inW = new boolean[atoms];
        private final double[] aW = new double[atoms];
        private final double[] qW = new double[atoms];
        private final double[] cW = new double[atoms];
        private final LargestKeys violators = new LargestKeys(atoms);
        /** The first working set's violators as (~key, k) packed into longs, sorted {@code [<= FIRST_WORKING_SET]}. */
        private final long[] firstOrder = new long[FIRST_WORKING_SET];
        /** G_WW {@code [|W|][|W|]} (rows and columns in the order of {@link #w}), in float64. */
        private double[][] gramW = new double[FIRST_WORKING_SET][FIRST_WORKING_SET];
        /** Positions in W of the non-zero codes, for the feature-sign step. */
        private final int[] support = new int[atoms];
        /**
         * The feature-sign step's right-hand side, then its solution z; or, after a failed
         * factorisation, the null direction v of {@link #dropDependentAtom}.
         */
        private final double[] step = new double[atoms];
        /** The codes and correlations of W before a feature-sign step, restored if it does not lower the objective. */
        private final double[] savedA = new double[atoms];
        private final double[] savedQ = new double[atoms];
        /** The Cholesky factor of G_SS, {@code [|S|, |S|]} row-major, lower triangle. */
        private double[] cholesky = new double[FIRST_WORKING_SET * FIRST_WORKING_SET];
        private int size;
        /**
         * The non-zero codes at the last full check, in the order of W {@code [m]}: their values
         * and their Gram rows, for {@link #exactCorrelation}.
         */
        private final double[] supportCodes = new double[atoms];
        private final float[][] supportRows = new float[atoms][];
        private int supportSize;
        private double primal;
        int passes;
        double relativeGap;
        long flops;

        /**
         * Solves the row whose correlations are {@code c[cOff .. cOff + K)} and whose squared norm
         * is {@code xx}, writing its code to {@code out[outOff .. outOff + K)} (zero beforehand).
         */
        void solve(float[] c, int cOff, double xx, float[] out, int outOff) {
            passes = 0;
            flops = 0;
            double gap = gap(xx, firstWorkingSet(c, cOff));
            while (unfinished(gap)) {
                descend(xx, Math.max(tolerance * primal, INNER_FRACTION * gap));
                gap = gap(xx, fullCorrelations(c, cOff, xx));
                if (unfinished(gap)) {
                    rebuildWorkingSet(c, cOff);
                }
            }
            relativeGap = primal > 0 ? Math.max(gap, 0) / primal : 0;
            for (int s = 0; s < size; s++) {
                out[outOff + w[s]] = (float) aW[s];
                inW[w[s]] = false;
                aW[s] = 0;
            }
        }

        /** Whether a row with this gap needs more passes: the gap is above the tolerance and passes are left. */
        private boolean unfinished(double gap) {
            return !(gap <= tolerance * primal) && passes < maxPasses;
        }

        /**
         * W at a = 0, where q = c exactly: the at most {@link #FIRST_WORKING_SET} atoms of largest
         * |c_k| (c_k under non-negativity) that violate |c_k| &lt;= lambda, ties to the lower index,
         * ordered by decreasing violation, so that the first pass starts with the atom that
         * matching pursuit would take. One scan over the keys of {@link TopKSelection#key}: only
         * the violators (keys above {@link #lambdaKey}) are inserted into {@link #firstOrder},
         * kept sorted, the smallest dropped once it holds 16, after which a key must exceed the
         * smallest kept one (a later index loses a tie). Returns max_k |c_k| (max_k c_k, at least
         * 0, under non-negativity) over all K atoms, for the duality gap at a = 0.
         */
        private double firstWorkingSet(float[] c, int cOff) {
            size = 0;
            int limit = Math.min(atoms, FIRST_WORKING_SET);
            int top = 0;
            int floor = lambdaKey;
            for (int k = 0; k < atoms; k++) {
                int key = TopKSelection.key(Float.floatToRawIntBits(c[cOff + k]), nonNegative);
                top = Math.max(top, key);
                // key > floor implies a float above lambda, except for NaN, whose key lies above
                // every finite one: the second test keeps a NaN correlation out
                if (key > floor && Float.intBitsToFloat(key) > lambda) {
                    // descending key, then ascending index, as the ascending order of these longs
                    long packed = ((long) ~key << 32) | k;
                    int at = size < limit ? size++ : limit - 1;
                    for (; at > 0 && firstOrder[at - 1] > packed; at--) firstOrder[at] = firstOrder[at - 1];
                    firstOrder[at] = packed;
                    if (size == limit) {
                        floor = ~(int) (firstOrder[limit - 1] >>> 32);
                    }
                }
            }
            for (int s = 0; s < size; s++) {
                int k = (int) firstOrder[s];
                w[s] = k;
                inW[k] = true;
                aW[s] = 0;
                cW[s] = c[cOff + k];
                qW[s] = cW[s];
            }
            gatherGram();
            return Float.intBitsToFloat(top);
        }

        /**
         * The full check: q~ = c - a G over all K atoms in float32 ({@link #subtractRows}, one Gram
         * row per non-zero code), and q exactly on W ({@link #exactCorrelation}, which also
         * resets the drift of the incremental updates). Returns max_k |q_k| (max_k q_k, at least 0, under
         * non-negativity) over the atoms outside W, exactly: q~ and its rounding bound
         * ({@link #roundingBound}) name the atoms that can hold it, and {@link #exactCorrelation}
         * recomputes those.
         */
        private double fullCorrelations(float[] c, int cOff, double xx) {
            System.arraycopy(c, cOff, qApprox, 0, atoms);
            int nonZeros = 0;
            double weightedL1 = 0;
            for (int s = 0; s < size; s++) {
                double a = aW[s];
                if (a != 0) {
                    supportCodes[nonZeros] = a;
                    supportRows[nonZeros] = gram[w[s]];
                    nonZeros++;
                    weightedL1 += Math.abs(a) * norms[w[s]];
                }
            }
            supportSize = nonZeros;
            subtractRows(qApprox, supportCodes, supportRows, nonZeros);
            flops += 2L * nonZeros * atoms;
            for (int t = 0; t < size; t++) {
                qW[t] = exactCorrelation(c, cOff, w[t]);
                qApprox[w[t]] = 0;
            }
            float approxTop = 0;
            for (int k = 0; k < atoms; k++) approxTop = Math.max(approxTop, nonNegative ? qApprox[k] : Math.abs(qApprox[k]));
            slack = roundingBound(nonZeros, Math.sqrt(xx), weightedL1, largestNorm);
            // the largest exact value outside W lies on an atom within 2 slack of the largest
            // approximate one (and only a positive one can exceed the 0 that top starts from):
            // only those atoms are recomputed
            double lowest = Math.max(approxTop - 2 * slack, -slack);
            double top = 0;
            for (int k = 0; k < atoms; k++) {
                if ((nonNegative ? qApprox[k] : Math.abs(qApprox[k])) >= lowest && !inW[k]) {
                    double q = exactCorrelation(c, cOff, k);
                    top = Math.max(top, nonNegative ? q : Math.abs(q));
                }
            }
            return top;
        }

        /**
         * q_k = c_k - sum_s a_s G_sk in float64 over the non-zero codes of the last full check, in
         * the order of W: the sum, term by term, of a float64 scan of all atoms.
         */
        private double exactCorrelation(float[] c, int cOff, int k) {
            double q = c[cOff + k];
            for (int j = 0; j < supportSize; j++) q -= supportCodes[j] * supportRows[j][k];
            flops += 2L * supportSize;
            return q;
        }

        /**
         * Rebuilds W as Celer does: the atoms with a non-zero code stay, then the largest violators
         * of |q_k| &lt;= lambda among the others join (as many as there are non-zero codes, at least
         * {@link #FIRST_WORKING_SET}; none when there are none, and then only more passes on W can
         * lower the gap), and G_WW is gathered when W changed.
         */
        private void rebuildWorkingSet(float[] c, int cOff) {
            int kept = 0;
            for (int s = 0; s < size; s++) {
                if (aW[s] != 0) {
                    w[kept] = w[s];
                    aW[kept] = aW[s];
                    qW[kept] = qW[s];
                    cW[kept] = cW[s];
                    kept++;
                } else {
                    inW[w[s]] = false;
                    qApprox[w[s]] = (float) qW[s];
                }
            }
            boolean pruned = kept < size;
            size = kept;
            violators.reset(Math.min(atoms - size, Math.max(FIRST_WORKING_SET, size)));
            int floor = violators.floor();
            // An atom can violate the condition only if its screening value plus the rounding
            // bound exceeds lambda, and be kept only if that upper bound on its excess (with a
            // margin for this double sum's own rounding) exceeds the heap's floor; then its exact
            // q_k decides, in the order of k, as a full float64 scan would.
            double threshold = lambda - slack;
            for (int k = 0; k < atoms; k++) {
                float v = nonNegative ? qApprox[k] : Math.abs(qApprox[k]);
                if (v > threshold && !inW[k]
                        && v - threshold + 0x1p-50 * (lambda + slack + v) > Float.intBitsToFloat(floor)) {
                    double q = exactCorrelation(c, cOff, k);
                    double excess = (nonNegative ? q : Math.abs(q)) - lambda;
                    if (excess > 0) {
                        int key = Float.floatToRawIntBits((float) excess);
                        if (key > floor) {
                            violators.offer(key, k);
                            floor = violators.floor();
                        }
                    }
                }
            }
            int added = violators.size();
            if (added == 0 && !pruned) {
                return;
            }
            for (int s = 0; s < added; s++) {
                int k = violators.index(s);
                w[size + s] = k;
                inW[k] = true;
                aW[size + s] = 0;
                cW[size + s] = c[cOff + k];
            }
            size += added;
            gatherGram();
            for (int t = kept; t < size; t++) qW[t] = exactCorrelation(c, cOff, w[t]);
        }

        /** G_WW from the Gram rows of W's atoms, in float64. */
        private void gatherGram() {
            if (gramW.length < size) {
                gramW = new double[size][size];
            }
            for (int s = 0; s < size; s++) {
                float[] row = gram[w[s]];
                double[] g = gramW[s];
                for (int t = 0; t < size; t++) g[t] = row[w[t]];
            }
        }

        /**
         * Cyclic coordinate-descent passes over W until the gap restricted to W is at most
         * {@code target}; after a pass that left the support and its signs unchanged, one
         * {@link #featureSignStep} on the support.
         */
        private void descend(double xx, double target) {
            boolean trySignStep = true;
            while (passes < maxPasses) {
                passes++;
                boolean supportChanged = pass();
                if (workingGap(xx) <= target) {
                    return;
                }
                trySignStep |= supportChanged;
                if (trySignStep && !supportChanged) {
                    trySignStep = featureSignStep(xx);
                    if (trySignStep && workingGap(xx) <= target) {
                        return;
                    }
                }
            }
        }

        /** One cyclic pass over W; whether a code became zero, non-zero or changed sign. */
        private boolean pass() {
            double th = lambda;
            boolean changed = false;
            for (int s = 0; s < size; s++) {
                double gss = gramW[s][s];
                if (!(gss > 0)) {
                    continue;
                }
                double old = aW[s];
                double z = old * gss + qW[s];
                double shrunk = z > th ? z - th : (!nonNegative && z < -th) ? z + th : 0;
                double delta = shrunk / gss - old;
                if (delta != 0) {
                    aW[s] = old + delta;
                    changed |= Math.signum(old) != Math.signum(aW[s]);
                    moveCorrelations(s, delta);
                }
            }
            return changed;
        }

        /** qW &lt;- qW - delta G_(w_s)W after code s of W changed by {@code delta}. */
        private void moveCorrelations(int s, double delta) {
            double[] g = gramW[s];
            for (int t = 0; t < size; t++) qW[t] -= delta * g[t];
            flops += 2L * size;
        }

        /**
         * The feature-sign step (Lee, Battle, Raina and Ng, "Efficient sparse coding algorithms",
         * NIPS 2007): on the support S of the code with its signs sigma fixed, the objective is the
         * quadratic 1/2 ||x - a_S D_S||^2 + lambda sigma . a_S, minimised by the solution z of
         *
         * <pre>
         *   G_SS z = c_S - lambda sigma          (G_SS by Cholesky, |S|^3 / 3 multiply-adds)
         * </pre>
         *
         * The code moves from a_S towards z, as far as the first code that would change sign (set
         * to exactly zero there): along that segment the objective is this convex quadratic, whose
         * minimum is at z, so the segment never raises it. When the signs of z agree with sigma the
         * code lands on z, the exact optimum for that support, which is where cyclic coordinate
         * descent converges slowly when atoms are coherent. When a code reached zero first, the
         * step solves again on the smaller support, segment after segment, until one lands on its
         * z (as Lee et al.'s algorithm does; each segment removes an atom, so there are at most
         * |S|): leaving that move to the next coordinate-descent pass, which can bring the
         * zeroed atom back, lets rows on large coherent supports creep towards the optimum for
         * thousands of passes. The step is kept only if the objective
         * (computed from the codes and correlations of W) went down, which rounding can prevent when
         * G_SS is ill-conditioned; false when no step was kept. When G_SS is singular to working
         * precision (more non-zeros than the atoms' span allows), {@link #dropDependentAtom}
         * first removes atoms from the support without raising the objective, until its Gram
         * block can be factored.
         */
        private boolean featureSignStep(double xx) {
            double before = workingObjective(xx);
            System.arraycopy(aW, 0, savedA, 0, size);
            System.arraycopy(qW, 0, savedQ, 0, size);
            while (moveTowardsSupportOptimum()) {
                // a code reached zero on the way: solve again on the smaller support
            }
            return restoreUnlessLower(xx, before);
        }

        /**
         * One segment of the feature-sign step: factors G_SS for the current support S (dropping
         * dependent atoms first) and moves the code towards z. Whether a code reached zero on the
         * way (the support shrank and z was not reached).
         */
        private boolean moveTowardsSupportOptimum() {
            int m;
            while (true) {
                m = 0;
                for (int s = 0; s < size; s++) {
                    if (aW[s] != 0) support[m++] = s;
                }
                if (m == 0) {
                    return false;
                }
                if (cholesky.length < m * m) {
                    cholesky = new double[m * m];
                }
                for (int i = 0; i < m; i++) {
                    double[] row = gramW[support[i]];
                    for (int j = 0; j <= i; j++) cholesky[i * m + j] = row[support[j]];
                    step[i] = cW[support[i]] - lambda * Math.signum(aW[support[i]]);
                }
                int factored = choleskyInPlace(m);
                flops += 2L * factored * factored * factored / 3 + 2L * m * factored;
                if (factored == m) {
                    break;
                }
                if (!dropDependentAtom(m, factored)) {
                    return false;
                }
            }
            double t = 1;
            int blocking = -1;
            for (int i = 0; i < m; i++) {
                double a = aW[support[i]];
                if (step[i] * a <= 0) {
                    double crossing = a / (a - step[i]);
                    if (crossing < t) {
                        t = crossing;
                        blocking = i;
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                int s = support[i];
                double next = i == blocking ? 0 : aW[s] + t * (step[i] - aW[s]);
                double delta = next - aW[s];
                if (delta != 0) {
                    aW[s] = next;
                    moveCorrelations(s, delta);
                }
            }
            return blocking >= 0;
        }

        /**
         * Whether the objective is now below {@code before}; if not, the codes and correlations of
         * W go back to those saved at the start of the feature-sign step.
         */
        private boolean restoreUnlessLower(double xx, double before) {
            if (workingObjective(xx) < before) {
                return true;
            }
            System.arraycopy(savedA, 0, aW, 0, size);
            System.arraycopy(savedQ, 0, qW, 0, size);
            return false;
        }

        /**
         * Shrinks a support whose Gram block is singular by one atom without raising the
         * objective. The factorisation stopped at support position j: with P the positions before
         * it and L_P its factor, atom j's column is (to working precision) a combination of P's,
         * so v with v_P = -G_PP^-1 G_Pj = -L_P^-T l_j (l_j the row of L computed for j) and v_j = 1
         * satisfies v^T G_SS v = G_jj - ||l_j||^2, about 0: the sum of v_s d_s is about zero, and
         * moving the codes to a + t v leaves the reconstruction where it is. Until a code changes
         * sign, the objective then changes by lambda t sigma . v only, so v is taken with
         * sigma . v &lt;= 0 and t up to the first code that reaches zero, which is set to exactly
         * zero. This is the argument by which a LASSO problem always has a solution with at most
         * d non-zeros (Tibshirani, "The lasso problem and uniqueness", Electronic Journal of
         * Statistics 7, 2013, section 2); here it lets the feature-sign step work on a support of
         * full rank when coordinate descent has grown one beyond it (more than d atoms on an
         * overcomplete dictionary at a small lambda). False when no code can reach zero, which
         * sigma . v &lt;= 0 rules out in exact arithmetic.
         */
        private boolean dropDependentAtom(int m, int j) {
            // y = L_P^-T l_j
            for (int i = 0; i < j; i++) step[i] = cholesky[j * m + i];
            SmallCholesky.backward(cholesky, j, m, step);
            double slope = Math.signum(aW[support[j]]);
            for (int i = 0; i < j; i++) {
                step[i] = -step[i];
                slope += Math.signum(aW[support[i]]) * step[i];
            }
            step[j] = 1;
            double direction = slope > 0 ? -1 : 1;
            double t = Double.POSITIVE_INFINITY;
            int blocking = -1;
            for (int i = 0; i <= j; i++) {
                double a = aW[support[i]];
                double v = direction * step[i];
                if (a * v < 0 && -a / v < t) {
                    t = -a / v;
                    blocking = i;
                }
            }
            if (blocking < 0) {
                return false;
            }
            for (int i = 0; i <= j; i++) {
                int s = support[i];
                double next = i == blocking ? 0 : aW[s] + t * direction * step[i];
                double delta = next - aW[s];
                if (delta != 0) {
                    aW[s] = next;
                    moveCorrelations(s, delta);
                }
            }
            flops += 2L * j * j;
            return true;
        }

        /** P(a) = 1/2 ||x||^2 - 1/2 a.c - 1/2 a.q + lambda ||a||_1 from the codes and correlations of W. */
        private double workingObjective(double xx) {
            double value = 0.5 * xx;
            for (int s = 0; s < size; s++) {
                double a = aW[s];
                if (a != 0) value += a * (lambda * Math.signum(a) - 0.5 * (cW[s] + qW[s]));
            }
            return value;
        }

        /**
         * Factors G_SS in {@code cholesky} ({@code [m, m]}, lower triangle) as L L^T in place
         * ({@link SmallCholesky#factor}) and solves L L^T z = {@code step}, leaving z in
         * {@code step}, and returns m; or, when the pivot of position j is not positive (G_SS
         * singular to working precision), stops there and returns j, with L's first j columns,
         * row j's included, in place.
         */
        private int choleskyInPlace(int m) {
            int factored = SmallCholesky.factor(cholesky, m);
            if (factored == m) {
                SmallCholesky.forward(cholesky, m, m, step);
                SmallCholesky.backward(cholesky, m, m, step);
            }
            return factored;
        }

        /** The duality gap of the problem restricted to W (dual scaling from the atoms of W only). */
        private double workingGap(double xx) {
            return gap(xx, 0);
        }

        /**
         * The duality gap from the codes and correlations of W, with the dual scaling from the
         * largest |q_k| on W and {@code outside}, the largest over the other atoms (0 for the
         * problem restricted to W).
         */
        private double gap(double xx, double outside) {
            double ac = 0;
            double aq = 0;
            double l1 = 0;
            double top = outside;
            for (int s = 0; s < size; s++) {
                double a = aW[s];
                double qs = qW[s];
                ac += a * cW[s];
                aq += a * qs;
                l1 += Math.abs(a);
                top = Math.max(top, nonNegative ? qs : Math.abs(qs));
            }
            return gapOf(xx, ac, aq, l1, top);
        }

        /**
         * P(a) - D(theta) with theta = r / s, s = max(1, top / lambda), from ||x||^2, a.c, a.q and
         * ||a||_1; stores P(a) in {@link #primal}.
         */
        private double gapOf(double xx, double ac, double aq, double l1, double top) {
            double rr = Math.max(xx - ac - aq, 0);
            primal = 0.5 * rr + lambda * l1;
            double s = Math.max(1, top / lambda);
            double dual = (xx - ac) / s - rr / (2 * s * s);
            return primal - dual;
        }
    }
}
