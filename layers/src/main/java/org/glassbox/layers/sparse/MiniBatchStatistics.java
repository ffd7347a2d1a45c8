package org.glassbox.layers.sparse;

import java.io.Serializable;
import org.glassbox.framework.error.GlassboxException;

/**
 * The sufficient statistics of one mini-batch of online dictionary learning (Mairal, Bach, Ponce
 * and Sapiro, JMLR 2010, Algorithm 1 with the mini-batch extension of section 3.4.3), for the
 * vectors x_i of (a part of) the batch and their codes a_i under the round's dictionary D:
 *
 * <pre>
 *   A_part = sum_i a_i a_i^T                  [K, K]   float64
 *   B_part = sum_i a_i x_i^T                  [K, d]   float64
 *   active_k = #{i : a_ik != 0}               [K]
 *   worst: the keepWorst vectors of largest ||r_i||^2, r_i = x_i - a_i D, with their residuals
 * </pre>
 *
 * Statistics of disjoint parts of a batch add ({@link #plus}): A, B, the counts and the row count
 * sum, and the worst lists merge by keeping the largest norms, ties broken by the smaller batch
 * position, so the merged list does not depend on how the batch was split. The learner then
 * applies the summed statistics ({@link DictionaryLearner}).
 *
 * <p>Serializable only to travel between the tasks of a distributed fit.
 */
public final class MiniBatchStatistics implements Serializable {
    private static final long serialVersionUID = 1L;

    final int atoms;
    final int dimension;
    final long rows;
    final double[] a;
    final double[] b;
    final long[] active;
    final double[] eigenvector;
    final int keepWorst;
    /** Batch positions of the kept vectors, worst first. */
    final int[] worstPosition;
    /** ||r||^2 of the kept vectors, non-increasing. */
    final double[] worstNorm;
    /** The kept residuals, {@code [worstPosition.length * d]} row-major. */
    final float[] worstResidual;

    MiniBatchStatistics(int atoms, int dimension, long rows, double[] a, double[] b, long[] active,
            double[] eigenvector, int keepWorst, int[] worstPosition, double[] worstNorm, float[] worstResidual) {
        this.atoms = atoms;
        this.dimension = dimension;
        this.rows = rows;
        this.a = a;
        this.b = b;
        this.active = active;
        this.eigenvector = eigenvector;
        this.keepWorst = keepWorst;
        this.worstPosition = worstPosition;
        this.worstNorm = worstNorm;
        this.worstResidual = worstResidual;
    }

    /** How many vectors these statistics cover. */
    public long rows() {
        return rows;
    }

    /** A_part = sum a a^T, {@code [K * K]} row-major (a copy). */
    public double[] a() {
        return a.clone();
    }

    /** B_part = sum a x^T, {@code [K * d]} row-major (a copy). */
    public double[] b() {
        return b.clone();
    }

    /** The statistics of both parts together (neither is changed); both must come from the same round. */
    public MiniBatchStatistics plus(MiniBatchStatistics other) {
        if (other.atoms != atoms || other.dimension != dimension || other.keepWorst != keepWorst) {
            throw new GlassboxException("statistics of different rounds: " + atoms + " x " + dimension + " (keep "
                    + keepWorst + ") and " + other.atoms + " x " + other.dimension + " (keep " + other.keepWorst + ")");
        }
        double[] sa = new double[a.length];
        for (int i = 0; i < sa.length; i++) sa[i] = a[i] + other.a[i];
        double[] sb = new double[b.length];
        for (int i = 0; i < sb.length; i++) sb[i] = b[i] + other.b[i];
        long[] sActive = new long[atoms];
        for (int k = 0; k < atoms; k++) sActive[k] = active[k] + other.active[k];
        int count = Math.min(keepWorst, worstPosition.length + other.worstPosition.length);
        int[] position = new int[count];
        double[] norm = new double[count];
        float[] residual = new float[count * dimension];
        int p = 0;
        int q = 0;
        for (int i = 0; i < count; i++) {
            boolean mine = q == other.worstPosition.length || p < worstPosition.length && worse(worstNorm[p],
                    worstPosition[p], other.worstNorm[q], other.worstPosition[q]);
            MiniBatchStatistics from = mine ? this : other;
            int at = mine ? p++ : q++;
            position[i] = from.worstPosition[at];
            norm[i] = from.worstNorm[at];
            System.arraycopy(from.worstResidual, at * dimension, residual, i * dimension, dimension);
        }
        return new MiniBatchStatistics(atoms, dimension, rows + other.rows, sa, sb, sActive,
                eigenvector != null ? eigenvector : other.eigenvector, keepWorst, position, norm, residual);
    }

    /** Whether the vector (norm n1, position p1) comes before (n2, p2): larger norm first, then smaller position. */
    static boolean worse(double n1, int p1, double n2, int p2) {
        return n1 != n2 ? n1 > n2 : p1 < p2;
    }
}
