package org.glassbox.layers.sparse;

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
 * <p>All methods return a new {@code [n, K]} float32 array and never modify their arguments.
 */
public final class CorrelationEncoders {
    private CorrelationEncoders() {
    }

    /**
     * Soft threshold of the correlations: a_k = sign(c_k) max(|c_k| - lambda, 0), or with
     * {@code nonNegative} a_k = max(c_k - lambda, 0). This is the first step of ISTA from a = 0
     * with unit step, exact when the atoms are orthonormal.
     */
    public static INDArray threshold(INDArray x, INDArray dictionary, double lambda, boolean nonNegative) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("lambda", lambda, "a finite value >= 0");
        }
        float th = (float) lambda;
        return select(x, dictionary, row -> {
            if (nonNegative) {
                for (int j = 0; j < row.length; j++) row[j] = Math.max(row[j] - th, 0f);
            } else {
                for (int j = 0; j < row.length; j++) row[j] -= Math.max(-th, Math.min(row[j], th));
            }
        });
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
        int[] keys = new int[k];
        int[] index = new int[k];
        float[] values = new float[k];
        return select(x, dictionary, row -> {
            int size = 0;
            for (int j = 0; j < row.length; j++) {
                int key = key(row[j], nonNegative);
                if (size < k) {
                    if (key > 0) {
                        siftUp(keys, index, size, key, j);
                        size++;
                    }
                } else if (key > keys[0]) {
                    siftDown(keys, index, size, key, j);
                }
            }
            for (int s = 0; s < size; s++) values[s] = row[index[s]];
            java.util.Arrays.fill(row, 0f);
            for (int s = 0; s < size; s++) row[index[s]] = values[s];
        });
    }

    /**
     * Keeps, per row, only the correlation of largest magnitude (with {@code nonNegative}: the
     * largest positive one), at its value: a 1-sparse code, the best approximation of x by a
     * single unit-norm atom. Ties keep the lower atom index; a row with no non-zero (positive)
     * correlation gives a zero code.
     */
    public static INDArray oneSparse(INDArray x, INDArray dictionary, boolean nonNegative) {
        return select(x, dictionary, row -> {
            int best = -1;
            int bestKey = 0;
            for (int j = 0; j < row.length; j++) {
                int key = key(row[j], nonNegative);
                if (key > bestKey) {
                    bestKey = key;
                    best = j;
                }
            }
            float value = best >= 0 ? row[best] : 0f;
            java.util.Arrays.fill(row, 0f);
            if (best >= 0) {
                row[best] = value;
            }
        });
    }

    /**
     * The selection key of a correlation as an int: the IEEE bit pattern of |c| (with
     * {@code nonNegative}: of c, and 0 for c &lt;= 0). For non-negative floats the bit patterns are
     * ordered like the values, and integer comparisons compile to much cheaper code than float
     * comparisons; a key of 0 (a zero, or non-positive, correlation) is never selected.
     */
    private static int key(float c, boolean nonNegative) {
        int bits = Float.floatToRawIntBits(c);
        return nonNegative ? Math.max(bits, 0) : bits & 0x7fffffff;
    }

    /** Turns the correlations of one row (modified in place) into its code. */
    @FunctionalInterface
    private interface RowSelector {
        void select(float[] row);
    }

    /**
     * The product c = x D^T, written block by block ({@link Fista#BLOCK_ROWS} rows) straight into
     * the result, then {@code selector} on each row, read and written back with one bulk copy each.
     */
    private static INDArray select(INDArray x, INDArray dictionary, RowSelector selector) {
        Shapes.require("encoder dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        Shapes.require("encoder input", x, Shapes.ANY, dictionary.size(1));
        int n = (int) x.size(0);
        int atoms = (int) dictionary.size(0);
        NativeRows out = NativeRows.uninitialized(n, atoms);
        // blocks are taken from a C-ordered copy that owns its memory, never as views of views
        INDArray xs = NativeRows.of(x).array;
        float[] row = new float[atoms];
        for (int r0 = 0; r0 < n; r0 += Fista.BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + Fista.BLOCK_ROWS);
            Nd4j.gemm(xs.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()), dictionary,
                    out.array.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()), false, true, 1.0, 0.0);
            for (int i = r0; i < r1; i++) {
                out.get(i, row, 0);
                selector.select(row);
                out.put(i, row, 0);
            }
        }
        return out.array;
    }

    /**
     * The heap order: smaller key first, and among equal keys the higher index first, so the root
     * is the entry to evict and ties keep the lower index.
     */
    private static boolean before(int key1, int index1, int key2, int index2) {
        return key1 < key2 || (key1 == key2 && index1 > index2);
    }

    /** Inserts (key, j) into the min-heap of the first {@code size} entries. */
    private static void siftUp(int[] keys, int[] index, int size, int key, int j) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(key, j, keys[parent], index[parent])) {
                break;
            }
            keys[i] = keys[parent];
            index[i] = index[parent];
            i = parent;
        }
        keys[i] = key;
        index[i] = j;
    }

    /** Replaces the root of the min-heap of {@code size} entries by (key, j) and restores the heap. */
    private static void siftDown(int[] keys, int[] index, int size, int key, int j) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(keys[child + 1], index[child + 1], keys[child], index[child])) {
                child++;
            }
            if (!before(keys[child], index[child], key, j)) {
                break;
            }
            keys[i] = keys[child];
            index[i] = index[child];
            i = child;
        }
        keys[i] = key;
        index[i] = j;
    }
}
