package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The cheap encoders: each computes the correlations c = x D^T of every row x of X {@code [n, d]}
 * with every atom of D {@code [K, d]} in one ND4J matrix product and then makes one selecting pass
 * per row, so their cost is that product plus one read of c. For unit-norm atoms, c_k is the
 * coefficient of the best one-atom approximation of x by atom k. Coates and Ng ("The importance
 * of encoding versus training with sparse coding and vector quantization", ICML 2011) found such
 * feed-forward encoders nearly as good as solving the LASSO when followed by a linear classifier.
 * The 1-sparse code needs only each row's best atom and is found without the product
 * ({@link AtomSearch}).
 *
 * <p>All methods return a new {@code [n, K]} float32 array and never modify their arguments; the
 * product, written straight into the result, is the only dense pass besides bulk copies of its
 * rows into Java memory and back; top-k chooses each row's non-zeros for blocks of
 * {@link #TASK_ROWS} rows in parallel on the common fork-join pool (each row's code depends only
 * on that row) and write the whole row of the code over its correlations.
 */
final class CorrelationEncoders {
    /**
     * Rows per task of the top-k and 1-sparse selection. The product already runs on every core;
     * on one thread, top-k's selection takes about twice as long as the product at d = 64, K =
     * 1,024 (docs/performance.md, "The cheap encoders").
     */
    static final int TASK_ROWS = 64;

    /** Rows whose correlations one block holds in {@link #scan}: 1M values at 4,096 atoms. */
    static final int SPARSE_BLOCK_ROWS = 256;

    private CorrelationEncoders() {
    }

    /**
     * Soft threshold of the correlations: a_k = sign(c_k) max(|c_k| - lambda, 0), or with
     * {@code nonNegative} a_k = max(c_k - lambda, 0). This is the first step of ISTA from a = 0
     * with unit step, exact when the atoms are orthonormal. The product is written straight into
     * the result and thresholded in place, one block of rows at a time.
     */
    static INDArray threshold(INDArray x, INDArray dictionary, double lambda, boolean nonNegative) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("lambda", lambda, "a finite value >= 0");
        }
        float th = (float) lambda;
        Correlations corr = new Correlations(x, dictionary);
        NativeRows out = NativeRows.uninitialized(corr.n, corr.atoms);
        for (int r0 = 0; r0 < corr.n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(corr.n, r0 + Fista.BLOCK_ROWS);
            INDArray block = out.array.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
            float[] c = corr.block(r0, r1, block);
            int len = (r1 - r0) * corr.atoms;
            if (nonNegative) {
                for (int j = 0; j < len; j++) c[j] = Math.max(c[j] - th, 0f);
            } else {
                for (int j = 0; j < len; j++) c[j] -= Math.max(-th, Math.min(c[j], th));
            }
            out.putRows(r0, r1 - r0, c);
        }
        corr.free(x);
        return out.array;
    }

    /**
     * The binary code of every atom whose cosine with the row reaches {@code minCosine}:
     * a_k = 1 when x d_k &gt;= minCosine ||x|| (atoms of unit norm), else 0; a zero row gives a
     * zero code. This is the general sparse code of the sparse manifold transform (Chen, Yun, Ma,
     * Olshausen, LeCun, ICLR 2023: a patch activates every atom it is close to), so the number of
     * non-zeros varies from row to row.
     */
    static INDArray cosineThreshold(INDArray x, INDArray dictionary, double minCosine) {
        if (!(minCosine > 0) || minCosine > 1) {
            throw new InvalidParameterException("lambda", minCosine, "a cosine in (0, 1] for the COSINE_THRESHOLD encoder");
        }
        Correlations corr = new Correlations(x, dictionary);
        float[] norms = rowNorms(x);
        NativeRows out = NativeRows.uninitialized(corr.n, corr.atoms);
        for (int r0 = 0; r0 < corr.n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(corr.n, r0 + Fista.BLOCK_ROWS);
            INDArray block = out.array.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
            float[] c = corr.block(r0, r1, block);
            for (int i = r0; i < r1; i++) {
                float bound = (float) (minCosine * norms[i]);
                int start = (i - r0) * corr.atoms;
                for (int j = start; j < start + corr.atoms; j++) c[j] = norms[i] > 0 && c[j] >= bound ? 1f : 0f;
            }
            out.putRows(r0, r1 - r0, c);
        }
        corr.free(x);
        return out.array;
    }

    /**
     * {@link #cosineThreshold} as its non-zeros, without the dense codes ({@link #scan}).
     */
    static SparseRows cosineThresholdSparse(INDArray x, INDArray dictionary, double minCosine) {
        if (!(minCosine > 0) || minCosine > 1) {
            throw new InvalidParameterException("lambda", minCosine, "a cosine in (0, 1] for the COSINE_THRESHOLD encoder");
        }
        float[] norms = rowNorms(x);
        return scan(x, dictionary, (c, base, atoms, row, found) -> {
            if (norms[row] == 0) return;
            float bound = (float) (minCosine * norms[row]);
            for (int j = 0; j < atoms; j++) {
                if (c[base + j] >= bound) found.add(j, 1f);
            }
        });
    }

    /** Chooses the non-zeros of one row from its correlations {@code c[base, base + atoms)}. */
    @FunctionalInterface
    private interface RowScan {
        void choose(float[] c, int base, int atoms, int row, Found found);
    }

    /** The non-zeros found by one task, in row order. */
    private static final class Found {
        int[] index = new int[64];
        float[] value = new float[64];
        int size;

        void add(int column, float x) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            index[size] = column;
            value[size++] = x;
        }
    }

    /**
     * The codes of the rows of {@code x} as non-zeros chosen by {@code scan}, without the dense
     * codes. A zero row (an empty patch after whitening: a third of the MNIST patches) correlates
     * with no atom and gets no non-zero, so only the other rows are multiplied: they are gathered,
     * the correlations of {@link #SPARSE_BLOCK_ROWS} of them at a time are written into one reused
     * block, and the rows of a block are scanned in tasks of {@link #TASK_ROWS} rows on the common
     * fork-join pool; {@code scan} sees each row's index in {@code x}.
     */
    private static SparseRows scan(INDArray x, INDArray dictionary, RowScan scan) {
        Shapes.require("encoder dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        Shapes.require("encoder input", x, Shapes.ANY, dictionary.size(1));
        int n = (int) x.size(0);
        NativeRows rows = NativeRows.of(x);
        int[] live = nonZeroRows(rows);
        Correlations corr = new Correlations(live.length == n ? rows.array
                : live.length == 0 ? Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, x.size(1))
                : Nd4j.pullRows(rows.array, 1, live), dictionary);
        int atoms = corr.atoms;
        INDArray block = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                new long[] {Math.min(SPARSE_BLOCK_ROWS, Math.max(1, corr.n)), atoms}, 'c');

        int[] counts = new int[n];
        Found[] tasks = new Found[(corr.n + TASK_ROWS - 1) / TASK_ROWS];
        for (int r0 = 0; r0 < corr.n; r0 += SPARSE_BLOCK_ROWS) {
            int r1 = Math.min(corr.n, r0 + SPARSE_BLOCK_ROWS);
            INDArray target = r1 - r0 == block.size(0) ? block : block.get(NDArrayIndex.interval(0, r1 - r0), NDArrayIndex.all());
            float[] c = corr.block(r0, r1, target);
            int first = r0;
            IntStream.range(0, (r1 - r0 + TASK_ROWS - 1) / TASK_ROWS).parallel().forEach(task -> {
                int from = first + task * TASK_ROWS;
                Found found = new Found();
                for (int i = from; i < Math.min(r1, from + TASK_ROWS); i++) {
                    int before = found.size;
                    scan.choose(c, (i - first) * atoms, atoms, live[i], found);
                    counts[live[i]] = found.size - before;
                }
                tasks[from / TASK_ROWS] = found;
            });
        }
        OffHeap.free(block);
        corr.free(x);
        OffHeap.free(rows.array, x);
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + counts[i];
        int[] index = new int[start[n]];
        float[] value = new float[index.length];
        int at = 0;
        for (Found part : tasks) {
            System.arraycopy(part.index, 0, index, at, part.size);
            System.arraycopy(part.value, 0, value, at, part.size);
            at += part.size;
        }
        return new SparseRows(n, atoms, start, index, value);
    }

    /** The indices of the rows of {@code x} with a non-zero value, ascending. */
    private static int[] nonZeroRows(NativeRows x) {
        float[] row = new float[x.cols];
        int[] live = new int[x.rows];
        int m = 0;
        for (int i = 0; i < x.rows; i++) {
            x.get(i, row, 0);
            for (float v : row) {
                if (v != 0) {
                    live[m++] = i;
                    break;
                }
            }
        }
        return Arrays.copyOf(live, m);
    }

    /**
     * Keeps, per row, the {@code k} correlations of largest magnitude (with {@code nonNegative}:
     * the {@code k} largest positive ones) at their values and sets the rest to zero, so each row
     * has at most {@code k} non-zeros. Ties keep the lower atom index.
     */
    static INDArray topK(INDArray x, INDArray dictionary, int k, boolean nonNegative) {
        if (k < 1 || k > dictionary.size(0)) {
            throw new InvalidParameterException("k", k, "between 1 and the number of atoms (" + dictionary.size(0) + ")");
        }
        return sparse(x, dictionary, k, nonNegative);
    }

    /**
     * Per block of {@link Fista#BLOCK_ROWS} rows the product straight into the result, then for
     * each row one bulk copy of its correlations' bit patterns into a Java row, the choice of its
     * {@code k} entries ({@link TopKSelection}, one per task), their bit patterns written into a
     * zero-filled Java code, one bulk copy of the code back over the correlations, and the chosen
     * entries of the code set back to zero. The Java rows stay in the L1 cache; the result is
     * written by the product and by the tasks only, never zero-filled first. Tasks of
     * {@link #TASK_ROWS} rows run on the common fork-join pool; they read and write disjoint rows
     * through absolute buffer operations.
     */
    private static INDArray sparse(INDArray x, INDArray dictionary, int k, boolean nonNegative) {
        Correlations corr = new Correlations(x, dictionary);
        NativeRows out = NativeRows.uninitialized(corr.n, corr.atoms);
        for (int r0 = 0; r0 < corr.n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(corr.n, r0 + Fista.BLOCK_ROWS);
            int first = r0;
            corr.product(r0, r1, out.array.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()));
            IntStream.range(0, (r1 - r0 + TASK_ROWS - 1) / TASK_ROWS).parallel().forEach(task -> {
                TopKSelection selection = new TopKSelection(corr.atoms, k, nonNegative);
                int[] row = new int[corr.atoms];
                int[] code = new int[corr.atoms];
                int[] chosen = new int[k];
                for (int i = first + task * TASK_ROWS; i < Math.min(r1, first + (task + 1) * TASK_ROWS); i++) {
                    out.getBits(i, row);
                    int count = selection.select(row, chosen);
                    for (int s = 0; s < count; s++) code[chosen[s]] = row[chosen[s]];
                    out.putBits(i, code);
                    for (int s = 0; s < count; s++) code[chosen[s]] = 0;
                }
            });
        }
        corr.free(x);
        return out.array;
    }

    /** The L2 norm of each row of {@code x} {@code [n, d]}; none for no rows (ND4J has no norm of an empty array). */
    private static float[] rowNorms(INDArray x) {
        return x.size(0) == 0 ? new float[0] : NativeRows.of(x).array.norm2(1).data().asFloat();
    }

    /** The correlations c = x D^T of the rows of X {@code [n, d]} with the atoms of D {@code [K, d]}, by blocks of rows. */
    private static final class Correlations {
        final int n;
        final int atoms;
        private final INDArray xs;
        private final INDArray dictionary;
        private float[] values = new float[0];

        Correlations(INDArray x, INDArray dictionary) {
            Shapes.require("encoder dictionary", dictionary, Shapes.ANY, Shapes.ANY);
            Shapes.require("encoder input", x, Shapes.ANY, dictionary.size(1));
            this.n = (int) x.size(0);
            this.atoms = (int) dictionary.size(0);
            // blocks are taken from a C-ordered copy that owns its memory, never as views of views
            this.xs = NativeRows.of(x).array;
            this.dictionary = dictionary;
        }

        /** Frees the copy of the rows that the correlations were computed from, unless it is {@code x}'s memory. */
        void free(INDArray x) {
            OffHeap.free(xs, x);
        }

        /** Rows {@code [r0, r1)} of the product, written into {@code target} (a C-ordered {@code [r1 - r0, K]} array or row block). */
        void product(int r0, int r1, INDArray target) {
            Nd4j.gemm(xs.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()), dictionary, target, false, true, 1.0, 0.0);
        }

        /**
         * Rows {@code [r0, r1)} of the product, written into {@code target} (a C-ordered
         * {@code [r1 - r0, K]} array or row block) and returned as a Java array, row-major, that
         * is reused by the next call.
         */
        float[] block(int r0, int r1, INDArray target) {
            product(r0, r1, target);
            int len = (r1 - r0) * atoms;
            if (values.length < len) {
                values = new float[len];
            }
            target.data().asNioFloat().get((int) target.offset(), values, 0, len);
            return values;
        }
    }
}
