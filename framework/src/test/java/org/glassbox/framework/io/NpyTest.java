package org.glassbox.framework.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {
    /** What a refused read may allocate: the stream buffer and the header, with room to spare. */
    static final long FEW_MIB = 4L << 20;

    @TempDir
    Path dir;
    @Test
    void roundTripsFloatDoubleAndIntArrays() {
        Nd4j.getRandom().setSeed(7);
        for (INDArray a : new INDArray[] {
                Nd4j.rand(DataType.FLOAT, 3, 4, 5),
                Nd4j.rand(DataType.DOUBLE, 7),
                Nd4j.createFromArray(new int[] {3, -1, 4, 1, 5}),
                Nd4j.rand(DataType.FLOAT, 6, 4).transpose()}) {
            byte[] bytes = Npy.toBytes(a);
            assertEquals(0, (bytes[8] & 0xff | (bytes[9] & 0xff) << 8) + 10 & 63, "header is padded to 64 bytes");
            INDArray b = Npy.fromBytes(bytes, "x.npy");
            assertArrayEquals(a.shape(), b.shape());
            assertEquals(a.dataType(), b.dataType());
            assertEquals(a, b);
        }
    }

    @Test
    void writesTheHeaderNumpyExpects() {
        byte[] bytes = Npy.toBytes(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        int headerLength = bytes[8] & 0xff | (bytes[9] & 0xff) << 8;
        String header = new String(Arrays.copyOfRange(bytes, 10, 10 + headerLength), java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertEquals('\n', header.charAt(header.length() - 1));
        assertEquals(128 + 24, bytes.length);
    }

    @Test
    void namesTheFileWhenTruncated() {
        byte[] bytes = Npy.toBytes(Nd4j.rand(DataType.FLOAT, 10));
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
        var e = assertThrows(GlassboxException.class, () -> Npy.fromBytes(cut, "m/L1.code.dictionary.npy"));
        assertEquals("m/L1.code.dictionary.npy: truncated .npy file: expected 40 bytes of data for shape [10] but found 36",
                e.getMessage());
    }

    /** A .npy file of format {@code major}.0 with the header {@code dict} (a newline added) and {@code data}. */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) header.length);
        else b.putInt(header.length);
        return b.put(header).put(data).array();
    }

    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    /** Reads {@code bytes} from a file, which must be refused; returns the message and checks that the read allocated a few MiB at most. */
    private String refused(byte[] bytes) throws IOException {
        Path f = Files.write(dir.resolve("a.npy"), bytes);
        return refusedFile(f).replace(f.toString(), "a.npy");
    }

    private static String refusedFile(Path f) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        GlassboxException e = assertThrows(GlassboxException.class, () -> Npy.read(f));
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < FEW_MIB, "allocated " + allocated + " bytes for " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shapeClaimingSixHundredMillionFloatsWithASmallBodyIsTruncatedBeforeAllocating() throws IOException {
        assertEquals("a.npy: truncated .npy file: expected 2400000000 bytes of data for shape [600000000] but found 8",
                refused(npy(1, dict("<f4", "(600000000,)"), new byte[8])));
    }

    @Test
    void shapeBeyondTheLargestArrayIsRefusedEvenWhenTheFileHoldsIt() throws IOException {
        Path f = dir.resolve("big.npy");
        byte[] head = npy(1, dict("<f4", "(600000000,)"), new byte[0]);
        try (var channel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(ByteBuffer.wrap(head));
            channel.write(ByteBuffer.wrap(new byte[1]), head.length + 2_400_000_000L - 1);
        }
        assertEquals(f + ": shape [600000000] needs 2400000000 bytes of data, more than the 2147483639 bytes Glassbox "
                + "reads from one .npy file", refusedFile(f));
    }

    @Test
    void negativeAndNonNumericShapeEntriesAreRefused() throws IOException {
        assertEquals("a.npy: .npy shape (-1,) has the entry '-1' (expected a non-negative integer below 10^18)",
                refused(npy(1, dict("<f4", "(-1,)"), new byte[0])));
        assertEquals("a.npy: .npy shape (3, x) has the entry 'x' (expected a non-negative integer below 10^18)",
                refused(npy(1, dict("<f4", "(3, x)"), new byte[0])));
        assertEquals("a.npy: .npy shape (3,,) has the entry '' (expected a non-negative integer below 10^18)",
                refused(npy(1, dict("<f4", "(3,,)"), new byte[0])));
        assertEquals("a.npy: .npy shape (99999999999999999999,) has the entry '99999999999999999999' (expected a "
                + "non-negative integer below 10^18)", refused(npy(1, dict("<f4", "(99999999999999999999,)"), new byte[0])));
    }

    @Test
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        assertEquals("a.npy: .npy shape [4294967296, 4294967296] holds more than 9223372036854775807 bytes of data",
                refused(npy(1, dict("<f4", "(4294967296, 4294967296)"), new byte[0])));
    }

    @Test
    void shortFilesAreRefusedWithoutAnIndexError() throws IOException {
        byte[] valid = Npy.toBytes(Nd4j.rand(DataType.FLOAT, 3));
        assertEquals("a.npy: truncated .npy file (the header is incomplete)", refused(Arrays.copyOf(valid, 8)));
        assertEquals("a.npy: truncated .npy file (the header is incomplete)", refused(Arrays.copyOf(valid, 9)));
        assertEquals("a.npy: truncated .npy file (the header is incomplete)", refused(Arrays.copyOf(valid, 60)));
        assertEquals("a.npy: not a .npy file (expected the magic bytes \\x93NUMPY)", refused(Arrays.copyOf(valid, 5)));
    }

    @Test
    void versionHeaderLengthDictTypeAndOrderAreChecked() throws IOException {
        byte[] v4 = npy(2, dict("<f4", "(1,)"), new byte[4]);
        v4[6] = 4;
        assertEquals("a.npy: unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)", refused(v4));
        byte[] longHeader = npy(2, dict("<f4", "(1,)"), new byte[4]);
        Arrays.fill(longHeader, 8, 12, (byte) 0xff);
        assertEquals("a.npy: .npy header of 4294967295 bytes (expected at most 10000)", refused(longHeader));
        assertEquals("a.npy: unreadable .npy header: {'descr': '<f4', 'shape': (1,)}",
                refused(npy(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4])));
        assertEquals("a.npy: unsupported .npy type <U10 (expected one of <f4, <f8, <i4, >f4, >f8, >i4)",
                refused(npy(1, dict("<U10", "(1,)"), new byte[40])));
        assertEquals("a.npy: Fortran-ordered .npy arrays are not supported (expected C order)",
                refused(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4])));
    }

    @Test
    void bytesAfterTheDataAreAnError() throws IOException {
        byte[] valid = Npy.toBytes(Nd4j.rand(DataType.FLOAT, 10));
        assertEquals("a.npy: 4 more bytes than the 40 bytes of data for shape [10] (expected the file to end there)",
                refused(Arrays.copyOf(valid, valid.length + 4)));
    }

    @Test
    void readsVersionTwoBigEndianAndEmptyArrays() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(7).putInt(-2).array();
        INDArray a = Npy.fromBytes(npy(2, dict(">i4", "(2,)"), data), "b.npy");
        assertArrayEquals(new int[] {7, -2}, a.toIntVector());
        INDArray empty = Npy.fromBytes(npy(1, dict("<f8", "(0, 3)"), new byte[0]), "e.npy");
        assertArrayEquals(new long[] {0, 3}, empty.shape());
        assertEquals(DataType.DOUBLE, empty.dataType());
    }
}
