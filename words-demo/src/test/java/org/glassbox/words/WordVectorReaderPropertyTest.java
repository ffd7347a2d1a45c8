package org.glassbox.words;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WordVectorReader} fed seeded random bytes, random truncations and random single-byte
 * mutations of small GloVe and word2vec files, a quarter of them gzipped, under a name ending in
 * .txt or .txt.gz at random (so gzip and plain text also meet the wrong name): each read must give
 * vectors of a consistent shape or throw a {@link GlassboxException} naming the file, never another
 * Throwable, and allocate at most {@link #MAX_ALLOCATED} bytes. Case i is drawn from
 * {@code new SplittableRandom(i)}.
 */
class WordVectorReaderPropertyTest {
    static final int CASES = 400;
    /** The most a read of these files (under 200 bytes) may allocate on the heap: the line buffers and the vectors, with room. */
    static final long MAX_ALLOCATED = 16L << 20;

    @TempDir
    Path dir;

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void readerGivesConsistentVectorsOrAGlassboxException() throws IOException {
        List<byte[]> valid = List.of(
                "the 0.1 -0.2 0.3\n, 1e-3 2 -3.5\nof 4 5 6\nand 0 0 1\nto -1 -1 -1\n".getBytes(StandardCharsets.UTF_8),
                "3 2\ncat 1 2\ndog 3 4\nbird\t5\t6\n".getBytes(StandardCharsets.UTF_8),
                "café 1 2\r\nnaïve 3 4\r\n".getBytes(StandardCharsets.UTF_8));
        // The first read loads ND4J, which allocates tens of MB once: done before anything is measured.
        WordVectorReader.read(Files.write(dir.resolve("valid.txt"), valid.get(0)), 10);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int read = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            SplittableRandom rng = new SplittableRandom(i);
            byte[] base = valid.get(rng.nextInt(valid.size()));
            String kind;
            byte[] b;
            switch (rng.nextInt(3)) {
                case 0 -> {
                    b = new byte[rng.nextInt(2 * base.length + 1)];
                    rng.nextBytes(b);
                    int k = rng.nextInt(Math.min(b.length, base.length) + 1);
                    System.arraycopy(base, 0, b, 0, k);
                    kind = "random bytes after " + k + " valid ones";
                }
                case 1 -> {
                    b = Arrays.copyOf(base, rng.nextInt(base.length));
                    kind = "cut to " + b.length + " bytes";
                }
                default -> {
                    b = base.clone();
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 + rng.nextInt(255));
                    kind = "byte " + at + " changed";
                }
            }
            if (rng.nextInt(4) == 0) {
                b = gzip(b);
                kind += ", gzipped";
            }
            Path f = dir.resolve(i + (rng.nextBoolean() ? ".txt" : ".txt.gz"));
            Files.write(f, b);
            String name = "case " + i + " (" + kind + ", " + f.getFileName() + ")";
            int limit = 1 + rng.nextInt(10);
            long before = threads.getThreadAllocatedBytes(thread);
            try {
                WordVectors v = WordVectorReader.read(f, limit);
                assertTrue(v.size() >= 1 && v.size() <= limit, name);
                assertArrayEquals(new long[] {v.size(), v.dimension()}, v.vectors().shape(), name);
                read++;
            } catch (GlassboxException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), name + ": " + e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail(name + " threw " + t, t);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated <= MAX_ALLOCATED, name + " allocated " + allocated + " bytes");
        }
        assertTrue(read > 10 && refused > 10, "read " + read + ", refused " + refused);
    }
}
