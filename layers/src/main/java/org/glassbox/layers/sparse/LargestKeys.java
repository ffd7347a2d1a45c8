package org.glassbox.layers.sparse;

/**
 * The entries with the largest keys among those offered, at most {@code limit} of them: a
 * bounded binary min-heap of (key, index) pairs whose root is the entry to evict next. Keys are
 * ints (the encoders pass IEEE bit patterns of non-negative floats, which are ordered like the
 * floats themselves and compare much faster in compiled Java); a key &lt;= 0 is never kept; among
 * equal keys the lower index wins. One instance is reused, not shared between threads.
 */
final class LargestKeys {
    private final int[] keys;
    private final int[] index;
    private int limit;
    private int size;

    /** @param capacity the largest {@code limit} that {@link #reset} will be given */
    LargestKeys(int capacity) {
        keys = new int[capacity];
        index = new int[capacity];
    }

    /** Empties the heap and sets how many entries it keeps, at most the capacity. */
    void reset(int newLimit) {
        limit = newLimit;
        size = 0;
    }

    /** Offers entry {@code j} with {@code key}; kept when positive and among the largest so far. */
    void offer(int key, int j) {
        if (key <= 0) {
            return;
        }
        if (size < limit) {
            siftUp(key, j);
            size++;
        } else if (size > 0 && before(keys[0], index[0], key, j)) {
            siftDown(key, j);
        }
    }

    /**
     * The key an entry offered now must exceed to be kept: 0 while fewer than {@code limit} are
     * kept, else the smallest kept key (and no key at all with a limit of 0). Entries are offered in increasing index order by the
     * encoders, so a later entry with an equal key would lose the tie anyway; the check lets a
     * caller skip the call for most entries.
     */
    int floor() {
        return limit == 0 ? Integer.MAX_VALUE : size < limit ? 0 : keys[0];
    }

    /** The number of entries kept. */
    int size() {
        return size;
    }

    /** The index of kept entry {@code s}, {@code 0 <= s < size()}, in heap order. */
    int index(int s) {
        return index[s];
    }

    /** The heap order: smaller key first, and among equal keys the higher index first. */
    private static boolean before(int key1, int index1, int key2, int index2) {
        return key1 < key2 || (key1 == key2 && index1 > index2);
    }

    /** Entry {@code from} moves to slot {@code to}. */
    private void move(int to, int from) {
        keys[to] = keys[from];
        index[to] = index[from];
    }

    /** Appends (key, j) as entry {@code size} and restores the heap. */
    private void siftUp(int key, int j) {
        int i = size;
        for (int parent = (i - 1) >>> 1; i > 0 && before(key, j, keys[parent], index[parent]); parent = (i - 1) >>> 1) {
            move(i, parent);
            i = parent;
        }
        keys[i] = key;
        index[i] = j;
    }

    /** Replaces the root by (key, j) and restores the heap. */
    private void siftDown(int key, int j) {
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
            move(i, child);
            i = child;
        }
        keys[i] = key;
        index[i] = j;
    }
}
