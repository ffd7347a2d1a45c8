package org.glassbox.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.linalg.Lapack;
import org.glassbox.framework.linalg.ShiftInvertLanczos;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.manifold.ManifoldProblem;
import org.glassbox.layers.sparse.LassoComparison;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Glassbox side of {@code bench/compare-sklearn.sh}: writes the shared data as .npy files,
 * runs Glassbox on them, writes its results (codes, dictionaries, eigenvalues) as .npy and its
 * timings as tab-separated lines, for {@code bench/compare_sklearn.py} to set beside
 * scikit-learn's and SciPy's on the same files. Objectives are computed by the Python script, the
 * same way for both sides.
 *
 * <pre>
 *   lasso DIR LAMBDA ROWS ATOMS PATCH      the working-set coordinate-descent solver at several
 *                                          tolerances, FISTA as a reference, plus ND4J's gemm rate
 *                                          ({@link LassoComparison}, in the solvers' package)
 *   dictlearn DIR LAMBDA TRAIN EVAL ATOMS PATCH MAXEPOCHS
 *   eigen DIR ATOMS IMAGES                 co-occurrence S, V; the manifold layer's eigen-solve and LAPACK's
 * </pre>
 */
public final class CompareMain {
    private CompareMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        switch (args[0]) {
            case "lasso" -> LassoComparison.run(dir, Double.parseDouble(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "dictlearn" -> dictLearn(dir, Double.parseDouble(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]));
            case "eigen" -> eigen(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** The shares of an epoch fitted before the whole epochs: the dictionary after seeing that share of the rows once. */
    static final double[] PARTIAL_EPOCHS = {0.25, 0.5};
    /**
     * A looser duality-gap tolerance for the codes of the mini-batches, fitted as well for half an
     * epoch and one epoch: the learner needs good codes, not certified ones, and the held-out
     * objective is computed with the Python side's own reference codes whatever the fit used.
     */
    static final double LOOSE_TOLERANCE = 1e-2;

    /**
     * Writes Xtrain {@code [train, d]} and Xeval {@code [eval, d]} (disjoint samples), then fits
     * Glassbox dictionaries (the layer's own fit: its default encoder, coordinate descent, mini-batches
     * of 256, canonical pass included), each from scratch and timed: one epoch over a uniform sample of
     * a quarter and of half of the training rows ({@link #PARTIAL_EPOCHS}: the dictionary after
     * seeing that many rows once), then 1..maxEpochs epochs over all of them, then half an epoch and one epoch with the
     * mini-batch codes solved only to {@link #LOOSE_TOLERANCE}; all after one untimed
     * 1-epoch fit with another seed that warms up the JIT (the Python side makes a matching untimed
     * fit). Each fit is timed {@link #FIT_REPEATS} times (median), both as its learning loop
     * ({@link LearningClock}) and as the whole layer fit with its usage pass. The Python side scores
     * each dictionary, so the time to reach scikit-learn's final objective is the time of the first
     * of these fits that reaches it.
     */
    static void dictLearn(Path dir, double lambda, int train, int eval, int atoms, int patch, int maxEpochs)
            throws IOException {
        Pipeline whitener = PatchData.whitener(patch);
        INDArray all = PatchData.whitenedPatches(whitener, train + eval, 11L);
        INDArray xTrain = PatchData.rows(all, 0, train);
        INDArray xEval = PatchData.rows(all, train, train + eval);
        Npy.write(xTrain, dir.resolve("Xtrain.npy"));
        Npy.write(xEval, dir.resolve("Xeval.npy"));
        int d = (int) xTrain.size(1);
        MapSource source = MapSource.of(xTrain.reshape('c', train, 1, 1, d));
        SparseCodingSpec.of("L1", atoms, lambda).withEpochs(1).withMaxSamples(train).fit("L1.code", source,
                FitContext.silent(4L));
        List<String> labels = new ArrayList<>();
        List<SparseCodingSpec> specs = new ArrayList<>();
        SparseCodingSpec base = SparseCodingSpec.of("L1", atoms, lambda);
        for (double share : PARTIAL_EPOCHS) {
            labels.add(String.valueOf(share));
            specs.add(base.withEpochs(1).withMaxSamples(Math.round(share * train)));
        }
        for (int e = 1; e <= maxEpochs; e++) {
            labels.add(String.valueOf(e));
            specs.add(base.withEpochs(e).withMaxSamples(train));
        }
        labels.add("0.5-tol" + LOOSE_TOLERANCE);
        specs.add(base.withTolerance(LOOSE_TOLERANCE).withEpochs(1).withMaxSamples(train / 2));
        labels.add("1-tol" + LOOSE_TOLERANCE);
        specs.add(base.withTolerance(LOOSE_TOLERANCE).withEpochs(1).withMaxSamples(train));
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("gb_dictlearn.tsv")))) {
            out.println("epochs\tseconds\tfit_seconds");
            for (int i = 0; i < specs.size(); i++) {
                SparseCodingSpec spec = specs.get(i);
                double[] learning = new double[FIT_REPEATS];
                double[] whole = new double[FIT_REPEATS];
                SparseCodingLayer layer = null;
                for (int r = 0; r < FIT_REPEATS; r++) {
                    LearningClock clock = new LearningClock();
                    long t0 = System.nanoTime();
                    layer = spec.fit("L1.code", source, new FitContext(5L, clock));
                    long t1 = System.nanoTime();
                    whole[r] = (t1 - t0) / 1e9;
                    learning[r] = (clock.learningEnd - t0) / 1e9;
                }
                Npy.write(layer.dictionary(), dir.resolve("D_gb_" + labels.get(i) + ".npy"));
                out.printf(Locale.ROOT, "%s\t%.6f\t%.6f%n", labels.get(i), median(learning), median(whole));
                out.flush();
            }
        }
    }

    /** Each dictionary fit is timed this many times (same seed, same result); the median is kept. */
    static final int FIT_REPEATS = 3;

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Notes when the fit's "dictionary learning" task (the mini-batch loop) closes: the time up to
     * then is the learning, the rest of the layer's fit is its usage pass (one more encoding of
     * every training vector under the final dictionary, which scikit-learn's fit does not do) and
     * the canonical ordering.
     */
    private static final class LearningClock implements Progress {
        long learningEnd;

        @Override
        public Task task(String name, long total) {
            return new Task() {
                @Override
                public void step(long units) {
                }

                @Override
                public void close() {
                    if (name.endsWith("dictionary learning")) learningEnd = System.nanoTime();
                }
            };
        }
    }

    /**
     * Eigenpair counts of the smallest-pair comparisons: 16, and 33 (the manifold layer's default:
     * 32 dimensions after skipping the first).
     */
    static final int[] SMALLEST = {16, 33};

    /**
     * Builds the sparse-manifold-transform matrices from real codes over the atoms the codes use,
     * as the manifold layer does ({@link ManifoldProblem}), writes S.npy and V.npy (float64), solves
     * S p = mu V p for all pairs with {@link Lapack#generalizedSymmetricEigen} (best of 2; writes
     * the eigenvalues) and, for each count in {@link #SMALLEST}, times the layer's solver {@link
     * ShiftInvertLanczos#smallest} (median of 3, no untimed call: the layer calls it once per fit)
     * and LAPACK's dense reduction {@link Lapack#smallestGeneralizedEigen} (best of 2), and writes
     * the layer solver's eigenpairs.
     */
    static void eigen(Path dir, int atoms, int images) throws IOException {
        ManifoldProblem m = ManifoldProblem.build(atoms, images);
        int n = m.active();
        Npy.write(Nd4j.create(m.s(), new long[] {n, n}, DataType.DOUBLE), dir.resolve("S.npy"));
        Npy.write(Nd4j.create(m.v(), new long[] {n, n}, DataType.DOUBLE), dir.resolve("V.npy"));
        double all = Double.POSITIVE_INFINITY;
        Lapack.Eigen e = null;
        for (int r = 0; r < 2; r++) {
            long t0 = System.nanoTime();
            e = Lapack.generalizedSymmetricEigen(m.s(), m.v(), n);
            all = Math.min(all, (System.nanoTime() - t0) / 1e9);
        }
        Npy.write(Nd4j.create(e.values(), new long[] {n}, DataType.DOUBLE), dir.resolve("mu_gb.npy"));
        StringBuilder tsv = new StringBuilder(String.format(Locale.ROOT, "atoms\tactive\tcount\tsolver\tseconds%n"));
        tsv.append(String.format(Locale.ROOT, "%d\t%d\t%d\tdense_all\t%.6f%n", atoms, n, n, all));
        for (int count : SMALLEST) {
            double[] lanczos = new double[3];
            Lapack.EigenSubset subset = null;
            for (int r = 0; r < lanczos.length; r++) {
                long t0 = System.nanoTime();
                subset = ShiftInvertLanczos.smallest(m.s(), m.v(), n, count);
                lanczos[r] = (System.nanoTime() - t0) / 1e9;
            }
            double dense = Double.POSITIVE_INFINITY;
            for (int r = 0; r < 2; r++) {
                long t0 = System.nanoTime();
                Lapack.smallestGeneralizedEigen(m.s(), m.v(), n, count);
                dense = Math.min(dense, (System.nanoTime() - t0) / 1e9);
            }
            tsv.append(String.format(Locale.ROOT, "%d\t%d\t%d\tlanczos\t%.6f%n", atoms, n, count, median(lanczos)));
            tsv.append(String.format(Locale.ROOT, "%d\t%d\t%d\tdense_smallest\t%.6f%n", atoms, n, count, dense));
            Npy.write(Nd4j.create(subset.values(), new long[] {count}, DataType.DOUBLE), dir.resolve("mu_gb_" + count + ".npy"));
            Npy.write(Nd4j.create(subset.vectors(), new long[] {n, count}, DataType.DOUBLE),
                    dir.resolve("P_gb_" + count + ".npy"));
        }
        Files.writeString(dir.resolve("gb_eigen.tsv"), tsv);
    }
}
