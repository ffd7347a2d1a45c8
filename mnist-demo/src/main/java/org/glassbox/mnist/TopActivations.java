package org.glassbox.mnist;

import java.util.PriorityQueue;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.SparseOutput;

/**
 * For every atom of one sparse-coding stage, the {@link #TOP} positions (over all samples of a
 * pass) where its coefficient is largest, collected from the codes of each batch in one streaming pass.
 * A position is numbered {@code sample * gridH * gridW + y * gridW + x}.
 */
final class TopActivations {
    /** Positions kept per atom. */
    static final int TOP = 32;

    private final String codeName;
    private PriorityQueue<long[]>[] heaps;
    private int gridW;
    private int positions;

    /** Collects from the codes of the stage {@code codeName}, such as {@code L2.code}. */
    TopActivations(String codeName) {
        this.codeName = codeName;
    }

    /**
     * Adds the codes of one batch whose first sample has index {@code offset} when {@code stage} is
     * the stage this collects from.
     */
    @SuppressWarnings("unchecked")
    void add(SparseOutput stage, SparseRows codes, long offset) {
        if (!stage.id().equals(codeName)) return;
        int k = codes.columns();
        gridW = stage.outputShape().gridW();
        positions = stage.outputShape().positions();
        if (heaps == null) {
            heaps = new PriorityQueue[k];
            for (int a = 0; a < k; a++) {
                heaps[a] = new PriorityQueue<>((x, y) -> Float.compare(Float.intBitsToFloat((int) x[1]),
                        Float.intBitsToFloat((int) y[1])));
            }
        }
        for (int i = 0; i < codes.rows(); i++) {
            for (int u = codes.start()[i]; u < codes.start()[i + 1]; u++) {
                float v = codes.value()[u];
                if (v <= 0) continue;
                PriorityQueue<long[]> heap = heaps[codes.index()[u]];
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
