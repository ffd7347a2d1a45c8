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
        return select(x, dictionary, (row, out, r) -> {
            for (int j = 0; j < row.length; j++) {
                float v = row[j];
                row[j] = v > th ? v - th : (!nonNegative && v < -th) ? v + th : 0f;
            }
            out.put(r, row, 0);
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
        float[] keys = new float[k];
        int[] index = new int[k];
        return select(x, dictionary, (row, out, r) -> {
            int size = 0;
            for (int j = 0; j < row.length; j++) {
                float key = nonNegative ? row[j] : Math.abs(row[j]);
                if (!(key > 0f)) {
                    continue;
                }
                if (size < k) {
                    siftUp(keys, index, size, key, j);
                    size++;
                } else if (key > keys[0]) {
                    siftDown(keys, index, size, key, j);
                }
            }
            for (int s = 0; s < size; s++) out.set(r, index[s], row[index[s]]);
        });
    }

    /**
     * Keeps, per row, only the correlation of largest magnitude (with {@code nonNegative}: the
     * largest positive one), at its value: a 1-sparse code, the best approximation of x by a
     * single unit-norm atom. Ties keep the lower atom index; a row with no non-zero (positive)
     * correlation gives a zero code.
     */
    public static INDArray oneSparse(INDArray x, INDArray dictionary, boolean nonNegative) {
        return select(x, dictionary, (row, out, r) -> {
            int best = -1;
            float bestKey = 0f;
            for (int j = 0; j < row.length; j++) {
                float key = nonNegative ? row[j] : Math.abs(row[j]);
                if (key > bestKey) {
                    bestKey = key;
                    best = j;
                }
            }
            if (best >= 0) {
                out.set(r, best, row[best]);
            }
        });
    }

    /** Receives the correlations of one row (a scratch array it may modify) and writes its code into row {@code r} of {@code out}. */
    @FunctionalInterface
    private interface RowSelector {
        void select(float[] correlations, NativeRows out, int r);
    }

    /** The product c = x D^T in blocks of {@link Fista#BLOCK_ROWS} rows, then {@code selector} on each row. */
    private static INDArray select(INDArray x, INDArray dictionary, RowSelector selector) {
        Shapes.require("encoder dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        Shapes.require("encoder input", x, Shapes.ANY, dictionary.size(1));
        int n = (int) x.size(0);
        int atoms = (int) dictionary.size(0);
        NativeRows out = NativeRows.zeros(n, atoms);
        float[] row = new float[atoms];
        NativeRows block = null;
        for (int r0 = 0; r0 < n; r0 += Fista.BLOCK_ROWS) {
            int m = Math.min(Fista.BLOCK_ROWS, n - r0);
            if (block == null || block.rows != m) {
                block = NativeRows.zeros(m, atoms);
            }
            Nd4j.gemm(x.get(NDArrayIndex.interval(r0, r0 + m), NDArrayIndex.all()), dictionary, block.array,
                    false, true, 1.0, 0.0);
            for (int i = 0; i < m; i++) {
                block.get(i, row, 0);
                selector.select(row, out, r0 + i);
            }
        }
        return out.array;
    }

    /**
     * The heap order: smaller key first, and among equal keys the higher index first, so the root
     * is the entry to evict and ties keep the lower index.
     */
    private static boolean before(float key1, int index1, float key2, int index2) {
        return key1 < key2 || (key1 == key2 && index1 > index2);
    }

    /** Inserts (key, j) into the min-heap of the first {@code size} entries. */
    private static void siftUp(float[] keys, int[] index, int size, float key, int j) {
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
    private static void siftDown(float[] keys, int[] index, int size, float key, int j) {
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
