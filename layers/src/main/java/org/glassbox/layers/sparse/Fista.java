package org.glassbox.layers.sparse;

import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batched FISTA (Beck and Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
 * inverse problems", SIAM J. Imaging Sciences 2009) for the LASSO of every row x of X {@code [n, d]}
 * against a fixed dictionary D {@code [K, d]} (rows are atoms):
 *
 * <pre>
 *   min_a  1/2 ||x - a D||^2 + lambda ||a||_1          (optionally subject to a &gt;= 0)
 * </pre>
 *
 * <p>The gradient of the smooth part for all rows at once is A G - X D^T with G = D D^T
 * {@code [K, K]}; its Lipschitz constant L is the largest eigenvalue of G. Both G / L and
 * X D^T / L are computed once, so each iteration is one matrix product Y (G / L) on ND4J followed
 * by one fused plain-Java pass per row over the values:
 *
 * <pre>
 *   a_k     = S(y - y G / L + x D^T / L, lambda / L)          S: soft threshold, or max(v - lambda / L, 0)
 *   t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2
 *   y       = a_k + ((t_k - 1) / t_{k+1}) (a_k - a_{k-1})
 * </pre>
 *
 * with the gradient-based adaptive restart of O'Donoghue and Candes ("Adaptive restart for
 * accelerated gradient schemes", Foundations of Computational Mathematics 2015): when
 * (y - a_k) . (a_k - a_{k-1}) &gt; 0 the row's momentum is reset (t = 1, y = a_k). Each row stops
 * when ||a_k - a_{k-1}|| &lt;= tolerance ||a_k|| or after {@code maxIterations} iterations; rows
 * that have stopped leave the matrix product (the remaining rows are packed together once a
 * quarter of them have stopped), so a batch costs about what its slow rows need rather than its
 * slowest row times the batch size.
 *
 * <p>An instance is immutable and bound to one dictionary; it may be shared between threads.
 *
 * <p><b>Where it runs.</b> It is the solver of {@link Encoder#FISTA}: the words demo's factors
 * (every fit) and the stages that name it in the stack files of {@code docs/stacks} (the first
 * layer of the ILSVRC-2012 stack, 10 iterations). The default LASSO encoder,
 * {@link Encoder#COORDINATE_DESCENT} ({@link WorkingSetLasso}), solves the same problem exactly with
 * far less work; FISTA run to convergence is the reference its tests compare it against.
 */
final class Fista {
    /** Rows solved together in one block of matrix products. */
    static final int BLOCK_ROWS = 1024;

    private final INDArray dictionary;
    private final INDArray scaledGram;
    private final double lipschitz;
    private final double[] eigenvector;
    private final double lambda;
    private final boolean nonNegative;
    private final int maxIterations;
    private final double tolerance;
    private final int atoms;
    private final int dim;

    /**
     * Binds the solver to {@code dictionary}: computes G = D D^T and L.
     *
     * @param dictionary {@code [K, d]} float32, rows are atoms (unit norm in Glassbox, though any
     *                   non-zero dictionary works); not modified and not copied, so the caller must
     *                   not change it afterwards
     * @param lambda the L1 weight, finite and &gt;= 0
     * @param nonNegative whether codes are constrained to a &gt;= 0
     * @param maxIterations at most this many iterations per row, &gt;= 1
     * @param tolerance per-row stopping threshold on ||a_k - a_{k-1}|| / ||a_k||, &gt;= 0 (0 runs
     *                  every row until it stops changing or for {@code maxIterations})
     */
    Fista(INDArray dictionary, double lambda, boolean nonNegative, int maxIterations, double tolerance) {
        this(dictionary, lambda, nonNegative, maxIterations, tolerance, null);
    }

    /** As the constructor above; {@code eigenStart} warm-starts the power iteration for L (may be null). */
    Fista(INDArray dictionary, double lambda, boolean nonNegative, int maxIterations, double tolerance,
            double[] eigenStart) {
        Shapes.require("FISTA dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        Shapes.requireFinite("FISTA dictionary", dictionary);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("lambda", lambda, "a finite value >= 0");
        }
        if (maxIterations < 1) {
            throw new InvalidParameterException("iterations", maxIterations, "at least 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new InvalidParameterException("tolerance", tolerance, "a finite value >= 0");
        }
        this.dictionary = dictionary;
        this.atoms = (int) dictionary.size(0);
        this.dim = (int) dictionary.size(1);
        this.lambda = lambda;
        this.nonNegative = nonNegative;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        INDArray gram = Nd4j.gemm(dictionary, dictionary, false, true);
        INDArray smaller = atoms <= dim ? gram : Nd4j.gemm(dictionary, dictionary, true, false);
        int m = (int) smaller.size(0);
        LargestEigenvalue.Result top = LargestEigenvalue.of(smaller.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .dup('c').data().asDouble(), m, eigenStart);
        if (!(top.value() > 0)) {
            throw new InvalidParameterException("dictionary", "all zeros", "at least one non-zero atom");
        }
        this.lipschitz = top.value();
        this.eigenvector = top.vector();
        this.scaledGram = gram.divi(lipschitz);
    }

    /** The Lipschitz constant L used for the step 1 / L: an upper estimate of the largest eigenvalue of D D^T. */
    double lipschitz() {
        return lipschitz;
    }

    /** The last power-iteration vector, to warm-start the solver of a nearby dictionary. */
    double[] eigenvector() {
        return eigenvector;
    }

    /** Codes {@code [n, K]} of {@code x} {@code [n, d]}, starting from zero. */
    INDArray encode(INDArray x) {
        return solve(x, null).codes();
    }

    /**
     * Solves every row of {@code x} {@code [n, d]}.
     *
     * @param warmStart {@code [n, K]} starting codes (for example the codes of a previous, nearby
     *                  dictionary), or null to start from zero
     */
    Result solve(INDArray x, INDArray warmStart) {
        Shapes.require("FISTA input", x, Shapes.ANY, dim);
        int n = (int) x.size(0);
        if (warmStart != null) {
            Shapes.require("FISTA warm start", warmStart, n, atoms);
        }
        NativeRows out = NativeRows.zeros(n, atoms);
        // blocks are taken from C-ordered copies that own their memory, never as views of views
        INDArray xs = NativeRows.of(x).array;
        INDArray ws = warmStart == null ? null : NativeRows.of(warmStart).array;
        long flops = 0;
        int iterations = 0;
        for (int r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + BLOCK_ROWS);
            INDArray xb = xs.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
            INDArray wb = ws == null ? null : ws.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
            Block block = new Block(xb, wb, out, r0);
            iterations = Math.max(iterations, block.iterations);
            flops += block.flops;
        }
        return new Result(out.array, iterations, flops);
    }

    /**
     * @param codes {@code [n, K]} float32
     * @param iterations the largest number of iterations any row took
     * @param flops floating-point operations spent in matrix products (2 per multiply-add): the
     *              product X D^T and one product per iteration over the rows still running
     */
    record Result(INDArray codes, int iterations, long flops) {
    }

    /**
     * The solve of one block of at most {@link #BLOCK_ROWS} rows. The codes a and the momentum
     * points y are sparse, so each row keeps them as a support list (the positions where a or y is
     * non-zero, with both values); the dense per-element pass reads only y G / L (just computed)
     * and x D^T / L, and writes the row of Y that feeds the next product back with one bulk copy.
     */
    private final class Block {
        private final int k = atoms;
        private final float theta = (float) (lambda / lipschitz);
        private final int thetaBits = Float.floatToRawIntBits(theta);
        private final float[] c;
        private final double[] t;
        private final int[] outRow;
        private final boolean[] done;
        private final int[][] supIdx;
        private final float[][] supA;
        private final float[][] supY;
        private final int[] supLen;
        private final float[] aRow = new float[k];
        private final float[] yRow = new float[k];
        private final float[] gRow = new float[k];
        private final float[] vRow = new float[k];
        private final int[] newIdx = new int[k];
        private final float[] newA = new float[k];
        private final float[] newStep = new float[k];
        private final NativeRows out;
        private NativeRows y;
        private NativeRows g;
        private int active;
        int iterations;
        long flops;

        Block(INDArray xb, INDArray warm, NativeRows out, int firstRow) {
            this.out = out;
            int m = (int) xb.size(0);
            NativeRows xs = NativeRows.uninitialized(m, k);
            Nd4j.gemm(xb, dictionary, xs.array, false, true, 1.0 / lipschitz, 0.0);
            flops += 2L * m * k * dim;
            c = new float[m * k];
            xs.getAll(c);
            t = new double[m];
            outRow = new int[m];
            done = new boolean[m];
            supIdx = new int[m][];
            supA = new float[m][];
            supY = new float[m][];
            supLen = new int[m];
            for (int i = 0; i < m; i++) outRow[i] = firstRow + i;
            y = NativeRows.zeros(m, k);
            g = NativeRows.uninitialized(m, k);
            active = m;
            if (warm == null) {
                firstStepFromZero(m);
            } else {
                startFrom(NativeRows.of(warm), m);
            }
            while (active > 0 && iterations < maxIterations) {
                if (active <= y.rows - y.rows / 4) {
                    pack();
                }
                Nd4j.gemm(y.array, scaledGram, g.array, false, false, 1.0, 0.0);
                flops += 2L * y.rows * k * k;
                iterations++;
                for (int p = 0; p < y.rows; p++) {
                    if (!done[p]) {
                        update(p);
                    }
                }
            }
            for (int p = 0; p < y.rows; p++) {
                if (!done[p]) {
                    for (int s = 0; s < supLen[p]; s++) out.set(outRow[p], supIdx[p][s], supA[p][s]);
                }
            }
        }

        /** Iteration 1 from a = 0: y = 0 makes y G vanish, so a_1 = S(x D^T / L) and y = a_1 (t_1 = 1, no momentum). */
        private void firstStepFromZero(int m) {
            double t2 = (1 + Math.sqrt(5)) / 2;
            for (int p = 0; p < m; p++) {
                int n = 0;
                for (int j = 0, base = p * k; j < k; j++) {
                    float an = shrink(c[base + j]);
                    if (an != 0f) {
                        newIdx[n] = j;
                        newA[n] = an;
                        n++;
                    }
                }
                t[p] = t2;
                store(p, n);
                if (n == 0) {
                    finish(p);
                }
            }
            iterations = 1;
        }

        /** Starts every row from its warm-start code: a = y = the code, t = 1. */
        private void startFrom(NativeRows warm, int m) {
            for (int p = 0; p < m; p++) {
                warm.get(p, gRow, 0);
                int n = 0;
                for (int j = 0; j < k; j++) {
                    if (gRow[j] != 0f) {
                        newIdx[n] = j;
                        newA[n] = gRow[j];
                        n++;
                    }
                }
                t[p] = 1;
                store(p, n);
            }
        }

        /**
         * Saves the first {@code n} entries of newIdx / newA as row p's support with y = a and
         * writes y into the native product input.
         */
        private void store(int p, int n) {
            int cap = Math.min(k, Math.max(16, Integer.highestOneBit(Math.max(n, 1)) * 2));
            supIdx[p] = new int[cap];
            supA[p] = new float[cap];
            supY[p] = new float[cap];
            for (int s = 0; s < n; s++) {
                supIdx[p][s] = newIdx[s];
                supA[p][s] = newA[s];
                supY[p][s] = newA[s];
                y.set(p, newIdx[s], newA[s]);
            }
            supLen[p] = n;
        }

        /**
         * The fused step for position {@code p}: gradient step, shrinkage, stopping test, restart
         * test, momentum. The dense part computes v = y - y G / L + x D^T / L for the row and
         * collects the positions where the shrinkage is non-zero by comparing the IEEE bit
         * patterns of |v| and lambda / L as integers (monotone for non-negative floats, and far
         * cheaper in compiled Java than float comparisons); only those positions and the old
         * support are then visited, and the new y row goes back to native memory in one bulk copy.
         */
        private void update(int p) {
            int len = supLen[p];
            int[] si = supIdx[p];
            float[] sa = supA[p];
            float[] sy = supY[p];
            for (int s = 0; s < len; s++) {
                aRow[si[s]] = sa[s];
                yRow[si[s]] = sy[s];
            }
            float[] vr = vRow;
            float[] yr = yRow;
            float[] gr = gRow;
            float[] cs = c;
            int[] idx = newIdx;
            int kk = k;
            int tb = thetaBits;
            g.get(p, gr, 0);
            int base = p * kk;
            for (int j = 0; j < kk; j++) vr[j] = yr[j] - gr[j] + cs[base + j];
            int n = 0;
            if (nonNegative) {
                for (int j = 0; j < kk; j++) {
                    idx[n] = j;
                    n += (tb - Math.max(Float.floatToRawIntBits(vr[j]), 0)) >>> 31;
                }
            } else {
                for (int j = 0; j < kk; j++) {
                    idx[n] = j;
                    n += (tb - (Float.floatToRawIntBits(vr[j]) & 0x7fffffff)) >>> 31;
                }
            }
            double changeSq = 0;
            double normSq = 0;
            double restart = 0;
            float th = theta;
            for (int s = 0; s < n; s++) {
                int j = newIdx[s];
                float v = vRow[j];
                float an = v > 0 ? v - th : v + th;
                float d = an - aRow[j];
                changeSq += (double) d * d;
                normSq += (double) an * an;
                restart += (double) (yRow[j] - an) * d;
                newA[s] = an;
                newStep[s] = d;
            }
            for (int s = 0; s < len; s++) {
                int j = si[s];
                float ao = sa[s];
                if (ao != 0f && !selected(vRow[j])) {
                    changeSq += (double) ao * ao;
                    restart -= (double) yRow[j] * ao;
                    newIdx[n] = j;
                    newA[n] = 0f;
                    newStep[n] = -ao;
                    n++;
                }
                aRow[j] = 0f;
                yRow[j] = 0f;
            }
            if (changeSq <= tolerance * tolerance * normSq) {
                for (int s = 0; s < n; s++) out.set(outRow[p], newIdx[s], newA[s]);
                supLen[p] = 0;
                finish(p);
                return;
            }
            float beta;
            if (restart > 0) {
                t[p] = 1;
                beta = 0;
            } else {
                double next = (1 + Math.sqrt(1 + 4 * t[p] * t[p])) / 2;
                beta = (float) ((t[p] - 1) / next);
                t[p] = next;
            }
            if (si.length < n) {
                int cap = Math.min(k, Integer.highestOneBit(n) * 2);
                si = supIdx[p] = new int[cap];
                sa = supA[p] = new float[cap];
                sy = supY[p] = new float[cap];
            }
            int kept = 0;
            for (int s = 0; s < n; s++) {
                float an = newA[s];
                float yn = an + beta * newStep[s];
                if (an != 0f || yn != 0f) {
                    si[kept] = newIdx[s];
                    sa[kept] = an;
                    sy[kept] = yn;
                    yRow[newIdx[s]] = yn;
                    kept++;
                }
            }
            supLen[p] = kept;
            y.put(p, yRow, 0);
            for (int s = 0; s < kept; s++) yRow[si[s]] = 0f;
        }

        /** Whether S(v) is non-zero, by the same integer test as the dense selection. */
        private boolean selected(float v) {
            int bits = Float.floatToRawIntBits(v);
            return (nonNegative ? Math.max(bits, 0) : bits & 0x7fffffff) > thetaBits;
        }

        private float shrink(float v) {
            if (v > theta) {
                return v - theta;
            }
            if (!nonNegative && v < -theta) {
                return v + theta;
            }
            return 0f;
        }

        private void finish(int p) {
            done[p] = true;
            active--;
        }

        /** Moves the running rows to the front and shrinks the product to them. */
        private void pack() {
            NativeRows ny = NativeRows.zeros(active, k);
            int q = 0;
            for (int p = 0; p < y.rows; p++) {
                if (done[p]) {
                    continue;
                }
                if (q != p) {
                    System.arraycopy(c, p * k, c, q * k, k);
                    t[q] = t[p];
                    outRow[q] = outRow[p];
                    supIdx[q] = supIdx[p];
                    supA[q] = supA[p];
                    supY[q] = supY[p];
                    supLen[q] = supLen[p];
                }
                for (int s = 0; s < supLen[q]; s++) ny.set(q, supIdx[q][s], supY[q][s]);
                done[q] = false;
                q++;
            }
            y = ny;
            g = NativeRows.uninitialized(active, k);
        }
    }
}
