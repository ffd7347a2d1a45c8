package org.glassbox.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.data.IdxFormat;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The file readers of the framework (IDX and .npy) fed seeded random bytes, random truncations
 * and random single-byte mutations of small valid files, some of the results gzipped: each read
 * must succeed with consistent sizes or throw a {@link GlassboxException} naming the file, never
 * another Throwable, and allocate at most {@link #MAX_ALLOCATED} bytes. Case i is drawn from
 * {@code new SplittableRandom(i)}, so a failure names the case that reproduces it.
 */
class HostileFilesPropertyTest {
    static final int CASES = 400;
    /** The most a read of these files (under 200 bytes) may allocate on the heap: buffers and one IDX chunk, with room. */
    static final long MAX_ALLOCATED = 8L << 20;

    @TempDir
    Path dir;

    /** What the generator made of one case. */
    record Case(String kind, byte[] bytes) {
    }

    /**
     * Case {@code i}: random bytes (the first k of them copied from a valid file), a valid file cut
     * short, or a valid file with one byte changed; a quarter of them gzipped afterwards.
     */
    static Case hostile(int i, List<byte[]> valid) throws IOException {
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
        return new Case(kind, b);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /**
     * Runs {@link #CASES} cases through {@code read}, requiring that each allocates at most
     * {@link #MAX_ALLOCATED} bytes on the heap and that a refusal's message names the file;
     * returns how many were read and how many refused.
     */
    private int[] run(List<byte[]> valid, Consumer<Path> read) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int[] outcomes = new int[2];
        Path f = dir.resolve("case");
        for (int i = 0; i < CASES; i++) {
            Case c = hostile(i, valid);
            Files.write(f, c.bytes());
            String name = "case " + i + " (" + c.kind() + ")";
            long before = threads.getThreadAllocatedBytes(thread);
            try {
                read.accept(f);
                outcomes[0]++;
            } catch (GlassboxException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), name + ": " + e.getMessage());
                outcomes[1]++;
            } catch (Throwable t) {
                fail(name + " threw " + t, t);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated <= MAX_ALLOCATED, name + " allocated " + allocated + " bytes");
        }
        return outcomes;
    }

    @Test
    void idxReadersGiveConsistentDataOrAGlassboxException() throws IOException {
        byte[] pixels = new byte[5 * 4 * 3];
        new Random(1).nextBytes(pixels);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        IdxFormat.writeImages(images, 5, 4, 3, pixels);
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        IdxFormat.writeLabels(labels, new byte[] {1, 2, 3, 4, 5});
        List<byte[]> valid = List.of(images.toByteArray(), labels.toByteArray(), gzip(images.toByteArray()),
                gzip(labels.toByteArray()));
        int[] outcomes = run(valid, f -> {
            try {
                IdxFormat.Images read = IdxFormat.readImages(f);
                assertEquals((long) read.count() * read.rows() * read.cols(), read.pixels().length);
            } catch (GlassboxException notImages) {
                assertTrue(IdxFormat.readLabels(f).length > 0);
            }
        });
        assertTrue(outcomes[0] > 10 && outcomes[1] > 10, "read " + outcomes[0] + ", refused " + outcomes[1]);
    }

    @Test
    void npyReaderGivesConsistentArraysOrAGlassboxException() throws IOException {
        Nd4j.getRandom().setSeed(2);
        List<byte[]> valid = List.of(Npy.toBytes(Nd4j.rand(DataType.FLOAT, 3, 4)), Npy.toBytes(Nd4j.rand(DataType.DOUBLE, 5)),
                Npy.toBytes(Nd4j.createFromArray(new int[][] {{1, -2}, {3, 4}})));
        int[] outcomes = run(valid, f -> {
            INDArray a = Npy.read(f);
            assertEquals(Arrays.stream(a.shape()).reduce(1, (x, y) -> x * y), a.length());
        });
        assertTrue(outcomes[0] > 10 && outcomes[1] > 10, "read " + outcomes[0] + ", refused " + outcomes[1]);
    }
}
