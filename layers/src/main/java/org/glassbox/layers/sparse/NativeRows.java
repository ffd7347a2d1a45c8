package org.glassbox.layers.sparse;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.glassbox.framework.array.FloatArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain-Java access to the rows of a float32 matrix that lives in ND4J's native memory, without
 * per-element ND4J calls: {@link #of} wraps a freshly created C-ordered {@code [rows, cols]} array
 * and exposes its memory as a {@link FloatBuffer} view, and as an {@link IntBuffer} view of the
 * floats' IEEE bit patterns (writes through either view change the array).
 * Whole rows move with one bulk copy, which costs about as much as a {@code memcpy}; this is how
 * the encoders run their fused element-wise passes between two ND4J matrix products
 * (one fused pass instead of chained ND4J element-wise operations).
 */
final class NativeRows {
    /** The array, {@code [rows, cols]} float32, C order, not a view. */
    final INDArray array;
    final int rows;
    final int cols;
    private final FloatBuffer buffer;
    private final IntBuffer bits;

    private NativeRows(INDArray array) {
        if (array.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a matrix of " + array.length()
                    + " values is larger than one buffer view can address; encode fewer rows at a time");
        }
        this.array = array;
        this.rows = (int) array.size(0);
        this.cols = (int) array.size(1);
        this.buffer = array.isEmpty() ? FloatBuffer.allocate(0) : array.data().asNioFloat();
        // the same memory from offset 0, in the same byte order as the float view
        this.bits = array.isEmpty() ? IntBuffer.allocate(0) : array.data().asNio().asIntBuffer();
    }

    /** A new zero-filled {@code [rows, cols]} matrix. */
    static NativeRows zeros(int rows, int cols) {
        return new NativeRows(Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c'));
    }

    /** A new {@code [rows, cols]} matrix whose values are undefined until written. */
    static NativeRows uninitialized(int rows, int cols) {
        return new NativeRows(Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c'));
    }

    /**
     * Wraps {@code array} when it is empty or a float32 matrix whose values are its whole buffer in C
     * order ({@link FloatArrays#contiguous}); otherwise wraps a C-ordered copy of it.
     */
    static NativeRows of(INDArray array) {
        boolean floatMatrix = array.rank() == 2 && array.dataType() == DataType.FLOAT;
        return new NativeRows(array.isEmpty() ? array : floatMatrix ? FloatArrays.contiguous(array) : array.dup('c'));
    }

    /** Copies row {@code row} into {@code dst[offset .. offset + cols)}. */
    void get(int row, float[] dst, int offset) {
        buffer.get(row * cols, dst, offset, cols);
    }

    /** Copies {@code src[offset .. offset + cols)} into row {@code row}. */
    void put(int row, float[] src, int offset) {
        buffer.put(row * cols, src, offset, cols);
    }

    /** Copies the bit patterns of row {@code row} into {@code dst[0 .. cols)}. */
    void getBits(int row, int[] dst) {
        bits.get(row * cols, dst, 0, cols);
    }

    /** Copies the bit patterns {@code src[0 .. cols)} into row {@code row}. */
    void putBits(int row, int[] src) {
        bits.put(row * cols, src, 0, cols);
    }

    /** Sets entry ({@code row}, {@code col}). */
    void set(int row, int col, float value) {
        buffer.put(row * cols + col, value);
    }

    /** Copies rows {@code first .. first + count} into {@code dst[0 .. count * cols)}, with one bulk copy. */
    void getRows(int first, int count, float[] dst) {
        buffer.get(first * cols, dst, 0, count * cols);
    }

    /** Copies {@code src[0 .. count * cols)} into rows {@code first .. first + count}, with one bulk copy. */
    void putRows(int first, int count, float[] src) {
        buffer.put(first * cols, src, 0, count * cols);
    }

    /** All values, row after row, as a new array (one bulk copy; {@code data().asFloat()} reads them one by one). */
    float[] values() {
        float[] all = new float[rows * cols];
        getAll(all);
        return all;
    }

    /** A new C-ordered {@code [rows, cols]} matrix holding {@code values} (row-major), with one bulk copy. */
    static NativeRows fromValues(float[] values, int rows, int cols) {
        NativeRows m = uninitialized(rows, cols);
        m.putRows(0, rows, values);
        return m;
    }

    /** Copies all rows into {@code dst} (length at least {@code rows * cols}), row after row. */
    void getAll(float[] dst) {
        buffer.get(0, dst, 0, rows * cols);
    }
}
