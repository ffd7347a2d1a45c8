package org.glassbox.framework.array;

import java.util.stream.IntStream;

/**
 * Work on rows that are independent of each other, in chunks of consecutive rows run on the
 * common fork-join pool: each chunk sees only its own rows, so the result does not depend on how
 * the chunks are scheduled.
 */
public final class RowChunks {
    private RowChunks() {
    }

    /** Work on rows {@code [from, to)}. */
    @FunctionalInterface
    public interface Chunk {
        void rows(int from, int to);
    }

    /** Runs {@code chunk} on rows {@code [0, rows)} in chunks of {@code size} rows (the last may be shorter). */
    public static void forEach(int rows, int size, Chunk chunk) {
        if (size < 1) throw new IllegalArgumentException("chunk size " + size + " (expected at least 1)");
        IntStream.range(0, (rows + size - 1) / size).parallel()
                .forEach(c -> chunk.rows(c * size, Math.min(rows, (c + 1) * size)));
    }
}
