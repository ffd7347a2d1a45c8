package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * once per dictionary; the solve of each row works on the residual correlations q = c - a G (q_k
 * = D_k . r, r = x - a D), in plain Java on a small working set and with one matrix product per
 * round for all rows:
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
 *     times the last full gap; then the row's full gap is checked and, unless it is small enough,
 *     W is rebuilt from the atoms with non-zero codes plus as many of the largest violators among
 *     the others (at least {@link #FIRST_WORKING_SET}). W thus stays about twice the size of the
 *     support, however many atoms violate the conditions at the start.</li>
 * <li><b>Screening by matrix product.</b> The full check needs q over all K atoms. Rows are solved
 *     in rounds: one round checks every active row and then runs coordinate descent on its new
 *     W; between rounds, one float32 product Q~ = R D^T {@code [m, K]} gives the screening
 *     correlations of the m rows still active from their residuals R = X - A D (2 d K flops per
 *     row at the machine's matrix-product rate, instead of K scalar multiply-adds per non-zero
 *     code). Q~ only screens: with a rounding-error bound e on |q~_k - q_k|
 *     ({@link RowSolver#screeningError}), the atoms whose exact q_k can matter (a violation of
 *     |q_k| &lt;= lambda that may be among the largest, or the largest |q_k|) are those with
 *     |q~_k| above a threshold lowered by 2 e, and their exact q_k = c_k - a G_k are computed in
 *     double precision. Every decision (the gap, the atoms that join W) is therefore taken on
 *     exact values, so a row's result does not depend on how the product rounded, on the other
 *     rows or on the threads.</li>
 * <li><b>Feature-sign steps</b> (Lee, Battle, Raina and Ng, "Efficient sparse coding
 *     algorithms", NIPS 2007): once a pass leaves the support and its signs unchanged, the
 *     code jumps to the exact minimiser for that support and those signs (one small Cholesky
 *     solve), or as far towards it as signs allow. Cyclic coordinate descent alone needs hundreds
 *     of passes on rows whose atoms are coherent; with these steps the 1,024 whitened patches of
 *     the benchmark need at most about 200 passes at tolerance 1e-4 instead of 1,000, and a tolerance of
 *     1e-9 costs no more passes than 1e-4 (docs/performance.md).</li>
 * </ol>
 *
 * <p>Rows are independent: each round's rows are split over the common fork-join pool, and each
 * row's result depends only on that row, never on the thread or on the other rows. An instance is
 * immutable and may be shared between threads.
 */
public final class WorkingSetLasso {
    /** Atoms in the first working set of a row. */
    static final int FIRST_WORKING_SET = 16;
    /**
     * Coordinate descent on W stops when the gap restricted to W is below the tolerance times the
     * objective, or below this fraction of the last full gap (which matters only for tiny
     * tolerances: W can then grow before it is solved to the end). Celer uses 0.3; here W is
     * solved much further before the next check, which waits for a round's matrix product: in
     * alternating runs of the benchmark (docs/performance.md) 0.1 and 0.03 were no faster.
     */
    static final double INNER_FRACTION = 1e-3;
    /** Rows solved by one task of the fork-join pool. */
    private static final int TASK_ROWS = 32;
    /** The factor on the rounding-error bound of the screening correlations ({@link RowSolver#screeningError}). */
    static final double SCREENING_SAFETY = 2;
    /** Screening correlations scanned as one chunk, skipped when its largest value is below the threshold. */
    private static final int SCAN_CHUNK = 16;

    private final INDArray dictionary;
    /** G = D D^T {@code [K * K]}, row-major. */
    private final float[] gram;
    /** D {@code [K * d]}, row-major, widened to double: the residuals r = x - a D are summed from it. */
    private final double[] atomValues;
    /** max_k ||d_k||. */
    private final double largestAtomNorm;
    /** gamma = (d + 1) u / (1 - (d + 1) u), u = 2^-24: the relative error bound of a float32 dot product of length d. */
    private final double dotProductError;
    private final double lambda;
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
    public WorkingSetLasso(INDArray dictionary, double lambda, boolean nonNegative, int maxPasses, double tolerance) {
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
        if (dictionary.size(0) * dictionary.size(0) > Integer.MAX_VALUE) {
            throw new InvalidParameterException("atoms", dictionary.size(0), "at most 46,340 (the Gram matrix is one Java array)");
        }
        this.dictionary = dictionary;
        this.atoms = (int) dictionary.size(0);
        this.dim = (int) dictionary.size(1);
        this.lambda = lambda;
        this.nonNegative = nonNegative;
        this.maxPasses = maxPasses;
        this.tolerance = tolerance;
        this.gram = atoms == 0 ? new float[0]
                : symmetric(NativeRows.of(Nd4j.gemm(dictionary, dictionary, false, true)).values(), atoms);
        this.atomValues = widened(NativeRows.of(dictionary).values());
        this.dotProductError = (dim + 1) * 0x1p-24 / (1 - (dim + 1) * 0x1p-24);
        double largest = 0;
        for (int k = 0; k < atoms; k++) {
            // G_kk = ||d_k||^2 is NaN or infinite exactly when atom k holds a NaN or an infinity
            // (or overflows float32): one check per atom instead of one more ND4J reduction, whose
            // call costs as much as the Gram product at the sizes of a mini-batch step
            if (!Float.isFinite(gram[k * atoms + k])) {
                throw new GlassboxException("LASSO dictionary: expected finite values but found NaN or infinity");
            }
            largest = Math.max(largest, Math.sqrt(gram[k * atoms + k]));
        }
        this.largestAtomNorm = largest;
    }

    /**
     * {@code g} ({@code [K, K]} row-major) with its upper triangle copied from the lower one: a
     * float32 product D D^T can differ from its transpose in the last bits (the two triangles are
     * summed in different orders), and the feature-sign step's Cholesky factorisation reads one
     * triangle while coordinate descent reads rows, which must be the same matrix.
     */
    private static float[] symmetric(float[] g, int k) {
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) g[i * k + j] = g[j * k + i];
        }
        return g;
    }

    private static double[] widened(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return wide;
    }

    /** Floating-point operations of the Gram matrix D D^T, spent once in the constructor (2 per multiply-add). */
    public long gramFlops() {
        return 2L * atoms * atoms * dim;
    }

    /** Codes {@code [n, K]} of {@code x} {@code [n, d]}. */
    public INDArray encode(INDArray x) {
        return solve(x).codes();
    }

    /**
     * Solves every row of {@code x} {@code [n, d]} from a = 0.
     */
    public Result solve(INDArray x) {
        Shapes.require("LASSO input", x, Shapes.ANY, dim);
        int n = (int) x.size(0);
        NativeRows xNative = NativeRows.of(x);
        float[] xRows = xNative.values();
        float[] codes = new float[n * atoms];
        // scratch arrays, one set per thread at a time, reused from task to task and round to round
        Queue<RowSolver> idle = new ConcurrentLinkedQueue<>();
        Totals totals = new Totals();
        for (int r0 = 0; r0 < n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + Fista.BLOCK_ROWS);
            NativeRows corr = NativeRows.uninitialized(r1 - r0, atoms);
            Nd4j.gemm(xNative.array.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()), dictionary, corr.array,
                    false, true, 1.0, 0.0);
            totals.flops += 2L * (r1 - r0) * atoms * dim;
            solveBlock(xRows, r0, r1, corr.values(), codes, idle, totals);
        }
        // one bulk copy: Nd4j.create(float[], ...) copies element by element
        NativeRows out = NativeRows.uninitialized(n, atoms);
        out.putRows(0, n, codes);
        return new Result(out.array, totals.passes, totals.largestGap, totals.flops);
    }

    /** What {@link Result} reports besides the codes, summed over the blocks of rows. */
    private static final class Totals {
        int passes;
        double largestGap;
        long flops;
    }

    /**
     * Solves rows {@code first .. end} of {@code xRows} ({@code [n, d]} row-major), whose
     * correlations C are {@code c} ({@code [end - first, K]} row-major), in rounds: each active row
     * checks its full duality gap, screening with the round's correlations Q~ (C itself in the
     * first round), and unless it is done rebuilds W and runs coordinate descent on it; then one
     * product Q~ = R D^T gives the next round's screening correlations of the rows still active.
     * Writes the rows' codes into {@code codes} ({@code [n, K]} row-major, zero beforehand) and
     * adds their passes, gaps and flops to {@code totals}.
     */
    private void solveBlock(float[] xRows, int first, int end, float[] c, float[] codes, Queue<RowSolver> idle,
                            Totals totals) {
        Row[] rows = new Row[end - first];
        for (int i = 0; i < rows.length; i++) {
            double xx = 0;
            for (int j = (first + i) * dim; j < (first + i + 1) * dim; j++) xx += (double) xRows[j] * xRows[j];
            rows[i] = new Row(first + i, xx);
        }
        Row[] active = rows;
        NativeRows residuals = null;
        NativeRows screening = null;
        while (true) {
            Row[] round = active;
            NativeRows q = screening;
            inTasks(round.length, (from, to) -> {
                RowSolver solver = Objects.requireNonNullElseGet(idle.poll(), RowSolver::new);
                for (int j = from; j < to; j++) {
                    int cOff = (round[j].index - first) * atoms;
                    if (q == null) {
                        System.arraycopy(c, cOff, solver.screening, 0, atoms);
                    } else {
                        q.get(j, solver.screening, 0);
                    }
                    solver.round(round[j], c, cOff, q == null);
                }
                idle.add(solver);
            });
            active = Arrays.stream(round).filter(row -> !row.done).toArray(Row[]::new);
            if (active.length == 0) {
                break;
            }
            if (residuals == null) {
                residuals = NativeRows.uninitialized(active.length, dim);
                screening = NativeRows.uninitialized(active.length, atoms);
            }
            screeningCorrelations(xRows, active, residuals, screening);
            totals.flops += 2L * active.length * atoms * dim;
        }
        for (Row row : rows) {
            for (int s = 0; s < row.size; s++) codes[row.index * atoms + row.w[s]] = (float) row.a[s];
            totals.passes = Math.max(totals.passes, row.passes);
            totals.largestGap = Math.max(totals.largestGap, row.relativeGap);
            totals.flops += row.flops;
        }
    }

    /**
     * Q~ = R D^T for the m rows {@code active} into the first m rows of {@code screening}
     * ({@code [>= m, K]}), with R their residuals r = x - a D (summed in double, rounded to
     * float32) in the first m rows of {@code residuals} ({@code [>= m, d]}); stores each ||r~|| in
     * its row for the {@linkplain RowSolver#screeningError error bound}.
     */
    private void screeningCorrelations(float[] xRows, Row[] active, NativeRows residuals, NativeRows screening) {
        int m = active.length;
        inTasks(m, (from, to) -> {
            double[] r = new double[dim];
            float[] rounded = new float[dim];
            for (int j = from; j < to; j++) {
                Row row = active[j];
                for (int t = 0; t < dim; t++) r[t] = xRows[row.index * dim + t];
                for (int s = 0; s < row.size; s++) {
                    double a = row.a[s];
                    if (a != 0) {
                        int atom = row.w[s] * dim;
                        for (int t = 0; t < dim; t++) r[t] -= a * atomValues[atom + t];
                        row.flops += 2L * dim;
                    }
                }
                double rr = 0;
                for (int t = 0; t < dim; t++) {
                    rounded[t] = (float) r[t];
                    rr += (double) rounded[t] * rounded[t];
                }
                row.residualNorm = Math.sqrt(rr);
                residuals.put(j, rounded, 0);
            }
        });
        Nd4j.gemm(residuals.array.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()), dictionary,
                screening.array.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()), false, true, 1.0, 0.0);
    }

    /** Runs {@code body} on {@code [from, to)} ranges of {@link #TASK_ROWS} of {@code count} rows, on the common pool. */
    private static void inTasks(int count, RowRange body) {
        IntStream.range(0, (count + TASK_ROWS - 1) / TASK_ROWS).parallel()
                .forEach(task -> body.run(task * TASK_ROWS, Math.min(count, (task + 1) * TASK_ROWS)));
    }

    /** A range of rows, {@code [from, to)}. */
    private interface RowRange {
        void run(int from, int to);
    }

    /**
     * @param codes {@code [n, K]} float32
     * @param passes the largest number of coordinate-descent passes any row took
     * @param largestGap the largest duality gap over the rows, each relative to its objective
     *                   P(a) (0 for a row whose objective is 0)
     * @param flops floating-point operations spent (2 per multiply-add): the product X D^T; the
     *              screening products R D^T, 2 d K per row and round after the first; per row
     *              and round the residual r = x - a D (d multiply-adds per non-zero code) and the
     *              exact q_k of the screened candidates (one multiply-add per non-zero code each);
     *              |W| per coordinate update that changed a code; each feature-sign step's
     *              Cholesky solve (|S|^3 / 3 + |S|^2 multiply-adds). Not the Gram matrix itself
     *              ({@link #gramFlops}) nor the O(K) scan of each round and the O(|W|) scalar work
     *              of the gap
     */
    public record Result(INDArray codes, int passes, double largestGap, long flops) {
    }

    /** One row's state between rounds: its working set W and the codes of W. */
    private static final class Row {
        /** The row's index in X. */
        final int index;
        /** ||x||^2. */
        final double xx;
        /** The atoms of W, {@code [size]} (longer arrays are reused). */
        int[] w = new int[0];
        /** a_W, {@code [size]}. */
        double[] a = new double[0];
        /** q_W = c_W - a G_W, {@code [size]}, as coordinate descent left it. */
        double[] q = new double[0];
        int size;
        int passes;
        long flops;
        /** The gap relative to P(a) when the row stopped. */
        double relativeGap;
        boolean done;
        /** ||r~|| of the residual the round's screening correlations were computed from (0 in the first round: they are C). */
        double residualNorm;

        Row(int index, double xx) {
            this.index = index;
            this.xx = xx;
        }
    }

    /** One round of one row at a time, with scratch arrays reused from row to row. */
    private final class RowSolver {
        /** q~ of the row being solved, {@code [K]}: its screening correlations, filled by the caller. */
        final float[] screening = new float[atoms];
        /** The largest screening value of each chunk of {@link #SCAN_CHUNK} atoms. */
        private final float[] chunkTop = new float[(atoms + SCAN_CHUNK - 1) / SCAN_CHUNK];
        private final int[] w = new int[atoms];
        private final boolean[] inW = new boolean[atoms];
        private final double[] aW = new double[atoms];
        private final double[] qW = new double[atoms];
        private final double[] cW = new double[atoms];
        /** The atoms outside W whose screening correlation may exceed lambda. */
        private final int[] candidates = new int[atoms];
        /** Exact q_k of the candidates and of the atoms pruned from W, by atom. */
        private final double[] exact = new double[atoms];
        private final LargestKeys violators = new LargestKeys(atoms);
        private double[] gramW = new double[FIRST_WORKING_SET * FIRST_WORKING_SET];
        /** Positions in W of the non-zero codes, for the feature-sign step. */
        private final int[] support = new int[atoms];
        /** The feature-sign step's right-hand side, then its solution z. */
        private final double[] step = new double[atoms];
        /** The codes and correlations of W before a feature-sign step, restored if it does not lower the objective. */
        private final double[] savedA = new double[atoms];
        private final double[] savedQ = new double[atoms];
        /** The Cholesky factor of G_SS, {@code [|S|, |S|]} row-major, lower triangle. */
        private double[] cholesky = new double[FIRST_WORKING_SET * FIRST_WORKING_SET];
        private int size;
        private double primal;
        private int passes;
        private long flops;

        /**
         * One round of {@code row}, whose correlations are {@code c[cOff .. cOff + K)} and whose
         * screening correlations the caller put in {@link #screening} ({@code exactScreening}: they
         * are its exact q, C in the first round): the full duality gap (exact
         * q over W and over the candidates that screening cannot rule out); when it is not small
         * enough and passes are left, a rebuilt W and coordinate descent on it.
         */
        void round(Row row, float[] c, int cOff, boolean exactScreening) {
            load(row, c, cOff);
            double top = maxAbove(qW, size);
            int joining = joining();
            // in the first round a = 0 and the screening correlations are q = c itself
            int count = screen(c, cOff, joining, exactScreening ? 0 : screeningError(row) * largestAtomNorm);
            for (int i = 0; i < count; i++) {
                double qk = exact[candidates[i]];
                top = Math.max(top, nonNegative ? qk : Math.abs(qk));
            }
            double gap = gap(row.xx, top);
            if (gap <= tolerance * primal || passes >= maxPasses) {
                row.relativeGap = primal > 0 ? Math.max(gap, 0) / primal : 0;
                row.done = true;
            } else {
                rebuildWorkingSet(c, cOff, count, joining);
                descend(row.xx, Math.max(tolerance * primal, INNER_FRACTION * gap));
            }
            store(row);
        }

        /**
         * How many violators may join W when it is rebuilt: as many as there are non-zero codes, at
         * least {@link #FIRST_WORKING_SET}, at most the atoms left.
         */
        private int joining() {
            int nonZero = 0;
            for (int s = 0; s < size; s++) {
                if (aW[s] != 0) nonZero++;
            }
            return Math.min(atoms - nonZero, Math.max(FIRST_WORKING_SET, nonZero));
        }

        private void load(Row row, float[] c, int cOff) {
            size = row.size;
            passes = row.passes;
            flops = 0;
            for (int s = 0; s < size; s++) {
                w[s] = row.w[s];
                aW[s] = row.a[s];
                qW[s] = row.q[s];
                cW[s] = c[cOff + w[s]];
                inW[w[s]] = true;
            }
        }

        private void store(Row row) {
            if (row.w.length < size) {
                row.w = new int[size];
                row.a = new double[size];
                row.q = new double[size];
            }
            for (int s = 0; s < size; s++) {
                row.w[s] = w[s];
                row.a[s] = aW[s];
                row.q[s] = qW[s];
                inW[w[s]] = false;
            }
            row.size = size;
            row.passes = passes;
            row.flops += flops;
        }

        /**
         * The atoms outside W whose exact q_k the round needs, with their exact q_k in
         * {@link #exact}; returns how many. With v_k = |q~_k| (q~_k under non-negativity) and
         * {@code error} e such that |v_k - |q_k|| &lt;= e ({@link #screeningError} ||d||_max for a
         * product's values, 0 for exact ones): every atom whose exact
         * value exceeds lambda has v_k &gt; lambda - e. When the atoms outside W are split into
         * chunks of {@link #SCAN_CHUNK} and M is the {@code joining}-th largest chunk maximum of
         * v, at least {@code joining} atoms have |q_k| &gt;= M - e, so an atom with v_k &lt; M - 2 e
         * (|q_k| &lt; M - e) can be neither among the {@code joining} largest violators nor the
         * largest |q_k|. Chunks whose maximum is below the threshold are skipped.
         */
        private int screen(float[] c, int cOff, int joining, double error) {
            float floor = (float) (lambda - error);
            // the atoms of W have exact q already: out of the chunk maxima
            for (int s = 0; s < size; s++) screening[w[s]] = nonNegative ? Float.NEGATIVE_INFINITY : 0;
            float least = floor;
            int chunks = (atoms + SCAN_CHUNK - 1) / SCAN_CHUNK;
            for (int g = 0; g < chunks; g++) chunkTop[g] = largest(g * SCAN_CHUNK, Math.min(atoms, (g + 1) * SCAN_CHUNK));
            if (joining > 0 && floor > 0 && chunks > joining) {
                // the joining-th largest chunk maximum M: at least joining atoms have v >= M
                violators.reset(joining);
                for (int g = 0; g < chunks; g++) {
                    if (chunkTop[g] > floor) violators.offer(Float.floatToRawIntBits(chunkTop[g]), g);
                }
                if (violators.size() == joining) {
                    least = (float) Math.max(floor, Float.intBitsToFloat(violators.floor()) - 2 * error);
                }
            }
            int count = 0;
            for (int g = 0; g < chunks; g++) {
                if (chunkTop[g] <= least) {
                    continue;
                }
                for (int k = g * SCAN_CHUNK; k < Math.min(atoms, (g + 1) * SCAN_CHUNK); k++) {
                    // without a branch: in the first rounds many atoms pass, unpredictably
                    candidates[count] = k;
                    count += (nonNegative ? screening[k] : Math.abs(screening[k])) > least & !inW[k] ? 1 : 0;
                }
            }
            for (int i = 0; i < count; i++) exact[candidates[i]] = c[cOff + candidates[i]];
            for (int s = 0; s < size; s++) {
                double a = aW[s];
                if (a != 0) {
                    int gramRow = w[s] * atoms;
                    for (int i = 0; i < count; i++) exact[candidates[i]] -= a * gram[gramRow + candidates[i]];
                    flops += 2L * count;
                }
            }
            return count;
        }

        /** max |q~_k| (max q~_k under non-negativity) over k0 &lt;= k &lt; k1: a loop the JIT compiler vectorises. */
        private float largest(int k0, int k1) {
            float top = Float.NEGATIVE_INFINITY;
            if (nonNegative) {
                for (int k = k0; k < k1; k++) top = Math.max(top, screening[k]);
            } else {
                for (int k = k0; k < k1; k++) top = Math.max(top, Math.abs(screening[k]));
            }
            return top;
        }

        /**
         * A bound e on |q~_k - q_k| / ||d_k||, where q_k = c_k - a G_k is the correlation this
         * solver works with (c and G rounded to float32 by their products) and q~_k = r~ . d_k the
         * screening value (r~ the residual rounded to float32, the product in float32). With u =
         * 2^-24 and gamma = (d + 1) u / (1 - (d + 1) u), the standard bound on a float32 dot
         * product of length d (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.
         * 2002, section 3.1), applied to c_k, to each G_sk and to q~_k, plus u ||r|| for rounding
         * r:
         *
         * <pre>
         *   |q~_k - q_k| &lt;= ||d_k|| gamma (||x|| + sum_s |a_s| ||d_s|| + 2 ||r~||)
         * </pre>
         *
         * times {@link #SCREENING_SAFETY} for the double-precision sums and the float32 rounding
         * of the threshold.
         */
        private double screeningError(Row row) {
            double weighted = 0;
            for (int s = 0; s < size; s++) weighted += Math.abs(aW[s]) * Math.sqrt(gram[w[s] * atoms + w[s]]);
            return SCREENING_SAFETY * dotProductError * (Math.sqrt(row.xx) + weighted + 2 * row.residualNorm);
        }

        /**
         * Rebuilds W as Celer does: the atoms with a non-zero code stay, then the largest violators
         * of |q_k| &lt;= lambda among the others join (as many as there are non-zero codes, at least
         * {@link #FIRST_WORKING_SET}; none when there are none, and then only more passes on W can
         * lower the gap), and G_WW is gathered (the scratch arrays served other rows since this row's
         * last round). The violators are among the atoms pruned from W and the {@code count}
         * screened candidates.
         */
        private void rebuildWorkingSet(float[] c, int cOff, int count, int joining) {
            violators.reset(joining);
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
                    exact[w[s]] = qW[s];
                    offer(w[s]);
                }
            }
            size = kept;
            for (int i = 0; i < count; i++) offer(candidates[i]);
            int added = violators.size();
            for (int s = 0; s < added; s++) {
                int k = violators.index(s);
                w[size + s] = k;
                inW[k] = true;
                aW[size + s] = 0;
                qW[size + s] = exact[k];
                cW[size + s] = c[cOff + k];
            }
            size += added;
            if (gramW.length < size * size) {
                gramW = new double[size * size];
            }
            for (int s = 0; s < size; s++) {
                int row = w[s] * atoms;
                for (int t = 0; t < size; t++) gramW[s * size + t] = gram[row + w[t]];
            }
        }

        /** Offers atom k, outside W, to {@link #violators} when its exact q_k violates |q_k| &lt;= lambda. */
        private void offer(int k) {
            double excess = (nonNegative ? exact[k] : Math.abs(exact[k])) - lambda;
            if (excess > 0) {
                violators.offer(Float.floatToRawIntBits((float) excess), k);
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
                double gss = gramW[s * size + s];
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
            int row = s * size;
            for (int t = 0; t < size; t++) qW[t] -= delta * gramW[row + t];
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
         * minimum is at z, so the step never raises it. When the signs of z agree with sigma the
         * code lands on z, the exact optimum for that support, which is where cyclic coordinate
         * descent converges slowly when atoms are coherent. The step is kept only if the objective
         * (computed from the codes and correlations of W) went down, which rounding can prevent when
         * G_SS is ill-conditioned; false when no step was kept (empty support, G_SS numerically
         * singular, or no decrease).
         */
        private boolean featureSignStep(double xx) {
            int m = 0;
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
                int row = support[i] * size;
                for (int j = 0; j <= i; j++) cholesky[i * m + j] = gramW[row + support[j]];
                step[i] = cW[support[i]] - lambda * Math.signum(aW[support[i]]);
            }
            if (!choleskyInPlace(m)) {
                return false;
            }
            flops += 2L * m * m * m / 3 + 2L * m * m;
            double before = workingObjective(xx);
            System.arraycopy(aW, 0, savedA, 0, size);
            System.arraycopy(qW, 0, savedQ, 0, size);
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
            if (workingObjective(xx) < before) {
                return true;
            }
            System.arraycopy(savedA, 0, aW, 0, size);
            System.arraycopy(savedQ, 0, qW, 0, size);
            return false;
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
         * Factors the lower triangle of {@code cholesky} ({@code [m, m]}) as L L^T in place and
         * solves L L^T z = {@code step}, leaving z in {@code step}; false when a pivot is not
         * positive (G_SS singular to working precision). Written out rather than taken from EJML
         * (a dependency of the framework): it runs inside every row's solve on a support of a few
         * dozen atoms, in scratch arrays the row solver reuses, with no objects to allocate.
         */
        private boolean choleskyInPlace(int m) {
            for (int j = 0; j < m; j++) {
                double diag = cholesky[j * m + j];
                for (int k = 0; k < j; k++) diag -= cholesky[j * m + k] * cholesky[j * m + k];
                if (!(diag > 1e-10 * cholesky[j * m + j])) {
                    return false;
                }
                double pivot = Math.sqrt(diag);
                cholesky[j * m + j] = pivot;
                for (int i = j + 1; i < m; i++) {
                    double v = cholesky[i * m + j];
                    for (int k = 0; k < j; k++) v -= cholesky[i * m + k] * cholesky[j * m + k];
                    cholesky[i * m + j] = v / pivot;
                }
            }
            for (int i = 0; i < m; i++) {
                double v = step[i];
                for (int k = 0; k < i; k++) v -= cholesky[i * m + k] * step[k];
                step[i] = v / cholesky[i * m + i];
            }
            for (int i = m - 1; i >= 0; i--) {
                double v = step[i];
                for (int k = i + 1; k < m; k++) v -= cholesky[k * m + i] * step[k];
                step[i] = v / cholesky[i * m + i];
            }
            return true;
        }

        /** The duality gap of the problem restricted to W (dual scaling from the atoms of W only). */
        private double workingGap(double xx) {
            return gap(xx, maxAbove(qW, size));
        }

        /** The full duality gap; {@code top} is the largest |q_k| (q_k under non-negativity) over all atoms. */
        private double gap(double xx, double top) {
            double ac = 0;
            double aq = 0;
            double l1 = 0;
            for (int s = 0; s < size; s++) {
                double a = aW[s];
                ac += a * cW[s];
                aq += a * qW[s];
                l1 += Math.abs(a);
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

        /** max_k |v_k| over the first {@code length} entries (max_k v_k under non-negativity). */
        private double maxAbove(double[] v, int length) {
            double top = 0;
            for (int k = 0; k < length; k++) top = Math.max(top, nonNegative ? v[k] : Math.abs(v[k]));
            return top;
        }
    }
}
