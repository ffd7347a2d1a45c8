package org.glassbox.framework.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile IDX files, built here: headers that declare more data than the file holds, more than
 * {@link IdxFormat#MAX_DATA_BYTES}, or less than it holds. Each is refused with a message naming
 * the file, and the reads that are refused for their size allocate a few MiB at most, as measured
 * by the JVM's per-thread allocation counter.
 */
class IdxFormatTest {
    /** What a refused read may allocate: the stream buffers and one chunk, with room to spare. */
    static final long FEW_MIB = 4L << 20;

    @TempDir
    Path dir;

    /** The big-endian int32 {@code ints} followed by {@code body}. */
    static byte[] idx(byte[] body, int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length + body.length);
        for (int v : ints) b.putInt(v);
        return b.put(body).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Runs {@code read}, which must throw a GlassboxException, and returns it with the bytes this thread allocated meanwhile. */
    static Refusal refusal(Supplier<?> read) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        GlassboxException e = assertThrows(GlassboxException.class, read::get);
        return new Refusal(e.getMessage(), threads.getThreadAllocatedBytes(id) - before);
    }

    record Refusal(String message, long allocated) {
    }

    @Test
    void labelHeaderClaimingTwoToThe31MinusOneItemsWithA100ByteBodyIsTruncatedBeforeAllocating() throws IOException {
        Path f = file("train-labels-idx1-ubyte", idx(new byte[100], IdxFormat.LABELS_MAGIC, Integer.MAX_VALUE));
        Refusal r = refusal(() -> IdxFormat.readLabels(f));
        assertEquals(f + ": truncated IDX file: expected 2147483647 bytes of label data but found 100", r.message());
        assertTrue(r.allocated() < FEW_MIB, "allocated " + r.allocated());
    }

    @Test
    void imageHeaderClaiming2point7MillionDigitsWithA100ByteBodyIsTruncatedBeforeAllocating() throws IOException {
        Path f = file("train-images-idx3-ubyte", idx(new byte[100], IdxFormat.IMAGES_MAGIC, 2_700_000, 28, 28));
        Refusal r = refusal(() -> IdxFormat.readImages(f));
        assertEquals(f + ": truncated IDX file: expected 2116800000 bytes of image data but found 100", r.message());
        assertTrue(r.allocated() < FEW_MIB, "allocated " + r.allocated());
    }

    @Test
    void gzippedHeaderClaimingMoreThanTheStreamHoldsAllocatesOnlyWhatArrivesPlusOneChunk() throws IOException {
        byte[] body = new byte[3 * IdxFormat.CHUNK + 5];
        Path f = file("t10k-labels-idx1-ubyte.gz", gzip(idx(body, IdxFormat.LABELS_MAGIC, 500_000_000)));
        Refusal r = refusal(() -> IdxFormat.readLabels(f));
        assertEquals(f + ": truncated IDX file: expected 500000000 bytes of label data but found " + body.length,
                r.message());
        assertTrue(r.allocated() < body.length + IdxFormat.CHUNK + FEW_MIB, "allocated " + r.allocated());
    }

    @Test
    void gzippedHeaderClaimingMoreThanTheLimitIsRefusedWithWhatItNeeds() throws IOException {
        Path f = file("train-labels-idx1-ubyte.gz", gzip(idx(new byte[100], IdxFormat.LABELS_MAGIC, Integer.MAX_VALUE)));
        Refusal r = refusal(() -> IdxFormat.readLabels(f));
        assertEquals(f + ": the header declares 2147483647 bytes of label data, more than the 536870912 bytes "
                + "Glassbox reads from one IDX file", r.message());
        assertTrue(r.allocated() < FEW_MIB, "allocated " + r.allocated());
    }

    /** A valid header and its data followed by 64 MiB of zeros (64 KiB gzipped): refused at the first extra byte. */
    @Test
    void gzippedDataAfterTheDeclaredSizeIsAnError() throws IOException {
        byte[] content = idx(new byte[(1 << 26) + 36], IdxFormat.IMAGES_MAGIC, 3, 4, 3);
        Path f = file("train-images-idx3-ubyte.gz", gzip(content));
        Refusal r = refusal(() -> IdxFormat.readImages(f));
        assertEquals(f + ": more bytes than the 36 bytes of image data the header declares (expected the file to end "
                + "there)", r.message());
        assertTrue(r.allocated() < FEW_MIB, "allocated " + r.allocated());
    }

    @Test
    void plainDataAfterTheDeclaredSizeIsAnErrorThatCountsTheBytes() throws IOException {
        Path f = file("train-images-idx3-ubyte", idx(new byte[38], IdxFormat.IMAGES_MAGIC, 3, 4, 3));
        Refusal r = refusal(() -> IdxFormat.readImages(f));
        assertEquals(f + ": 2 more bytes than the 36 bytes of image data the header declares (expected the file to "
                + "end there)", r.message());
    }

    @Test
    void plainHeaderClaimingMoreThanTheLimitIsRefusedWhenTheFileHoldsIt() throws IOException {
        Path f = dir.resolve("train-labels-idx1-ubyte");
        int count = IdxFormat.MAX_DATA_BYTES + 1;
        try (var channel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(ByteBuffer.wrap(idx(new byte[0], IdxFormat.LABELS_MAGIC, count)));
            channel.write(ByteBuffer.wrap(new byte[1]), 8L + count - 1);
        }
        Refusal r = refusal(() -> IdxFormat.readLabels(f));
        assertEquals(f + ": the header declares 536870913 bytes of label data, more than the 536870912 bytes "
                + "Glassbox reads from one IDX file", r.message());
        assertTrue(r.allocated() < FEW_MIB, "allocated " + r.allocated());
    }

    @Test
    void gzipStreamCutInsideItsDataIsTruncated() throws IOException {
        byte[] pixels = new byte[200_000];
        new java.util.Random(3).nextBytes(pixels);
        byte[] gz = gzip(idx(pixels, IdxFormat.IMAGES_MAGIC, 2000, 10, 10));
        Path f = file("t10k-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2));
        Refusal r = refusal(() -> IdxFormat.readImages(f));
        assertTrue(r.message().matches(java.util.regex.Pattern.quote(f + ": truncated IDX file: expected 200000 bytes "
                + "of image data but found ") + "[0-9]{5,6}"), r.message());
    }

    @Test
    void dimensionsWhoseProductOverflowsAreInvalid() throws IOException {
        int m = Integer.MAX_VALUE;
        Path f = file("train-images-idx3-ubyte", idx(new byte[10], IdxFormat.IMAGES_MAGIC, m, m, m));
        assertEquals(f + ": invalid IDX image dimensions 2147483647 x 2147483647 x 2147483647",
                refusal(() -> IdxFormat.readImages(f)).message());
    }

    @Test
    void incompleteHeadersAreTruncated() throws IOException {
        for (byte[] bytes : new byte[][] {{}, {0, 0, 8}, {0x1f, (byte) 0x8b}, idx(new byte[2], IdxFormat.IMAGES_MAGIC, 5)}) {
            Path f = file("h" + bytes.length, bytes);
            assertEquals(f + ": truncated IDX file (the header is incomplete)",
                    refusal(() -> IdxFormat.readImages(f)).message());
        }
    }

    @Test
    void validFilesReadBackExactlyPlainAndGzipped() throws IOException {
        byte[] pixels = new byte[3 * IdxFormat.CHUNK + 17];
        new java.util.Random(5).nextBytes(pixels);
        for (String name : new String[] {"a-images-idx3-ubyte", "a-images-idx3-ubyte.gz"}) {
            Path f = dir.resolve(name);
            try (OutputStream out = IdxFormat.create(f)) {
                IdxFormat.writeImages(out, pixels.length, 1, 1, pixels);
            }
            IdxFormat.Images images = IdxFormat.readImages(f);
            assertEquals(pixels.length, images.count());
            assertArrayEquals(pixels, images.pixels());
        }
    }
}
