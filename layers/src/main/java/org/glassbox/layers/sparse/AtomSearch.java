package org.glassbox.layers.sparse;

import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.RowChunks;
import org.glassbox.framework.array.RowProduct;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.array.VectorApi;
import org.glassbox.framework.linalg.Lapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 1-sparse code of rows over a fixed dictionary D {@code [K, d]}, found exactly without the
 * full product x D^T: per row x, the atom k of largest correlation c_k = x . d_k (with
 * {@code nonNegative}: the largest positive one; otherwise the largest |c_k|), at its value, the
 * lower atom index on ties; a zero row, or one without a positive correlation, gets no code.
 *
 * <p>Method: a branch-and-bound search over a split of the coordinates, the partial distance
 * search of vector quantisation (Bei and Gray, "An improvement of the minimum distortion encoding
 * algorithm for vector quantization", IEEE Trans. Communications 1985) in the principal axes of
 * the atoms. The atoms' space is rotated to the eigenvectors of D^T D, largest eigenvalue first
 * (an orthogonal Q {@code [d, d]}, so c_k = y . e_k with y = x Q and e_k = d_k Q). The first m
 * coordinates (the head, the fewest that hold {@link #HEAD_ENERGY} of the atoms' squared norms)
 * give, by Cauchy and Schwarz on the rest (the tail), the bound
 * b_k = y_h . e_k,h + ||y_t|| ||e_k,t|| &gt;= c_k (for |c_k|: |y_h . e_k,h| + ||y_t|| ||e_k,t||),
 * which costs m + 1 multiply-adds per atom instead of d. The atoms are visited in groups of
 * {@link #GROUP}, in descending order of each group's largest bound; an atom's correlation is
 * computed in full only where its bound reaches the best correlation found so far, less a margin
 * that covers float32 rounding of both ({@link #MARGIN} ||y|| max_k ||e_k||, far above the
 * rounding error of d products), and the search stops at the first group whose largest bound is
 * below it. No atom that could win is skipped, so the code is the exact argmax of the correlations
 * as this class computes them: in the rotated coordinates, by fused multiply-adds in a fixed order
 * ({@link SearchKernel}), which differ from x . d_k computed directly by float32 rounding only.
 * On whitened MNIST patches (d = 36, K = 4,096) m is 18 or 19: the bounds cost half of the full
 * product, and a few blocks of atoms a row are computed in full (docs/performance.md, "The 1-sparse
 * search").
 *
 * <p>The arithmetic is {@link VectorKernel}'s (the JDK's vector API) when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, as the launcher and the build do, and
 * {@link ScalarKernel}'s otherwise; both give the same codes, since they compute each correlation
 * alike and the bounds only decide which correlations are computed.
 */
final class AtomSearch {
    /** Atoms per group of the search: the unit whose largest bound decides whether it is visited. */
    static final int GROUP = 256;

    /** The share of the atoms' squared norms that the head coordinates hold. */
    static final double HEAD_ENERGY = 0.8;

    /** The rounding margin of the pruning, relative to ||y|| max_k ||e_k||. */
    static final float MARGIN = 1e-4f;

    /** Rows per chunk on the common fork-join pool ({@link RowChunks}). */
    private static final int TASK_ROWS = 64;

    private final int atoms;
    private final int dim;
    private final int head;
    private final int padded;
    private final boolean nonNegative;
    /** y = x Q, Q {@code [d, d]} with principal axis j as column j. */
    private final RowProduct rotation;
    private final float largestNorm;
    private final SearchKernel kernel;

    /**
     * @param dictionary D {@code [K, d]} float32, read once (the search keeps its own rotated copy)
     * @param nonNegative whether only positive correlations count
     */
    AtomSearch(INDArray dictionary, boolean nonNegative) {
        this(dictionary, nonNegative, VectorApi.present());
    }

    /** The search with {@link VectorKernel} ({@code vectorApi}, which needs the module) or {@link ScalarKernel}. */
    AtomSearch(INDArray dictionary, boolean nonNegative, boolean vectorApi) {
        Shapes.require("encoder dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        this.atoms = (int) dictionary.size(0);
        this.dim = (int) dictionary.size(1);
        this.nonNegative = nonNegative;
        this.padded = (atoms + GROUP - 1) / GROUP * GROUP;
        float[] d = NativeRows.of(dictionary).values();
        double[] energy = new double[dim];
        this.rotation = principalAxes(d, energy);
        this.head = headSize(energy);
        float[] rotated = new float[atoms * dim];
        float[] tails = new float[padded];
        float largest = 0;
        for (int k = 0; k < atoms; k++) {
            rotation.apply(d, k * dim, rotated, k * dim);
            double tail = 0;
            double all = 0;
            for (int j = 0; j < dim; j++) {
                double v = rotated[k * dim + j];
                all += v * v;
                if (j >= head) tail += v * v;
            }
            tails[k] = (float) Math.sqrt(tail);
            largest = Math.max(largest, (float) Math.sqrt(all));
        }
        this.largestNorm = largest;
        float[][] heads = new float[head][padded];
        for (int k = 0; k < atoms; k++) {
            for (int j = 0; j < head; j++) heads[j][k] = rotated[k * dim + j];
        }
        this.kernel = vectorApi ? new VectorKernel(rotated, dim, heads, tails, nonNegative)
                : new ScalarKernel(rotated, dim, heads, tails, nonNegative);
    }

    /** The number m of head coordinates. */
    int headSize() {
        return head;
    }

    /**
     * The codes of the rows of {@code x} {@code [n, d]} as their non-zeros (at most one a row),
     * rows in tasks of 64 on the common fork-join pool.
     */
    SparseRows encode(INDArray x) {
        Shapes.require("encoder input", x, Shapes.ANY, dim);
        int n = (int) x.size(0);
        NativeRows rows = NativeRows.of(x);
        int[] best = new int[n];
        float[] value = new float[n];
        RowChunks.forEach(n, TASK_ROWS, (from, to) -> {
            Scratch scratch = new Scratch();
            float[] values = new float[(to - from) * dim];
            rows.getRows(from, to - from, values);
            int[] live = new int[SearchKernel.ROWS];
            int count = 0;
            for (int i = from; i < to; i++) {
                best[i] = -1;
                if (scratch.prepare(values, (i - from) * dim, count)) live[count++] = i;
                if (count == SearchKernel.ROWS || count > 0 && i + 1 == to) {
                    kernel.bounds(scratch.y, scratch.tail, count, scratch.bound, scratch.groupMax);
                    for (int r = 0; r < count; r++) {
                        best[live[r]] = search(scratch, r);
                        value[live[r]] = scratch.value;
                    }

                    count = 0;
                }
            }
        });
        OffHeap.free(rows.array, x);
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + (best[i] >= 0 ? 1 : 0);
        int[] index = new int[start[n]];
        float[] nonZero = new float[start[n]];
        for (int i = 0; i < n; i++) {
            if (best[i] >= 0) {
                index[start[i]] = best[i];
                nonZero[start[i]] = value[i];
            }
        }
        return new SparseRows(n, atoms, start, index, nonZero);
    }

    /** One task's working arrays, for {@link SearchKernel#ROWS} rows at a time. */
    private final class Scratch {
        final float[][] y = new float[SearchKernel.ROWS][dim];
        final float[] tail = new float[SearchKernel.ROWS];
        final float[] margin = new float[SearchKernel.ROWS];
        final float[][] bound = new float[SearchKernel.ROWS][padded];
        final float[][] groupMax = new float[SearchKernel.ROWS][padded / GROUP];
        final float[] exact = new float[padded];
        float value;

        /**
         * Rotates the row at {@code x[offset, offset + d)} into slot {@code r} with its tail norm
         * and margin; false for a zero row, which has no code.
         */
        boolean prepare(float[] x, int offset, int r) {
            boolean zero = true;
            for (int j = 0; j < dim && zero; j++) zero = x[offset + j] == 0;
            if (zero) return false;
            rotation.apply(x, offset, y[r], 0);
            double tailSq = 0;
            double normSq = 0;
            for (int j = 0; j < dim; j++) {
                normSq += (double) y[r][j] * y[r][j];
                if (j >= head) tailSq += (double) y[r][j] * y[r][j];
            }
            tail[r] = (float) Math.sqrt(tailSq);
            margin[r] = (float) (MARGIN * Math.sqrt(normSq) * largestNorm);
            return true;
        }
    }

    /** The best atom of the row in slot {@code r} of {@code s} (its bounds computed), or -1; its correlation in {@code s.value}. */
    private int search(Scratch s, int r) {
        float[] y = s.y[r];
        float margin = s.margin[r];
        s.value = 0;
        int unit = kernel.block();
        int best = -1;
        float key = 0;
        float[] bound = s.bound[r];
        float[] groupMax = s.groupMax[r];
        while (true) {
            int g = -1;
            float top = key - margin;
            for (int q = 0; q < groupMax.length; q++) {
                if (groupMax[q] >= top) {
                    top = groupMax[q];
                    g = q;
                }
            }
            if (g < 0) break;
            groupMax[g] = Float.NEGATIVE_INFINITY;
            int last = Math.min(atoms, (g + 1) * GROUP);
            for (int first = kernel.reaching(bound, g * GROUP, last, key - margin); first < last;
                    first = kernel.reaching(bound, first + unit, last, key - margin)) {
                int end = Math.min(atoms, first + unit);
                if (!kernel.correlations(y, first, s.exact, key)) continue;
                for (int k = first; k < end; k++) {
                    float c = s.exact[k];
                    float ck = nonNegative ? c : Math.abs(c);
                    if (ck > key || ck == key && best >= 0 && k < best) {
                        key = ck;
                        best = k;
                        s.value = c;
                    }
                }
            }
        }
        return best;
    }

    /** The eigenvectors of D^T D, largest eigenvalue first, as Q's columns; the eigenvalues into {@code energy}. */
    private RowProduct principalAxes(float[] d, double[] energy) {
        double[] gram = new double[dim * dim];
        for (int k = 0; k < atoms; k++) {
            for (int i = 0; i < dim; i++) {
                double di = d[k * dim + i];
                if (di == 0) continue;
                for (int j = i; j < dim; j++) gram[i * dim + j] += di * d[k * dim + j];
            }
        }
        Lapack.Eigen eigen = Lapack.symmetricEigen(gram, dim);
        float[] q = new float[dim * dim];
        for (int j = 0; j < dim; j++) {
            int ascending = dim - 1 - j;
            energy[j] = Math.max(0, eigen.values()[ascending]);
            for (int i = 0; i < dim; i++) q[i * dim + j] = (float) eigen.vector(i, ascending);
        }
        return RowProduct.of(q, dim, dim, new float[dim]);
    }

    /** The fewest leading axes whose eigenvalues reach {@link #HEAD_ENERGY} of their sum; at least 1. */
    private static int headSize(double[] energy) {
        double total = 0;
        for (double e : energy) total += e;
        double sum = 0;
        for (int m = 1; m <= energy.length; m++) {
            sum += energy[m - 1];
            if (sum >= HEAD_ENERGY * total) return m;
        }
        return energy.length;
    }
}
