package org.glassbox.framework.array;

import org.bytedeco.javacpp.FloatPointer;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * float32 arrays between Java and ND4J in one block copy each way. ND4J's own
 * {@code Nd4j.create(float[], ...)} and {@code data().asFloat()} copy element by element through
 * an indexer, which costs more than the arithmetic of a stage that touches each value once.
 */
public final class FloatArrays {
    private FloatArrays() {
    }

    /** A new C-ordered float32 array of {@code shape} holding {@code values} (copied). */
    public static INDArray of(float[] values, long... shape) {
        long length = 1;
        for (long d : shape) length *= d;
        if (length != values.length) {
            throw new GlassboxException("float array: " + values.length + " values do not fill the shape "
                    + java.util.Arrays.toString(shape));
        }
        if (length == 0) return Nd4j.create(DataType.FLOAT, shape);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        new FloatPointer(out.data().addressPointer()).put(values, 0, values.length);
        return out;
    }

    /** The values of {@code a} in C order as float32 (a copy; a C-ordered copy made on the way is freed). */
    public static float[] values(INDArray a) {
        INDArray c = a.dataType() == DataType.FLOAT && isWholeBuffer(a) ? a : a.castTo(DataType.FLOAT).dup('c');
        float[] out = new float[Math.toIntExact(c.length())];
        if (out.length > 0) new FloatPointer(c.data().addressPointer()).get(out, 0, out.length);
        if (c != a) OffHeap.free(c, a);
        return out;
    }

    /**
     * {@code a} itself when it is a whole buffer in C order with C strides (its values are the
     * buffer's, in order; a reshape of a whole buffer is one), otherwise a C-ordered copy: an array
     * whose memory can be read in one block.
     */
    public static INDArray contiguous(INDArray a) {
        return isWholeBuffer(a) ? a : a.dup('c');
    }

    /**
     * Whether {@code a} is a whole buffer in C order with C strides (its values are the buffer's, in
     * order). ND4J marks a reshape as a view even when it covers its whole buffer; this does not.
     */
    private static boolean isWholeBuffer(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        boolean ok = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length();
        for (int i = shape.length - 1; ok && i >= 0; i--) {
            ok = shape[i] == 1 || stride[i] == expected;
            expected *= shape[i];
        }
        return ok;
    }
}
