package org.glassbox.layers.manifold;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.linalg.Lapack;
import org.glassbox.framework.linalg.ShiftInvertLanczos;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits the sparse manifold transform (Chen, Paiton, Olshausen, NeurIPS 2018; Chen, Yun, Ma,
 * Olshausen, LeCun, ICLR 2023): draws {@link ManifoldSpec#sampleMaps()} code maps uniformly without
 * replacement (seeded by {@link FitContext#random(String)} of the stage id), accumulates V and S
 * over them ({@link CoOccurrence}), and solves the generalised symmetric eigenproblem
 *
 * <pre>
 *   S p = mu (V + r I) p,   r = ridge * trace(V) / K'
 * </pre>
 *
 * over the K' atoms that are active somewhere in the sample ({@link ActiveAtoms}: an atom never
 * active has a zero row in both matrices, which would give spurious eigenvectors with mu = 0 that
 * vanish on every input; its column of P is 0). The eigenvectors are the minimisers of the slowness p^T S p subject to
 * p^T V p = 1: the {@code skip + dims} smallest are computed with {@link
 * ShiftInvertLanczos#smallest} (shift-invert block Lanczos for large K', LAPACK's dense reduction
 * for small), the first {@code skip} dropped, the rest are the rows of P, each with its
 * largest-magnitude entry made positive so the fit is reproducible.
 */
final class ManifoldFitter {
    /** Maps per batch while streaming the sample. */
    static final int BATCH = 32;

    private ManifoldFitter() {
    }

    static ManifoldLayer fit(ManifoldSpec spec, String id, MapSource input, FitContext context) {
        MapShape shape = input.shape();
        long n = input.samples();
        check(spec, id, shape, n);
        if (n == 0) {
            throw new GlassboxException(id + ": cannot fit on empty data: the source has no samples");
        }
        CoOccurrence stats = spec.statistics(shape);
        int[] chosen = spec.chosenMaps(id, n, context);
        try (Progress.Task task = context.progress().task(id + " statistics", chosen.length)) {
            addChosen(id, input, chosen, stats, task::step);
        }
        return solve(spec, id, shape, stats.problem(spec.ridge()));
    }

    /**
     * Adds the maps {@code chosen} (sorted ascending indices into {@code input}) to {@code stats},
     * streaming only those maps of {@code input} ({@link MapSource#select}) as non-zeros
     * ({@link MapSource#forEachSparseBatch}) in batches of {@link #BATCH}; reports each batch's count
     * of added maps to {@code step}. Throws a {@link GlassboxException} naming {@code id} for
     * non-finite input.
     */
    static void addChosen(String id, MapSource input, int[] chosen, CoOccurrence stats, LongConsumer step) {
        input.select(chosen).forEachSparseBatch(BATCH, (rows, samples, offset) -> {
            for (float x : rows.value()) {
                if (!Float.isFinite(x)) throw new GlassboxException(id + " input: expected finite values but found NaN or infinity");
            }
            stats.add(rows);
            step.accept(samples);
        });
    }

    /** {@link ManifoldSpec#check} of maps of {@code shape}; a problem's message starts with {@code id}. */
    static void check(ManifoldSpec spec, String id, MapShape shape, long samples) {
        try {
            spec.check(shape, samples);
        } catch (GlassboxException e) {
            throw new GlassboxException(id + ": " + e.getMessage(), e);
        }
    }

    /** Solves the eigenproblem {@code problem} of the statistics of code maps of {@code shape} and builds the layer. */
    static ManifoldLayer solve(ManifoldSpec spec, String id, MapShape shape, ActiveAtoms problem) {
        int k = shape.channels();
        int m = problem.size();
        int[] active = problem.active();
        int wanted = spec.dims() + spec.skip();
        if (m < wanted) {
            throw new GlassboxException(id + ": only " + m + " of " + k + " atoms are active in the sampled maps but "
                    + "dims + skip = " + wanted + " eigenvectors were requested (expected at least " + wanted
                    + " active atoms)");
        }
        Lapack.EigenSubset eigen = ShiftInvertLanczos.smallest(problem.s(), problem.v(), m, wanted);
        float[] projection = new float[spec.dims() * k];
        float[] mu = new float[spec.dims()];
        for (int d = 0; d < spec.dims(); d++) {
            int col = spec.skip() + d;
            int largest = 0;
            for (int i = 1; i < m; i++) {
                if (Math.abs(eigen.vector(i, col)) > Math.abs(eigen.vector(largest, col))) largest = i;
            }
            double sign = eigen.vector(largest, col) < 0 ? -1 : 1;
            for (int i = 0; i < m; i++) {
                projection[d * k + active[i]] = (float) (sign * eigen.vector(i, col));
            }
            mu[d] = (float) eigen.values()[col];
        }
        return new ManifoldLayer(id, spec, shape, Nd4j.create(projection, new long[] {spec.dims(), k}, 'c'),
                Nd4j.create(mu, new long[] {spec.dims()}, 'c'));
    }

    /** {@code take} distinct indices of [0, n), uniform, sorted ascending (a partial Fisher-Yates shuffle). */
    static int[] choose(long n, long take, SplittableRandom rng) {
        int[] all = new int[Math.toIntExact(n)];
        for (int i = 0; i < all.length; i++) all[i] = i;
        for (int i = 0; i < take; i++) {
            int j = i + rng.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, (int) take);
        Arrays.sort(out);
        return out;
    }
}
