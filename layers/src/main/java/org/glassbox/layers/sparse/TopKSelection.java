package org.glassbox.layers.sparse;

import java.util.Arrays;

/**
 * Chooses, in one row of K correlations, the k entries of largest key, ties to the lower index:
 * the selection of the top-k and 1-sparse encoders. A row arrives as the IEEE bit patterns of its
 * float32 correlations; the key of pattern {@code bits} is that of |c|, {@code bits & 0x7fffffff}
 * (with {@code nonNegative}: {@code bits} for c &gt; 0 and 0 otherwise). Bit patterns of
 * non-negative floats are ordered like the floats, and a key of 0 is never chosen.
 *
 * <p>The selection is exact and reads the row about once, in three steps:
 * <ol>
 *   <li>Lane maxima. The row is split into B lanes, lane b holding the entries j = b (mod B), B a
 *       power of two, and every lane's largest key m_b is found by a halving tree: u = keys[0, P)
 *       for P the largest power of two &lt;= K, keys[P, K) folded into u[0, K - P), then
 *       u[j] = max(u[j], u[j + h]) for h = P/2, P/4, ..., B. Every step is an element-wise loop
 *       over two arrays at the same index, which HotSpot's C2 compiles to vector instructions;
 *       the second operand is first copied out with {@link System#arraycopy}, because C2 in Java
 *       17 vectorises neither a loop that reads one array at two offsets apart by a variable nor
 *       {@code Math.max} on ints, so max(u, v) is u - ((u - v) &amp; ((u - v) &gt;&gt; 31)),
 *       exact for non-negative ints.</li>
 *   <li>Bound. The lanes are sorted by maximum, and t = the k-th largest m_b. k lanes each hold a
 *       key &gt;= t, so the row's k-th largest key is &gt;= t: no entry with a smaller key is
 *       chosen, and no lane whose maximum is smaller is read again.</li>
 *   <li>Exact choice. Lane by lane, largest maximum first, the keys &gt;= max(t, 1) are offered to
 *       a bounded heap ({@link LargestKeys}) that keeps the k largest, ties to the lower index;
 *       the threshold rises with the heap's smallest kept key, and the walk stops at the first
 *       lane whose maximum is below it. Taking the lanes in this order fills the heap with large
 *       keys first, so few later keys displace one (each displacement is a sift down).</li>
 * </ol>
 * B = the smallest power of two &gt;= max(16, 2k), at most P: the sort then costs little, and
 * the lanes that reach t are about k of K / B entries each; on real whitened patches it is the
 * fastest of B = 16 ... 256.
 * Skipping the blocks whose maximum cannot reach the current threshold is the idea of block-max
 * indexes for top-k retrieval (Ding and Suel, "Faster top-k document retrieval using block-max
 * indexes", SIGIR 2011).
 *
 * <p>For k = 1 a plain scan is used instead ({@link #selectLargest}). One instance holds its
 * scratch arrays and is used by one thread at a time.
 */
final class TopKSelection {
    private final int atoms;
    private final int k;
    private final boolean nonNegative;
    /** P, the largest power of two &lt;= K. */
    private final int power;
    /** B, the number of lanes. */
    private final int lanes;
    /** The halving tree's running maxima {@code [P]}; its first B entries end as the lane maxima. */
    private final int[] maxima;
    /** The second operand of each halving step {@code [P]}. */
    private final int[] operand;
    /** The lanes as (m_b, b) packed into longs, m_b * 2^32 + b, sorted by maximum {@code [B]}. */
    private final long[] byMaximum;
    private final LargestKeys largest;

    /**
     * @param atoms K, the length of a row, at least 1
     * @param k how many entries to choose, 1 &lt;= k &lt;= K
     * @param nonNegative whether only positive correlations are chosen
     */
    TopKSelection(int atoms, int k, boolean nonNegative) {
        this.atoms = atoms;
        this.k = k;
        this.nonNegative = nonNegative;
        this.power = Integer.highestOneBit(atoms);
        this.lanes = Math.min(power, Integer.highestOneBit(Math.max(16, 2 * k) - 1) << 1);
        // k = 1 scans the row once (selectLargest) and needs no lanes
        int scratch = k == 1 ? 0 : power;
        this.maxima = new int[scratch];
        this.operand = new int[scratch];
        this.byMaximum = new long[k == 1 ? 0 : lanes];
        this.largest = new LargestKeys(k);
    }

    /**
     * Chooses the entries of one row.
     *
     * @param bits the bit patterns of the row's correlations {@code [K]}
     * @param chosen receives the chosen entries' indices, in no particular order {@code [k]}
     * @return how many entries were chosen: k, or fewer when fewer than k keys are non-zero
     */
    int select(int[] bits, int[] chosen) {
        if (k == 1) {
            return selectLargest(bits, chosen);
        }
        laneMaxima(bits);
        for (int b = 0; b < lanes; b++) {
            byMaximum[b] = ((long) maxima[b] << 32) | b;
        }
        Arrays.sort(byMaximum);
        // the bound is 0 when there are fewer than k lanes; zero keys are never offered
        int threshold = Math.max(lanes < k ? 0 : (int) (byMaximum[lanes - k] >>> 32), 1);
        largest.reset(k);
        for (int r = lanes - 1; r >= 0 && (int) (byMaximum[r] >>> 32) >= threshold; r--) {
            for (int j = (int) byMaximum[r]; j < atoms; j += lanes) {
                int key = key(bits[j], nonNegative);
                if (key >= threshold) {
                    largest.offer(key, j);
                    threshold = Math.max(threshold, largest.floor());
                }
            }
        }
        for (int s = 0; s < largest.size(); s++) {
            chosen[s] = largest.index(s);
        }
        return largest.size();
    }

    /**
     * k = 1: one scan in index order that remembers the first largest key. Its branch is rarely
     * taken and well predicted; at K = 1,024 it takes about 0.8 of the lanes' time, and at K =
     * 4,096 the two are within the noise.
     */
    private int selectLargest(int[] bits, int[] chosen) {
        int best = -1;
        int bestKey = 0;
        for (int j = 0; j < atoms; j++) {
            int key = key(bits[j], nonNegative);
            if (key > bestKey) {
                bestKey = key;
                best = j;
            }
        }
        chosen[0] = best;
        return best >= 0 ? 1 : 0;
    }

    /** Leaves the largest key of lane b in {@code maxima[b]}, for b &lt; B (step 1). */
    private void laneMaxima(int[] bits) {
        for (int j = 0; j < power; j++) {
            maxima[j] = key(bits[j], nonNegative);
        }
        System.arraycopy(bits, power, operand, 0, atoms - power);
        for (int j = 0; j < atoms - power; j++) {
            maxima[j] = larger(maxima[j], key(operand[j], nonNegative));
        }
        for (int h = power / 2; h >= lanes; h /= 2) {
            System.arraycopy(maxima, h, operand, 0, h);
            for (int j = 0; j < h; j++) {
                maxima[j] = larger(maxima[j], operand[j]);
            }
        }
    }

    /** The key of one bit pattern (class comment); also the LASSO solver's first working set. */
    static int key(int bits, boolean nonNegative) {
        return nonNegative ? bits & ~(bits >> 31) : bits & 0x7fffffff;
    }

    /** max(u, v) for non-negative ints, without a comparison, so that C2 vectorises it. */
    private static int larger(int u, int v) {
        int d = u - v;
        return u - (d & (d >> 31));
    }
}
