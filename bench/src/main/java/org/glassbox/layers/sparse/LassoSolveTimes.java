package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How long one {@link WorkingSetLasso} solve of real whitened patches takes ({@link PatchData},
 * the dictionary of {@link PatchData#benchmarkDictionary}), over many solves in one JVM: 20
 * untimed solves for the JIT compiler, then {@code REPS} timed ones, each with a new solver (its
 * Gram matrix included, as in {@code compare-sklearn.sh}), relative gap tolerance 1e-4. With
 * {@code THREADS} = 1 every solve runs inside a fork-join pool of one thread, so that its row
 * tasks run one after the other; otherwise on the common pool (every core).
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.glassbox.layers.sparse.LassoSolveTimes REPS THREADS SIDE ATOMS LAMBDA NONNEGATIVE ROWS PASSES
 * </pre>
 *
 * prints the fastest, first-quartile and median milliseconds per solve. To compare two commits,
 * run it alternately from each one's bench jar (copy this class into an older worktree).
 */
public final class LassoSolveTimes {
    private static final int WARM_UP_SOLVES = 20;

    private LassoSolveTimes() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        int reps = Integer.parseInt(args[0]);
        boolean oneThread = Integer.parseInt(args[1]) == 1;
        int side = Integer.parseInt(args[2]);
        int atoms = Integer.parseInt(args[3]);
        double lambda = Double.parseDouble(args[4]);
        boolean nonNegative = Boolean.parseBoolean(args[5]);
        int rows = Integer.parseInt(args[6]);
        int passes = Integer.parseInt(args[7]);
        Pipeline whitener = PatchData.whitener(side);
        INDArray x = PatchData.whitenedPatches(whitener, rows, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        Runnable solve = () -> new WorkingSetLasso(dict, lambda, nonNegative, passes, 1e-4).solve(x);
        ForkJoinPool pool = oneThread ? new ForkJoinPool(1) : ForkJoinPool.commonPool();
        for (int i = 0; i < WARM_UP_SOLVES; i++) {
            pool.submit(solve).get();
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            pool.submit(solve).get();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "d = %d, K = %d, lambda = %s, nonNegative = %s, %d rows, %s: %d solves,"
                + " fastest %.2f ms, first quartile %.2f ms, median %.2f ms%n", side * side, atoms, args[4], nonNegative,
                rows, oneThread ? "one thread" : "common pool", reps, ms[0], ms[reps / 4], ms[reps / 2]);
        if (oneThread) {
            pool.shutdown();
        }
    }
}
