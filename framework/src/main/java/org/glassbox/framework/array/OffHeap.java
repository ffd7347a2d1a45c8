package org.glassbox.framework.array;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees the native memory of an ND4J array as soon as a computation is done with it. ND4J frees a
 * buffer only when the garbage collector finds its Java object, and the streaming passes allocate
 * tens of megabytes of native memory per batch against little Java heap, so without this the
 * process's memory follows the collector's schedule rather than the work (docs/performance.md,
 * "Memory").
 *
 * <p>An array is freed only when it holds a whole buffer (not a part of one, not in a workspace, not
 * a constant) and that memory does not overlap the memory of any array the caller still uses. ND4J's
 * reshape of a whole array is a view that cannot be closed itself but covers the whole buffer of the
 * array it was made from; the stages hand on their outputs in that form, so freeing it frees that
 * buffer. The caller must not use a freed array, nor another array over the same buffer, again
 * (ND4J then reads freed memory).
 */
public final class OffHeap {
    private OffHeap() {
    }

    /**
     * Frees the buffer of {@code done} when {@code done} holds a whole buffer (its own, or all of the
     * buffer it is a reshape of) that shares no memory with the arrays {@code kept}; returns whether
     * it did. Null arrays are allowed (nothing to free or keep).
     */
    public static boolean free(INDArray done, INDArray... kept) {
        if (done == null || done.isEmpty() || done.wasClosed()) return false;
        DataBuffer buffer = wholeBuffer(done);
        if (buffer == null) return false;
        for (INDArray k : kept) {
            if (k != null && sharesMemory(done, k)) return false;
        }
        if (done.closeable()) {
            done.close();
        } else {
            buffer.close();
        }
        return true;
    }

    /**
     * {@link #free} of each array of {@code done} that shares no memory with {@code kept} nor with
     * the arrays after it in {@code done}, so that memory two of them share is freed once, with the
     * last of them. Null arrays are allowed.
     */
    public static void freeAll(List<INDArray> done, INDArray... kept) {
        for (int i = 0; i < done.size(); i++) {
            List<INDArray> keep = new ArrayList<>(done.subList(i + 1, done.size()));
            keep.addAll(Arrays.asList(kept));
            free(done.get(i), keep.toArray(new INDArray[0]));
        }
    }

    /**
     * Whether the native memory of {@code a} and {@code b} overlaps: the address ranges of their
     * buffers, each widened to the buffer it was cut from, intersect. An empty or closed array has
     * no memory.
     */
    static boolean sharesMemory(INDArray a, INDArray b) {
        if (a == b) return !a.isEmpty() && !a.wasClosed();
        if (a.isEmpty() || b.isEmpty() || a.wasClosed() || b.wasClosed()) return false;
        return overlaps(a.data(), b.data()) || overlaps(a.data(), root(b.data())) || overlaps(root(a.data()), b.data())
                || overlaps(root(a.data()), root(b.data()));
    }

    /**
     * The buffer whose memory is exactly that of {@code a}: its own when {@code a} owns it
     * ({@link INDArray#closeable()}), the buffer it was made from when {@code a} is a view over all
     * of that buffer from its start (a reshape of a whole array), else null.
     */
    private static DataBuffer wholeBuffer(INDArray a) {
        if (a.closeable()) return a.data();
        DataBuffer root = a.data().originalDataBuffer();
        if (root == null || a.isAttached() || !root.closeable() || a.offset() != 0 || a.length() != root.length()
                || a.data().address() != root.address()) {
            return null;
        }
        return root;
    }

    private static DataBuffer root(DataBuffer b) {
        return b.originalDataBuffer() != null ? b.originalDataBuffer() : b;
    }

    private static boolean overlaps(DataBuffer a, DataBuffer b) {
        if (a == b) return true;
        long a0 = a.address();
        long a1 = a0 + a.length() * a.getElementSize();
        long b0 = b.address();
        long b1 = b0 + b.length() * b.getElementSize();
        return a0 < b1 && b0 < a1;
    }
}
