package org.glassbox.layers.sparse;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How large a share of the float32 gemm rate an exact LASSO encoder could reach at best, if the
 * search for each row's support cost nothing: an oracle that is handed every row's support S and
 * signs sigma (from a tight {@link WorkingSetLasso} solve beforehand) and only does the work every
 * exact solver of this kind must do on top of the search, the way the layer's solver does it:
 *
 * <ol>
 * <li>G = D D^T {@code [K, K]} (one ND4J product, then copied into one Java array per row, as the
 *     solver does in its constructor, but without its symmetrisation of the two triangles) and
 *     C = X D^T {@code [n, K]} (one product);</li>
 * <li>per row, G_SS gathered in float64, its Cholesky factorisation ({@link SmallCholesky}, the
 *     solver's) and the solve of
 *     G_SS a_S = c_S - lambda sigma (the feature-sign step's system: Lee, Battle, Raina and Ng,
 *     "Efficient sparse coding algorithms", NIPS 2007), that is the optimum on S;</li>
 * <li>per row, one full check of the optimality conditions q = c - a G on all K atoms, summed in
 *     float32 over the |S| Gram rows ({@link WorkingSetLasso#subtractRows}, the solver's loop),
 *     and its largest |q_k| outside S, the duality gap's dual scaling.</li>
 * </ol>
 *
 * Flops are counted as {@link WorkingSetLasso.Result#flops()} and {@code compare-sklearn.sh} count
 * them: 2 n d K for C, 2 K^2 d for G, per row 2 |S| K for the full check and 2 (|S|^3 / 3 +
 * |S|^2) for the Cholesky solve. Every round times, one after the other, the gemm anchor
 * {@code [1024, d] x [d, K]}, the oracle and the solver itself at gap 1e-4 (a new solver each, Gram
 * matrix included, as in {@code compare-sklearn.sh}); after {@code ROUNDS} rounds it prints each
 * one's fastest time, median and share of the anchor's rate at the fastest; then the solver's work
 * beyond the oracle's (its fastest time and counted flops less the oracle's: the search for the
 * support), its time per row and its rate, and how long that part may take for the solver to
 * reach 40% of the anchor's rate with the flops it counts now (none, when the oracle alone is
 * below 40%).
 *
 * <pre>
 *   java -Xmx3g -cp bench/target/benchmarks.jar org.glassbox.layers.sparse.SupportOracle SIDE ATOMS ROUNDS
 * </pre>
 *
 * Data as in {@link InterleavedRates}: 1,024 real whitened patches ({@link PatchData}), lambda = 0.5.
 * It also prints the largest difference between the oracle's codes and the reference codes, and
 * the oracle's largest violation of |q_k| &lt;= lambda outside S, which show that the oracle's
 * codes are the LASSO solution.
 */
public final class SupportOracle {
    private static final int ROWS = 1024;
    private static final double LAMBDA = 0.5;
    /** Rows per fork-join task, as in the solver. */
    private static final int TASK_ROWS = 32;

    private final INDArray x;
    private final INDArray dictionary;
    private final int atoms;
    private final int dim;
    /** The reference codes {@code [n * K]}, row-major. */
    private final float[] reference;
    /** The oracle's codes {@code [n * K]} from the last {@link #run}. */
    private final float[] codes;
    /** The largest q_k - lambda (|q_k| - lambda) outside the support at the last run's full checks. */
    private final double[] violation;

    private SupportOracle(INDArray x, INDArray dictionary, float[] reference) {
        this.x = x;
        this.dictionary = dictionary;
        this.atoms = (int) dictionary.size(0);
        this.dim = (int) dictionary.size(1);
        this.reference = reference;
        this.codes = new float[ROWS * atoms];
        this.violation = new double[ROWS];
    }

    public static void main(String[] args) {
        int side = Integer.parseInt(args[0]);
        int atoms = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Pipeline whitener = PatchData.whitener(side);
        INDArray x = PatchData.whitenedPatches(whitener, ROWS, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        int d = side * side;
        float[] reference = new WorkingSetLasso(dict, LAMBDA, false, 1000, 1e-9).encode(x).data().asFloat();
        SupportOracle oracle = new SupportOracle(x, dict, reference);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, ROWS, atoms);
        long product = 2L * ROWS * d * atoms;
        double[] gemm = new double[rounds];
        double[] oracleTime = new double[rounds];
        double[] solverTime = new double[rounds];
        long oracleFlops = 0;
        long solverFlops = 0;
        for (int r = -2; r < rounds; r++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(x, dict, out, false, true, 1.0, 0.0);
            long t1 = System.nanoTime();
            oracleFlops = oracle.run();
            long t2 = System.nanoTime();
            WorkingSetLasso solver = new WorkingSetLasso(dict, LAMBDA, false, 1000, 1e-4);
            solverFlops = solver.solve(x).flops() + solver.gramFlops();
            long t3 = System.nanoTime();
            if (r >= 0) {
                gemm[r] = (t1 - t0) / 1e9;
                oracleTime[r] = (t2 - t1) / 1e9;
                solverTime[r] = (t3 - t2) / 1e9;
            }
        }
        double anchor = product / fastest(gemm) / 1e9;
        System.out.printf(Locale.ROOT, "d = %d, K = %d, %d rows, lambda = %s, %d rounds, OPENBLAS_THREAD_TIMEOUT=%s%n", d,
                atoms, ROWS, LAMBDA, rounds, System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT", "unset"));
        print("gemm [1024, d] x [d, K]", gemm, product, anchor);
        print("oracle (support given)", oracleTime, oracleFlops, anchor);
        print("solver (gap 1e-4)", solverTime, solverFlops, anchor);
        double budget = solverFlops / (0.4 * anchor * 1e9) - fastest(oracleTime);
        double search = fastest(solverTime) - fastest(oracleTime);
        double searchRate = (solverFlops - oracleFlops) / search / 1e9;
        System.out.printf(Locale.ROOT, "the solver beyond the oracle's work: %.2f ms (%.2f us a row) at %.2f GFLOP/s, %.1f%% of gemm%n",
                1e3 * search, 1e6 * search / ROWS, searchRate, 100 * searchRate / anchor);
        System.out.printf(Locale.ROOT, budget > 0
                ? "for 40%% of gemm with the flops it counts now, that part may take %.2f ms (%.2f us a row)%n"
                : "for 40%% of gemm with the flops it counts now, that part would have to take %.2f ms: the oracle alone is slower%n",
                1e3 * budget, 1e6 * budget / ROWS);
        System.out.printf(Locale.ROOT, "oracle: largest |code - reference| %.3g, largest violation outside S %.3g%n",
                oracle.largestDifference(), Arrays.stream(oracle.violation).max().orElse(0));
    }

    private static double fastest(double[] seconds) {
        return Arrays.stream(seconds).min().orElseThrow();
    }

    private static void print(String name, double[] seconds, long flops, double anchor) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        double gflops = flops / s[0] / 1e9;
        System.out.printf(Locale.ROOT, "%-26s fastest %8.2f ms  median %8.2f ms  %7.2f GFLOP/s  %5.1f%% of gemm%n", name,
                1e3 * s[0], 1e3 * s[s.length / 2], gflops, 100 * gflops / anchor);
    }

    /** One oracle encoding of all rows; returns the flops it counts. */
    private long run() {
        INDArray product = Nd4j.createUninitialized(DataType.FLOAT, atoms, atoms);
        float[][] gram = javaRows(Nd4j.gemm(dictionary, dictionary, product, false, true, 1.0, 0.0));
        INDArray correlations = Nd4j.createUninitialized(DataType.FLOAT, ROWS, atoms);
        float[] c = Nd4j.gemm(x, dictionary, correlations, false, true, 1.0, 0.0).data().asFloat();
        long[] rowFlops = new long[ROWS];
        int tasks = (ROWS + TASK_ROWS - 1) / TASK_ROWS;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            RowWork work = new RowWork(gram);
            for (int i = task * TASK_ROWS; i < Math.min(ROWS, (task + 1) * TASK_ROWS); i++) {
                rowFlops[i] = work.solve(i, c);
            }
        });
        return 2L * ROWS * dim * atoms + 2L * atoms * atoms * dim + Arrays.stream(rowFlops).sum();
    }

    /** The rows of a {@code [K, K]} float32 matrix, one Java array each (also for {@link FullCheckTimes}). */
    static float[][] javaRows(INDArray matrix) {
        int k = (int) matrix.size(0);
        FloatBuffer buffer = matrix.data().asNioFloat();
        float[][] rows = new float[k][k];
        for (int i = 0; i < k; i++) buffer.get(i * k, rows[i]);
        // the view does not keep the matrix's native memory alive: a collection of the matrix would free it
        Reference.reachabilityFence(matrix);
        return rows;
    }

    private double largestDifference() {
        double largest = 0;
        for (int i = 0; i < codes.length; i++) largest = Math.max(largest, Math.abs(codes[i] - reference[i]));
        return largest;
    }

    /** One row's oracle work, with scratch arrays reused from row to row. */
    private final class RowWork {
        private final float[][] gram;
        private final int[] support = new int[atoms];
        private double[] factor = new double[0];
        private final double[] z = new double[atoms];
        private final float[] q = new float[atoms];
        /** The Gram rows of the support {@code [|S|][K]}. */
        private final float[][] rows = new float[atoms][];

        RowWork(float[][] gram) {
            this.gram = gram;
        }

        /** Solves row i on the reference support and checks it on all atoms; the flops counted. */
        long solve(int i, float[] c) {
            int off = i * atoms;
            int m = 0;
            for (int k = 0; k < atoms; k++) {
                if (reference[off + k] != 0) support[m++] = k;
            }
            if (factor.length < m * m) {
                factor = new double[m * m];
            }
            for (int a = 0; a < m; a++) {
                float[] row = gram[support[a]];
                for (int b = 0; b <= a; b++) factor[a * m + b] = row[support[b]];
                z[a] = c[off + support[a]] - LAMBDA * Math.signum(reference[off + support[a]]);
            }
            if (SmallCholesky.factor(factor, m) < m) {
                throw new IllegalStateException("row " + i + ": the Gram block of its support is singular");
            }
            SmallCholesky.forward(factor, m, m, z);
            SmallCholesky.backward(factor, m, m, z);
            System.arraycopy(c, off, q, 0, atoms);
            for (int a = 0; a < m; a++) {
                codes[off + support[a]] = (float) z[a];
                rows[a] = gram[support[a]];
            }
            WorkingSetLasso.subtractRows(q, z, rows, m);
            for (int a = 0; a < m; a++) q[support[a]] = 0;
            float top = 0;
            for (int k = 0; k < atoms; k++) top = Math.max(top, Math.abs(q[k]));
            violation[i] = top - LAMBDA;
            return 2L * m * atoms + 2L * m * m * m / 3 + 2L * m * m;
        }
    }
}
