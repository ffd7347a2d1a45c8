package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Online dictionary learning with mini-batches (Mairal, Bach, Ponce and Sapiro, "Online learning
 * for matrix factorization and sparse coding", JMLR 2010, Algorithms 1 and 2 with the mini-batch
 * extension of section 3.4.3), for training vectors X {@code [n, d]} and a dictionary D
 * {@code [K, d]} whose rows are the atoms.
 *
 * <p>Each epoch visits the training vectors in a fresh random order, in mini-batches of eta =
 * {@code batchSize} vectors. For mini-batch t with codes a_i (by the spec's encoder, against the
 * current D) it updates the sufficient statistics
 *
 * <pre>
 *   A &lt;- beta A + sum_i a_i a_i^T        [K, K]
 *   B &lt;- beta B + sum_i a_i x_i^T        [K, d]   (the paper's B transposed)
 *   theta = t eta if t &lt; eta, else eta^2 + t - eta;   beta = (theta + 1 - eta) / (theta + 1)
 * </pre>
 *
 * then makes one block-coordinate pass over the atoms (Algorithm 2), which minimises the surrogate
 * 1/2 tr(D^T A D) - tr(D^T B) over one atom at a time:
 *
 * <pre>
 *   u_k = d_k + (B_k - A_k D) / A_kk,      d_k = u_k / ||u_k||
 * </pre>
 *
 * Atoms are projected onto the unit sphere (Glassbox atoms are unit norm) rather than the paper's
 * unit ball; an atom with A_kk = 0 is left as it is.
 *
 * <p>Re-seeding: every {@link #RESEED_EVERY} mini-batches, an atom that was non-zero in at most a
 * fraction {@link #NEARLY_UNUSED} of the vectors encoded since the last check is dead; it is
 * replaced by the normalised residual x - a D of one of the worst-reconstructed vectors of the
 * current mini-batch (largest ||x - a D||, a different one per dead atom), and its rows of A and B
 * are reset to zero.
 *
 * <p>Each mini-batch step is split in two: the statistics of the batch under the current
 * dictionary ({@link #statistics}: codes, A_part = sum a a^T, B_part = sum a x^T, usage counts and
 * the worst-reconstructed vectors; a {@link MiniBatchStatistics}, additive over parts of the
 * batch), then the update from them (forgetting factor, atom pass, re-seeding). The training
 * vectors are read through {@link SampleRows}, so the same loop fits from one array or from
 * vectors spread over a cluster, where each part computes the statistics of its share of the
 * batch and the sums reach this update.
 *
 * <p>Initialisation: {@code K} distinct training vectors drawn at random, normalised (zero
 * vectors are skipped; if too few remain, random Gaussian directions fill the rest). All
 * randomness comes from the given generator, so the result is deterministic.
 *
 * <p>Result: canonical atoms (unit L2 norm; largest-magnitude entry positive unless codes are
 * non-negative or binary ({@link Encoder#COSINE_THRESHOLD}), whose atoms' signs matter; ordered by
 * usage, most used first, ties by index) and their usage, the fraction
 * of the training vectors, encoded with the final dictionary, in which each atom is non-zero.
 */
final class DictionaryLearner {
    /** Mini-batches between two checks for dead atoms. */
    static final int RESEED_EVERY = 10;
    /** An atom non-zero in at most this fraction of the vectors since the last check is dead. */
    static final double NEARLY_UNUSED = 1e-4;

    private DictionaryLearner() {
    }

    /**
     * @param dictionary {@code [K, d]} float32, canonical
     * @param usage {@code [K]} float32, non-increasing
     */
    record Result(INDArray dictionary, INDArray usage) {
    }

    /** Learns from {@code samples} {@code [n, d]} starting from {@link #initialDictionary}. */
    static Result learn(INDArray samples, SparseCodingSpec spec, SplittableRandom rng, Progress progress, String name) {
        return learn(SampleRows.of(samples), spec, rng, progress, name);
    }

    /** Learns from the vectors {@code data} starting from {@link #initialDictionary}. */
    static Result learn(SampleRows data, SparseCodingSpec spec, SplittableRandom rng, Progress progress, String name) {
        if (data.count() == 0) {
            throw new GlassboxException(name + ": cannot learn a dictionary from no training vectors");
        }
        INDArray initial = initialDictionary(data, spec.atoms(), rng);
        return learn(data, initial, spec, rng, progress, name);
    }

    /** {@link #initialDictionary(SampleRows, int, SplittableRandom)} of the rows of {@code samples} {@code [n, d]}. */
    static INDArray initialDictionary(INDArray samples, int atoms, SplittableRandom rng) {
        return initialDictionary(SampleRows.of(samples), atoms, rng);
    }

    /**
     * {@code atoms} distinct vectors of {@code data} in random order (a partial Fisher-Yates
     * shuffle), normalised, skipping zero vectors; random Gaussian unit vectors when fewer non-zero
     * vectors exist. The vectors are fetched in groups of as many as are still missing, which draws
     * the same random numbers as fetching them one by one.
     *
     * @return {@code [atoms, d]} float32
     */
    static INDArray initialDictionary(SampleRows data, int atoms, SplittableRandom rng) {
        int n = data.count();
        int d = data.dimension();
        float[] dict = new float[atoms * d];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        int filled = 0;
        int i = 0;
        while (i < n && filled < atoms) {
            int[] picks = new int[Math.min(atoms - filled, n - i)];
            for (int c = 0; c < picks.length; c++, i++) {
                int j = i + rng.nextInt(n - i);
                picks[c] = perm[j];
                perm[j] = perm[i];
                perm[i] = picks[c];
            }
            for (float[] row : data.rows(picks)) {
                if (normalise(row)) {
                    System.arraycopy(row, 0, dict, filled * d, d);
                    filled++;
                }
            }
        }
        float[] row = new float[d];
        while (filled < atoms) {
            for (int j = 0; j < d; j++) row[j] = (float) rng.nextGaussian();
            if (normalise(row)) {
                System.arraycopy(row, 0, dict, filled * d, d);
                filled++;
            }
        }
        return Nd4j.create(dict, new long[] {atoms, d}, 'c');
    }

    /**
     * Learns from {@code samples} {@code [n, d]} starting from {@code initial} {@code [K, d]}
     * (unit-norm rows; not modified).
     */
    static Result learn(INDArray samples, INDArray initial, SparseCodingSpec spec, SplittableRandom rng,
            Progress progress, String name) {
        return learn(SampleRows.of(samples), initial, spec, rng, progress, name);
    }

    /** Learns from the vectors {@code data} starting from {@code initial} {@code [K, d]} (unit-norm rows; not modified). */
    static Result learn(SampleRows data, INDArray initial, SparseCodingSpec spec, SplittableRandom rng,
            Progress progress, String name) {
        int n = data.count();
        int d = data.dimension();
        int atoms = spec.atoms();
        if (n == 0) {
            throw new GlassboxException(name + ": cannot learn a dictionary from no training vectors");
        }
        State s = new State(atoms, d, initial);
        int eta = Math.min(spec.batchSize(), n);
        int batches = (n + eta - 1) / eta;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        long t = 0;
        try (Progress.Task task = progress.task(name + ": dictionary learning", (long) spec.epochs() * batches)) {
            for (int epoch = 0; epoch < spec.epochs(); epoch++) {
                shuffle(order, rng);
                for (int b0 = 0; b0 < n; b0 += eta) {
                    int[] batch = Arrays.copyOfRange(order, b0, Math.min(n, b0 + eta));
                    t++;
                    double theta = t < eta ? (double) t * eta : (double) eta * eta + t - eta;
                    boolean reseeds = s.sinceCheck + 1 == RESEED_EVERY;
                    CodingRound round = new CodingRound(spec, s.dictionaryValues(), atoms, d, s.eigenvector,
                            reseeds ? atoms : 0);
                    s.step(data.statistics(batch, round), (theta + 1 - eta) / (theta + 1));
                    task.step(1);
                }
            }
        }
        INDArray dictionary = s.dictionaryFloat();
        long[] counts = data.activeCounts(new CodingRound(spec, s.dictionaryValues(), atoms, d, s.eigenvector, 0));
        return canonical(spec, dictionary, counts, n);
    }

    /**
     * Part (a) of a mini-batch step: encodes {@code rows} {@code [m, d]} with the round's encoder
     * and returns A_part = C^T C and B_part = C^T X (float64 sums of products of the float32 codes
     * C {@code [m, K]} and rows X, over each row's non-zero codes: {@link #accumulate}), the
     * per-atom count of non-zero codes, FISTA's eigenvector, and the {@code round.keepWorst()}
     * rows of largest squared residual norm ||x - a D||^2 (ties by smaller position), with their
     * residuals.
     */
    static MiniBatchStatistics statistics(CodingRound round, INDArray rows, int[] positions) {
        int atoms = round.atoms();
        int d = round.dimension();
        INDArray current = round.dictionaryArray();
        DictionaryEncoder encoder = new DictionaryEncoder(round.spec(), current, round.eigenStart());
        double[] eigenvector = encoder.eigenvector();
        if (rows.size(0) == 0) {
            return new MiniBatchStatistics(atoms, d, 0, new double[atoms * atoms], new double[atoms * d],
                    new long[atoms], eigenvector, round.keepWorst(), new int[0], new double[0], new float[0]);
        }
        INDArray codes = encoder.encode(rows);
        double[] a = new double[atoms * atoms];
        double[] b = new double[atoms * d];
        long[] active = new long[atoms];
        accumulate(NativeRows.of(codes), NativeRows.of(rows), a, b, active);
        int keep = Math.min(round.keepWorst(), positions.length);
        int[] worstPosition = new int[keep];
        double[] worstNorm = new double[keep];
        float[] worstResidual = new float[keep * d];
        if (keep > 0) {
            NativeRows residual = NativeRows.of(rows.sub(Nd4j.gemm(codes, current, false, false)));
            float[] r = new float[d];
            double[] norms = new double[residual.rows];
            Integer[] worst = new Integer[residual.rows];
            for (int i = 0; i < residual.rows; i++) {
                residual.get(i, r, 0);
                double s = 0;
                for (float v : r) s += (double) v * v;
                norms[i] = s;
                worst[i] = i;
            }
            Arrays.sort(worst, (p, q) -> MiniBatchStatistics.worse(norms[p], positions[p], norms[q], positions[q]) ? -1
                    : MiniBatchStatistics.worse(norms[q], positions[q], norms[p], positions[p]) ? 1 : 0);
            for (int i = 0; i < keep; i++) {
                worstPosition[i] = positions[worst[i]];
                worstNorm[i] = norms[worst[i]];
                residual.get(worst[i], worstResidual, i * d);
            }
        }
        return new MiniBatchStatistics(atoms, d, positions.length, a, b, active, eigenvector, round.keepWorst(),
                worstPosition, worstNorm, worstResidual);
    }

    /**
     * Adds, over the rows i of {@code codes} {@code [m, K]} and {@code rows} {@code [m, d]}, a_i a_i^T
     * to {@code a} {@code [K * K]}, a_i x_i^T to {@code b} {@code [K * d]} (float64, row-major) and
     * 1 to {@code active[k]} for every non-zero a_ik. Each row visits only its non-zero codes
     * (|a_i|^2 + |a_i| d multiply-adds, |a_i| its non-zeros, against K^2 + K d for dense products),
     * in a fixed order, so the sums are deterministic.
     */
    private static void accumulate(NativeRows codes, NativeRows rows, double[] a, double[] b, long[] active) {
        int atoms = codes.cols;
        int d = rows.cols;
        float[] code = new float[atoms];
        float[] x = new float[d];
        int[] nz = new int[atoms];
        for (int i = 0; i < codes.rows; i++) {
            codes.get(i, code, 0);
            rows.get(i, x, 0);
            int count = 0;
            for (int k = 0; k < atoms; k++) {
                if (code[k] != 0f) nz[count++] = k;
            }
            for (int p = 0; p < count; p++) {
                int k = nz[p];
                double v = code[k];
                active[k]++;
                int rowA = k * atoms;
                for (int q = 0; q < count; q++) a[rowA + nz[q]] += v * code[nz[q]];
                int rowB = k * d;
                for (int j = 0; j < d; j++) b[rowB + j] += v * x[j];
            }
        }
    }

    /** For each atom, how many rows of {@code rows} {@code [m, d]} have a non-zero code under the round's encoder. */
    static long[] activeCounts(CodingRound round, INDArray rows) {
        DictionaryEncoder encoder = new DictionaryEncoder(round.spec(), round.dictionaryArray(), round.eigenStart());
        long[] counts = new long[round.atoms()];
        int n = (int) rows.size(0);
        for (int r0 = 0; r0 < n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + Fista.BLOCK_ROWS);
            SparseRows codes = encoder.encodeSparse(rows.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()));
            for (int u = 0; u < codes.index().length; u++) {
                if (codes.value()[u] != 0f) counts[codes.index()[u]]++;
            }
        }
        return counts;
    }

    /** The running state of one fit: the dictionary and the sufficient statistics, in float64. */
    private static final class State {
        final int atoms;
        final int d;
        final double[] dict;
        final double[] a;
        final double[] b;
        final long[] activeCount;
        long checkedRows;
        int sinceCheck;
        double[] eigenvector;

        State(int atoms, int d, INDArray initial) {
            this.atoms = atoms;
            this.d = d;
            float[] init = NativeRows.of(initial).array.data().asFloat();
            dict = new double[atoms * d];
            for (int i = 0; i < dict.length; i++) dict[i] = init[i];
            a = new double[atoms * atoms];
            b = new double[atoms * d];
            activeCount = new long[atoms];
        }

        /**
         * Part (b) of a mini-batch step: A and B updated with forgetting factor {@code beta} from the
         * summed statistics of the batch, one pass over the atoms, and re-seeding every
         * {@link #RESEED_EVERY} batches.
         */
        void step(MiniBatchStatistics batch, double beta) {
            eigenvector = batch.eigenvector;
            for (int i = 0; i < a.length; i++) a[i] = beta * a[i] + batch.a[i];
            for (int i = 0; i < b.length; i++) b[i] = beta * b[i] + batch.b[i];
            for (int k = 0; k < atoms; k++) activeCount[k] += batch.active[k];
            updateAtoms();
            checkedRows += batch.rows;
            if (++sinceCheck == RESEED_EVERY) {
                reseed(batch);
                sinceCheck = 0;
                checkedRows = 0;
                Arrays.fill(activeCount, 0);
            }
        }

        /**
         * One block-coordinate pass (Mairal et al. 2010, Algorithm 2) with projection onto the unit
         * sphere. The atoms are visited in order, each update seeing the atoms already updated:
         * u = d_k + (B_k - sum_j A_kj d_j) / A_kk, skipping the zero entries of A (K^2 d
         * multiply-adds at most, in plain Java: as ND4J products of blocks of atoms, the call
         * overhead of the small products costs several times more at K = 256 and d = 64).
         */
        private void updateAtoms() {
            double[] u = new double[d];
            int[] nonZero = new int[atoms];
            for (int k = 0; k < atoms; k++) {
                int rowA = k * atoms;
                double akk = a[rowA + k];
                if (!(akk > 0)) {
                    continue;
                }
                System.arraycopy(b, k * d, u, 0, d);
                int used = 0;
                for (int j = 0; j < atoms; j++) {
                    if (a[rowA + j] != 0) nonZero[used++] = j;
                }
                int p = 0;
                for (; p + 4 <= used; p += 4) {
                    // four atoms per sweep over u: a quarter of the loads and stores of u
                    int j0 = nonZero[p], j1 = nonZero[p + 1], j2 = nonZero[p + 2], j3 = nonZero[p + 3];
                    double a0 = a[rowA + j0], a1 = a[rowA + j1], a2 = a[rowA + j2], a3 = a[rowA + j3];
                    int o0 = j0 * d, o1 = j1 * d, o2 = j2 * d, o3 = j3 * d;
                    for (int i = 0; i < d; i++) {
                        u[i] -= a0 * dict[o0 + i] + a1 * dict[o1 + i] + a2 * dict[o2 + i] + a3 * dict[o3 + i];
                    }
                }
                for (; p < used; p++) {
                    int j = nonZero[p];
                    double akj = a[rowA + j];
                    int atom = j * d;
                    for (int i = 0; i < d; i++) u[i] -= akj * dict[atom + i];
                }
                double norm = 0;
                int base = k * d;
                for (int i = 0; i < d; i++) {
                    u[i] = dict[base + i] + u[i] / akk;
                    norm += u[i] * u[i];
                }
                if (norm > 0) {
                    double inv = 1 / Math.sqrt(norm);
                    for (int i = 0; i < d; i++) dict[base + i] = u[i] * inv;
                }
            }
        }

        /** Replaces dead atoms by the normalised residuals of the worst-reconstructed vectors of the batch. */
        private void reseed(MiniBatchStatistics batch) {
            double limit = NEARLY_UNUSED * checkedRows;
            int next = 0;
            for (int k = 0; k < atoms && next < batch.worstPosition.length; k++) {
                if (activeCount[k] > limit) {
                    continue;
                }
                int i = next++;
                if (!(batch.worstNorm[i] > 0)) {
                    break;
                }
                double inv = 1 / Math.sqrt(batch.worstNorm[i]);
                for (int j = 0; j < d; j++) dict[k * d + j] = batch.worstResidual[i * d + j] * inv;
                for (int j = 0; j < atoms; j++) {
                    a[k * atoms + j] = 0;
                    a[j * atoms + k] = 0;
                }
                Arrays.fill(b, k * d, (k + 1) * d, 0);
            }
        }

        /** The dictionary rounded to float32, {@code [atoms * d]} row-major. */
        float[] dictionaryValues() {
            float[] f = new float[dict.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) dict[i];
            return f;
        }

        /** The dictionary as a new {@code [atoms, d]} float32 array. */
        INDArray dictionaryFloat() {
            return Nd4j.create(dictionaryValues(), new long[] {atoms, d}, 'c');
        }
    }

    /**
     * The fixed atoms {@code dictionary} {@code [K, d]} with their usage on {@code data} under
     * {@code spec}'s encoder, in canonical sign and order (as a learned dictionary is returned).
     */
    static Result withUsage(SampleRows data, SparseCodingSpec spec, INDArray dictionary) {
        int atoms = (int) dictionary.size(0);
        int d = (int) dictionary.size(1);
        float[] values = dictionary.dup('c').data().asFloat();
        long[] counts = data.activeCounts(new CodingRound(spec, values, atoms, d, null, 0));
        return canonical(spec, dictionary, counts, data.count());
    }

    /**
     * Sign and order as canonical, with the usage {@code counts[k] / n} ({@code counts}: for each
     * atom, the training vectors with a non-zero code under the final dictionary).
     */
    private static Result canonical(SparseCodingSpec spec, INDArray dictionary, long[] counts, int n) {
        int atoms = (int) dictionary.size(0);
        int d = (int) dictionary.size(1);
        Integer[] order = new Integer[atoms];
        for (int k = 0; k < atoms; k++) order[k] = k;
        Arrays.sort(order, (p, q) -> counts[p] != counts[q] ? Long.compare(counts[q], counts[p]) : Integer.compare(p, q));
        float[] src = dictionary.data().asFloat();
        float[] dst = new float[atoms * d];
        float[] usage = new float[atoms];
        // an atom may be flipped only when its codes flip with it (not so for non-negative or cosine-threshold codes)
        boolean signFree = !spec.nonNegative() && spec.encoder() != Encoder.COSINE_THRESHOLD;
        for (int k = 0; k < atoms; k++) {
            int from = order[k];
            int argmax = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(src[from * d + j]) > Math.abs(src[from * d + argmax])) argmax = j;
            }
            float sign = signFree && src[from * d + argmax] < 0 ? -1f : 1f;
            for (int j = 0; j < d; j++) dst[k * d + j] = sign * src[from * d + j];
            usage[k] = (float) ((double) counts[from] / n);
        }
        return new Result(Nd4j.create(dst, new long[] {atoms, d}, 'c'),
                Nd4j.create(usage, new long[] {atoms}, DataType.FLOAT));
    }

    /** Fisher-Yates shuffle with {@code rng}. */
    static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Scales {@code v} to unit L2 norm; false (and unchanged) when it is zero. */
    private static boolean normalise(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        if (!(s > 0)) {
            return false;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return true;
    }
}
