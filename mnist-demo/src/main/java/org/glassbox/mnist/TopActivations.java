package org.glassbox.mnist;

import java.util.PriorityQueue;
import org.glassbox.framework.layer.Trace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * For every atom of one sparse-coding stage, the {@link #TOP} positions (over all samples of a
 * pass) where its coefficient is largest, collected from traced batches in one streaming pass.
 * A position is numbered {@code sample * gridH * gridW + y * gridW + x}.
 */
final class TopActivations {
    /** Positions kept per atom. */
    static final int TOP = 32;

    private final String codeName;
    private PriorityQueue<long[]>[] heaps;
    private int gridW;
    private int positions;

    /** Collects from the trace entry {@code codeName}, such as {@code L2.code}. */
    TopActivations(String codeName) {
        this.codeName = codeName;
    }

    /** Adds a traced batch whose first sample has index {@code offset}. */
    @SuppressWarnings("unchecked")
    void add(Trace trace, long offset) {
        INDArray codes = trace.get(codeName);
        int n = (int) codes.size(0);
        int k = (int) codes.size(3);
        gridW = (int) codes.size(2);
        positions = (int) (codes.size(1) * codes.size(2));
        if (heaps == null) {
            heaps = new PriorityQueue[k];
            for (int a = 0; a < k; a++) {
                heaps[a] = new PriorityQueue<>((x, y) -> Float.compare(Float.intBitsToFloat((int) x[1]),
                        Float.intBitsToFloat((int) y[1])));
            }
        }
        float[] c = codes.dup('c').data().asFloat();
        for (int i = 0; i < n * positions; i++) {
            for (int a = 0; a < k; a++) {
                float v = c[i * k + a];
                if (v <= 0) continue;
                PriorityQueue<long[]> heap = heaps[a];
                if (heap.size() < TOP) {
                    heap.add(new long[] {offset * positions + i, Float.floatToIntBits(v)});
                } else if (v > Float.intBitsToFloat((int) heap.peek()[1])) {
                    heap.poll();
                    heap.add(new long[] {offset * positions + i, Float.floatToIntBits(v)});
                }
            }
        }
    }

    /** The number of atoms seen. */
    int atoms() {
        return heaps == null ? 0 : heaps.length;
    }

    /** Grid width of the code map. */
    int gridW() {
        return gridW;
    }

    /** Grid positions per sample. */
    int positionsPerSample() {
        return positions;
    }

    /** The strongest positions of atom {@code a} (at most {@link #TOP}; fewer when it rarely fires). */
    long[] positions(int a) {
        return heaps[a].stream().mapToLong(e -> e[0]).sorted().toArray();
    }
}
