package org.glassbox.framework.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {
    @Test
    void roundTripsFloatDoubleAndIntArrays() throws IOException {
        Nd4j.getRandom().setSeed(7);
        for (INDArray a : new INDArray[] {
                Nd4j.rand(DataType.FLOAT, 3, 4, 5),
                Nd4j.rand(DataType.DOUBLE, 7),
                Nd4j.createFromArray(new int[] {3, -1, 4, 1, 5}),
                Nd4j.rand(DataType.FLOAT, 6, 4).transpose()}) {
            byte[] bytes = Npy.toBytes(a);
            assertEquals(0, (bytes[8] & 0xff | (bytes[9] & 0xff) << 8) + 10 & 63, "header is padded to 64 bytes");
            INDArray b = Npy.read(new ByteArrayInputStream(bytes), "x.npy");
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
        var e = assertThrows(GlassboxException.class, () -> Npy.read(new ByteArrayInputStream(cut), "m/L1.code.dictionary.npy"));
        assertEquals("m/L1.code.dictionary.npy: truncated .npy file: expected 40 bytes of data for shape [10] but found 36",
                e.getMessage());
    }
}
