package org.glassbox.layers.readout;

import java.util.ArrayDeque;
import java.util.Deque;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The objective of {@link LinearSpec} and its minimiser. With theta = (W {@code [C, F]} row-major,
 * b {@code [C]}) and P_ic = softmax(z_i)_c,
 *
 * <pre>
 *   J     = (1/N) sum_i [ log sum_c exp(z_ic) - z_i,y_i ] + (l2 / 2) ||W||^2
 *   dJ/dW = (1/N) (P - Y)^T X + l2 W,     dJ/db = (1/N) sum_i (P_i - Y_i)
 * </pre>
 *
 * (Y the one-hot labels). Both products with X, X W^T and X^T (P - Y), are ND4J float32 matrix
 * products, made block by block of rows (each block read once from memory); everything else
 * (soft-max, sums, the L-BFGS vectors) is float64. The minimiser is L-BFGS with memory
 * {@link #MEMORY} (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4 for the
 * two-loop recursion, 7.5 for the outer loop) with a backtracking Armijo line search; a pair with
 * s^T y <= 0 is not stored. J is strictly convex for l2 > 0, so the point where the gradient
 * vanishes is the unique minimiser.
 */
final class MultinomialLogistic {
    /** The number of correction pairs L-BFGS keeps. */
    static final int MEMORY = 10;
    /**
     * The most values in one block of rows held in memory (64 MB of float32): both products of an
     * evaluation read a block while it is still in cache, where the rows read as one array come from
     * memory twice.
     */
    static final long BLOCK_VALUES = 1L << 24;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    private final Rows x;
    private final int[] labels;
    private final int classes;
    private final int dims;
    private final double l2;

    /** The trained parameters and how the minimisation ended. */
    record Solution(INDArray weights, INDArray bias, int iterations, double gradientMax, double objective) {
    }

    /** The rows of X, visited in blocks of consecutive rows. */
    @FunctionalInterface
    interface Rows {
        /** Visits every row once, in order, in blocks {@code [b, F]} float32, each with the index of its first row. */
        void forEachBlock(Block visitor);
    }

    /** Receives one block of rows and the index of its first row; it must not keep the block. */
    @FunctionalInterface
    interface Block {
        void visit(INDArray rows, int offset);
    }

    /**
     * The objective for features {@code x [N, F]} float32 and labels in [0, classes), visited in blocks
     * of at most {@link #BLOCK_VALUES} values.
     */
    MultinomialLogistic(INDArray x, int[] labels, int classes, double l2) {
        this(visitor -> {
            long n = x.size(0);
            long rows = Math.max(1, BLOCK_VALUES / x.size(1));
            for (long from = 0; from < n; from += rows) {
                INDArray block = x.get(NDArrayIndex.interval(from, Math.min(n, from + rows)), NDArrayIndex.all());
                visitor.visit(block, (int) from);
            }
        }, (int) x.size(1), labels, classes, l2);
    }

    /**
     * The objective for the {@code dims} features of rows {@code x}, visited block by block at every
     * evaluation (rows that do not fit in memory), and labels in [0, classes). Rows visited in the
     * same blocks give the same values, bit for bit, wherever they are held.
     */
    MultinomialLogistic(Rows x, int dims, int[] labels, int classes, double l2) {
        this.x = x;
        this.labels = labels;
        this.classes = classes;
        this.dims = dims;
        this.l2 = l2;
    }

    /** The number of parameters, C F + C. */
    int size() {
        return classes * dims + classes;
    }

    /** J at {@code theta}; writes dJ/dtheta into {@code gradient}. */
    double evaluate(double[] theta, double[] gradient) {
        int n = labels.length;
        float[] wt = new float[dims * classes]; // W^T [F, C]: both products then read X row-major, as X [b, F] and X^T
        for (int c = 0; c < classes; c++) {
            for (int f = 0; f < dims; f++) wt[f * classes + c] = (float) theta[c * dims + f];
        }
        INDArray weightsT = FloatArrays.of(wt, dims, classes);
        int biasAt = classes * dims;
        double[] gradWeights = new double[biasAt];
        double[] gradBias = new double[classes];
        double[] loss = new double[1];
        int[] seen = new int[1];
        x.forEachBlock((rows, offset) -> {
            int b = (int) rows.size(0);
            INDArray scores = Nd4j.gemm(rows, weightsT, false, false); // not mmul, which leaves a temporary to the collector
            float[] z = FloatArrays.values(scores);
            OffHeap.free(scores);
            float[] g = new float[b * classes];
            double[] row = new double[classes];
            for (int i = 0; i < b; i++) {
                int label = labels[offset + i];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    row[c] = z[i * classes + c] + theta[biasAt + c];
                    max = Math.max(max, row[c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    row[c] = Math.exp(row[c] - max);
                    sum += row[c];
                }
                loss[0] += Math.log(sum) + max - (Math.log(row[label]) + max);
                for (int c = 0; c < classes; c++) {
                    double d = (row[c] / sum - (c == label ? 1 : 0)) / n;
                    g[i * classes + c] = (float) d;
                    gradBias[c] += d;
                }
            }
            INDArray residuals = FloatArrays.of(g, b, classes);
            INDArray product = Nd4j.gemm(rows, residuals, true, false); // X^T (P - Y) [F, C]
            float[] gw = FloatArrays.values(product);
            OffHeap.free(product);
            OffHeap.free(residuals);
            for (int f = 0; f < dims; f++) {
                for (int c = 0; c < classes; c++) gradWeights[c * dims + f] += gw[f * classes + c];
            }
            seen[0] += b;
        });
        OffHeap.free(weightsT);
        if (seen[0] != n) throw new IllegalStateException(seen[0] + " rows visited for " + n + " labels");
        double penalty = 0;
        for (int i = 0; i < biasAt; i++) {
            gradient[i] = gradWeights[i] + l2 * theta[i];
            penalty += theta[i] * theta[i];
        }
        System.arraycopy(gradBias, 0, gradient, biasAt, classes);
        return loss[0] / n + 0.5 * l2 * penalty;
    }

    /**
     * Runs L-BFGS from theta = 0 until max |gradient| <= {@code tolerance}, {@code maxIterations}
     * iterations, or a line search that cannot decrease J any further (float precision reached).
     */
    Solution minimise(int maxIterations, double tolerance, Progress.Task task) {
        int p = size();
        double[] theta = new double[p];
        double[] grad = new double[p];
        double f = evaluate(theta, grad);
        Deque<double[][]> memory = new ArrayDeque<>();
        double[] trial = new double[p];
        double[] trialGrad = new double[p];
        int iteration = 0;
        while (iteration < maxIterations && maxAbs(grad) > tolerance) {
            double[] direction = twoLoop(grad, memory);
            double slope = dot(grad, direction);
            if (slope >= 0) {
                memory.clear();
                direction = negate(grad);
                slope = dot(grad, direction);
            }
            double step = memory.isEmpty() ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double trialValue = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS; b++) {
                for (int i = 0; i < p; i++) trial[i] = theta[i] + step * direction[i];
                trialValue = evaluate(trial, trialGrad);
                if (trialValue <= f + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted || !(trialValue < f)) break;
            double[] s = new double[p];
            double[] y = new double[p];
            for (int i = 0; i < p; i++) {
                s[i] = trial[i] - theta[i];
                y[i] = trialGrad[i] - grad[i];
            }
            if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                memory.addLast(new double[][] {s, y});
                if (memory.size() > MEMORY) memory.removeFirst();
            }
            System.arraycopy(trial, 0, theta, 0, p);
            System.arraycopy(trialGrad, 0, grad, 0, p);
            f = trialValue;
            iteration++;
            task.step(1);
        }
        float[] w = new float[classes * dims];
        float[] b = new float[classes];
        for (int i = 0; i < w.length; i++) w[i] = (float) theta[i];
        for (int c = 0; c < classes; c++) b[c] = (float) theta[classes * dims + c];
        return new Solution(Nd4j.create(w, new long[] {classes, dims}, 'c'), Nd4j.create(b, new long[] {classes}, 'c'),
                iteration, maxAbs(grad), f);
    }

    /** -H g by the two-loop recursion over the stored pairs (s, y), H_0 = (s^T y / y^T y) I. */
    private static double[] twoLoop(double[] grad, Deque<double[][]> memory) {
        double[] q = grad.clone();
        int m = memory.size();
        double[] alpha = new double[m];
        double[][][] pairs = memory.toArray(new double[0][][]);
        for (int j = m - 1; j >= 0; j--) {
            double rho = 1 / dot(pairs[j][1], pairs[j][0]);
            alpha[j] = rho * dot(pairs[j][0], q);
            axpy(-alpha[j], pairs[j][1], q);
        }
        if (m > 0) {
            double[] y = pairs[m - 1][1];
            double gamma = dot(pairs[m - 1][0], y) / dot(y, y);
            for (int i = 0; i < q.length; i++) q[i] *= gamma;
        }
        for (int j = 0; j < m; j++) {
            double rho = 1 / dot(pairs[j][1], pairs[j][0]);
            double beta = rho * dot(pairs[j][1], q);
            axpy(alpha[j] - beta, pairs[j][0], q);
        }
        return negate(q);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = -a[i];
        return out;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
