package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** FileMapSource: the samples of a source in chunk files, read back in order and deleted by close. */
class FileMapSourceTest {
    @TempDir
    Path tmp;

    private static INDArray maps(long n) {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.rand(DataType.FLOAT, n, 2, 3, 4);
    }

    @Test
    void givesBackEverySampleInOrderAcrossChunksAndBatches() throws IOException {
        INDArray all = maps(70);
        long[] written = new long[1];
        Path dir = tmp.resolve("features");
        try (FileMapSource files = FileMapSource.write(dir, MapSource.of(all), 16, 9, n -> written[0] += n)) {
            assertEquals(70, written[0]);
            assertEquals(new MapShape(2, 3, 4), files.shape());
            assertEquals(70, files.samples());
            try (var paths = Files.list(dir)) {
                assertEquals(5, paths.count(), "chunks of 16, 16, 16, 16 and 6 samples");
            }
            assertEquals(6L * 24 * Float.BYTES, Files.size(dir.resolve("chunk-4.f32")));
            for (int batchSize : new int[] {5, 16, 100}) {
                List<Long> offsets = new ArrayList<>();
                files.forEachBatch(batchSize, (batch, offset) -> {
                    offsets.add(offset);
                    INDArray expected = all.get(NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all());
                    assertArrayEquals(expected.dup('c').data().asFloat(), batch.dup('c').data().asFloat(), 0f);
                    assertTrue(batch.size(0) <= batchSize);
                });
                assertEquals(0L, offsets.get(0));
                assertEquals(batchSize == 5 ? 4 * 4 + 2 : 5, offsets.size(), "batches never span two chunks");
            }
        }
        assertFalse(Files.exists(dir), "close deletes the chunk files and their folder");
    }

    @Test
    void writesOnlyIntoANewFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("taken"));
        Path mine = Files.writeString(dir.resolve("mine.txt"), "kept");
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> FileMapSource.write(dir, MapSource.of(maps(3)), 2, 2, n -> { }));
        assertEquals(dir + ": exists; the chunk files of a map source go into a new folder", e.getMessage());
        assertEquals("kept", Files.readString(mine));
    }

    @Test
    void aChunkFileOfTheWrongSizeIsRefusedBeforeItIsRead() throws IOException {
        Path dir = tmp.resolve("cut");
        try (FileMapSource files = FileMapSource.write(dir, MapSource.of(maps(5)), 4, 4, n -> { })) {
            Files.write(dir.resolve("chunk-1.f32"), new byte[8]);
            GlassboxException e = assertThrows(GlassboxException.class, () -> files.forEachBatch(4, (batch, offset) -> { }));
            assertEquals(dir.resolve("chunk-1.f32") + ": 8 bytes, expected 96 (1 samples of " + new MapShape(2, 3, 4) + ")",
                    e.getMessage());
        }
    }
}
