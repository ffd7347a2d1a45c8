package org.glassbox.layers.sparse;

import java.util.Arrays;

/**
 * The entries with the largest keys among those offered, at most {@code limit} of them; among
 * equal keys the lower index wins, and a key &lt;= 0 is never kept. Keys are ints (the callers
 * pass IEEE bit patterns of non-negative floats, which are ordered like the floats themselves and
 * compare much faster in compiled Java).
 *
 * <p>A binary min-heap (Williams, "Algorithm 232: Heapsort", CACM 7(6), 1964) of {@code limit}
 * longs whose root is the entry to evict next. Entry (key, j) is stored as
 * {@code key * 2^32 + (2^31 - 1 - j)}, so one comparison of longs orders by key and then by
 * lower index. The heap starts full of the value 2^31 - 1, which every entry with a positive key
 * beats and no other entry does: an offer is one comparison with the root and, when it wins, one
 * sift down, never a separate growing phase. One instance is reused, not shared between threads.
 */
final class LargestKeys {
    private static final long EMPTY = Integer.MAX_VALUE;

    /** The heap {@code [capacity]}, of which the first {@code limit} entries are in use. */
    private final long[] heap;
    private int limit;

    /** @param capacity the largest {@code limit} that {@link #reset} will be given */
    LargestKeys(int capacity) {
        heap = new long[capacity];
    }

    /** Empties the heap and sets how many entries it keeps, at most the capacity. */
    void reset(int newLimit) {
        limit = newLimit;
        Arrays.fill(heap, 0, limit, EMPTY);
    }

    /** Offers entry {@code j}, 0 &lt;= j &lt; 2^31, with {@code key}; kept when positive and among the largest so far. */
    void offer(int key, int j) {
        long entry = ((long) key << 32) | (Integer.MAX_VALUE - j);
        if (limit > 0 && entry > heap[0]) {
            siftDown(entry);
        }
    }

    /**
     * The smallest key an entry offered now can be kept with: 0 while fewer than {@code limit}
     * positive keys are kept (and then only a positive key is kept), else the smallest kept key,
     * which a later entry with an equal key beats only with a lower index; no key at all with a
     * limit of 0. Callers that offer in increasing index order may thus skip every key that does
     * not exceed the floor.
     */
    int floor() {
        return limit == 0 ? Integer.MAX_VALUE : (int) (heap[0] >>> 32);
    }

    /**
     * Writes the indices of the kept entries into {@code into}, in no particular order.
     *
     * @return how many were kept: {@code limit}, or fewer when fewer positive keys were offered
     */
    int kept(int[] into) {
        int count = 0;
        for (int s = 0; s < limit; s++) {
            if (heap[s] > EMPTY) {
                into[count++] = Integer.MAX_VALUE - (int) heap[s];
            }
        }
        return count;
    }

    /** Replaces the root by {@code entry} and restores the heap. */
    private void siftDown(long entry) {
        int i = 0;
        for (int child = 1; child < limit; child = 2 * i + 1) {
            if (child + 1 < limit && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= entry) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }
}
