package org.glassbox.layers.sparse;

import java.util.stream.IntStream;
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
 * feed-forward encoders nearly as good as solving the LASSO when followed by a linear classifier;
 * the 1-sparse code is the vector-quantisation code that the sparse manifold transform uses
 * (Chen, Paiton and Olshausen, NeurIPS 2018).
 *
 * <p>All methods return a new {@code [n, K]} float32 array and never modify their arguments; the
 * product, written straight into the result, is the only dense pass besides bulk copies of its
 * rows into Java memory and back; top-k and 1-sparse choose each row's non-zeros for blocks of
 * {@link #TASK_ROWS} rows in parallel on the common fork-join pool (each row's code depends only
 * on that row) and write the whole row of the code over its correlations.
 */
public final class CorrelationEncoders {
    /**
     * Rows per task of the top-k and 1-sparse selection. The product already runs on every core;
     * on one thread, top-k's selection took about twice as long as the product at d = 64, K =
     * 1,024 (docs/performance.md, "The cheap encoders on every core").
     */
    static final int TASK_ROWS = 64;

    private CorrelationEncoders() {
    }

    /**
     * Soft threshold of the correlations: a_k = sign(c_k) max(|c_k| - lambda, 0), or with
     * {@code nonNegative} a_k = max(c_k - lambda, 0). This is the first step of ISTA from a = 0
     * with unit step, exact when the atoms are orthonormal. The product is written straight into
     * the result and thresholded in place, one block of rows at a time.
     */
    public static INDArray threshold(INDArray x, INDArray dictionary, double lambda, boolean nonNegative) {
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
        return out.array;
    }

    /**
     * Keeps, per row, the {@code k} correlations of largest magnitude (with {@code nonNegative}:
     * the {@code k} largest positive ones) at their values and sets the rest to zero, so each row
     * has at most {@code k} non-zeros. Ties keep the lower atom index.
     */
    public static INDArray topK(INDArray x, INDArray dictionary, int k, boolean nonNegative) {
        if (k < 1 || k > dictionary.size(0)) {
            throw new InvalidParameterException("k", k, "between 1 and the number of atoms (" + dictionary.size(0) + ")");
        }
        return sparse(x, dictionary, k, nonNegative);
    }

    /**
     * Keeps, per row, only the correlation of largest magnitude (with {@code nonNegative}: the
     * largest positive one), at its value: a 1-sparse code, the best approximation of x by a
     * single unit-norm atom. Ties keep the lower atom index; a row with no non-zero (positive)
     * correlation gives a zero code. This is top-k with k = 1.
     */
    public static INDArray oneSparse(INDArray x, INDArray dictionary, boolean nonNegative) {
        return sparse(x, dictionary, 1, nonNegative);
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
        return out.array;
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
