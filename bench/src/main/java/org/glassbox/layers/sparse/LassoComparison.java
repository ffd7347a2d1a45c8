package org.glassbox.layers.sparse;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.glassbox.bench.common.GemmRate;
import org.glassbox.bench.common.PatchData;
import org.glassbox.bench.common.Timer;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LASSO part of {@code bench/compare-sklearn.sh} ({@code CompareMain lasso}): the solvers'
 * codes, times and counted flops on shared .npy files, for {@code bench/compare_sklearn.py} to set
 * beside scikit-learn's. In the solvers' package, since their work counts
 * ({@link WorkingSetLasso.Result}, {@link Fista.Result}) are not public.
 */
public final class LassoComparison {
    /**
     * Relative duality-gap tolerances of {@link WorkingSetLasso} tried, loosest first; the Python
     * script picks the fastest run at equal objective.
     */
    static final double[] TOLERANCES = {3e-2, 1e-2, 1e-3, 1e-4};
    /**
     * Untimed solves before the timed ones, so that the JIT has compiled the solver's row loop
     * (scikit-learn's compiled Cython needs none; its side gets one untimed call for its imports
     * and worker processes).
     */
    static final int WARM_UP_SOLVES = 10;
    /** FISTA's tolerance on the relative step: the loosest that reached equal objective before (docs/performance.md). */
    static final double FISTA_TOLERANCE = 1e-4;

    private LassoComparison() {
    }

    /**
     * Writes X {@code [rows, d]} and D {@code [atoms, d]} (sampled from other patches, unit norm),
     * then for each solver and tolerance the time of the solve ({@link Timer#median}), the codes
     * and the flops the solver counted: {@link WorkingSetLasso} (the default encoder) at each of
     * {@link #TOLERANCES}, its Gram matrix included in the time and the flops (a new solver per
     * call), then FISTA at {@link #FISTA_TOLERANCE} (at most 1,000 iterations) as the reference.
     * gemm.tsv holds ND4J's rate for FISTA's product shape [1024, K] x [K, K] and the correlation
     * shape [1024, d] x [d, K], measured before and after.
     */
    public static void run(Path dir, double lambda, int rows, int atoms, int patch) throws IOException {
        Pipeline whitener = PatchData.whitener(patch);
        INDArray x = PatchData.whitenedPatches(whitener, rows, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        Npy.write(x, dir.resolve("X.npy"));
        Npy.write(dict, dir.resolve("D.npy"));
        int d = (int) x.size(1);
        double gemmBefore = GemmRate.gflops(1024, atoms, atoms, 5);
        double corrBefore = GemmRate.gflops(1024, d, atoms, 9);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("gb_lasso.tsv")))) {
            out.println("solver\ttolerance\tseconds\truns\trows\tflops\tgflops\titerations");
            for (int warm = 0; warm < WARM_UP_SOLVES; warm++) {
                new WorkingSetLasso(dict, lambda, false, 1000, TOLERANCES[0]).solve(x);
            }
            for (double tol : TOLERANCES) {
                Timer.Timed<WorkingSetLasso.Result> t = Timer.median(
                        () -> new WorkingSetLasso(dict, lambda, false, 1000, tol).solve(x));
                WorkingSetLasso.Result r = t.value();
                long flops = r.flops() + 2L * atoms * atoms * d;
                write(out, dir, "cd", tol, t, rows, flops, r.passes(), r.codes());
            }
            Fista fista = new Fista(dict, lambda, false, 1000, FISTA_TOLERANCE);
            Timer.Timed<Fista.Result> t = Timer.median(() -> fista.solve(x, null));
            Fista.Result r = t.value();
            write(out, dir, "fista", FISTA_TOLERANCE, t, rows, r.flops(), r.iterations(), r.codes());
        }
        double gemmAfter = GemmRate.gflops(1024, atoms, atoms, 5);
        double corrAfter = GemmRate.gflops(1024, d, atoms, 9);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("gemm.tsv")))) {
            out.println("shape\tgflops_before\tgflops_after");
            out.printf(Locale.ROOT, "[1024,%d]x[%d,%d]\t%.3f\t%.3f%n", atoms, atoms, atoms, gemmBefore, gemmAfter);
            out.printf(Locale.ROOT, "[1024,%d]x[%d,%d]\t%.3f\t%.3f%n", d, d, atoms, corrBefore, corrAfter);
        }
    }

    /** One line of gb_lasso.tsv, and the codes as codes_gb_SOLVER_TOLERANCE.npy. */
    private static void write(PrintWriter out, Path dir, String solver, double tol, Timer.Timed<?> time, int rows,
            long flops, int iterations, INDArray codes) throws IOException {
        Npy.write(codes, dir.resolve("codes_gb_" + solver + "_" + tol + ".npy"));
        out.printf(Locale.ROOT, "%s\t%s\t%.6f\t%d\t%d\t%d\t%.3f\t%d%n", solver, tol, time.seconds(), time.runs(), rows,
                flops, flops / time.seconds() / 1e9, iterations);
        out.flush();
    }
}
