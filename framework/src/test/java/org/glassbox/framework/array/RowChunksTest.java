package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class RowChunksTest {
    @Test
    void everyRowIsInExactlyOneChunkOfAtMostTheSize() {
        for (int rows : new int[] {0, 1, 7, 64, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(rows);
            RowChunks.forEach(rows, 64, (from, to) -> {
                assertEquals(true, to > from && to - from <= 64 && from % 64 == 0, "chunk [" + from + ", " + to + ")");
                for (int r = from; r < to; r++) seen.incrementAndGet(r);
            });
            for (int r = 0; r < rows; r++) assertEquals(1, seen.get(r), "row " + r + " of " + rows);
        }
    }

    @Test
    void aChunkSizeBelowOneIsRejected() {
        assertEquals("chunk size 0 (expected at least 1)",
                assertThrows(IllegalArgumentException.class, () -> RowChunks.forEach(10, 0, (from, to) -> { })).getMessage());
    }
}
