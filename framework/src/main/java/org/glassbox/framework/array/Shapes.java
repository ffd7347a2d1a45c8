package org.glassbox.framework.array;

import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shape checks at layer and file boundaries. Every failure throws a {@link ShapeMismatchException}
 * that prints the expected and the actual shape.
 */
public final class Shapes {
    /** Matches any size in an expected shape. */
    public static final long ANY = -1;
    /** The largest n whose n x n values index one Java array (46,341 squared is more than {@link Integer#MAX_VALUE}). */
    public static final int MAX_SQUARE_SIDE = 46_340;

    private Shapes() {
    }

    /**
     * Checks that {@code array} has the expected rank and sizes ({@link #ANY} matches any size)
     * and is float32.
     *
     * @param what names the array in the message, for example {@code "L1.encode input"}
     */
    public static INDArray require(String what, INDArray array, long... expected) {
        if (array == null) {
            throw new GlassboxException(what + ": expected an array of shape "
                    + ShapeMismatchException.format(expected) + " but got none");
        }
        long[] actual = array.shape();
        boolean ok = actual.length == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] == ANY || expected[i] == actual[i];
        }
        if (!ok) {
            throw new ShapeMismatchException(what, expected, actual);
        }
        if (array.dataType() != DataType.FLOAT) {
            throw new GlassboxException(what + ": expected float32 values but got " + array.dataType());
        }
        return array;
    }

    /** Checks that a spatial map is {@code [samples, shape.gridH, shape.gridW, shape.channels]}. */
    public static INDArray requireMap(String what, INDArray map, MapShape shape) {
        return require(what, map, ANY, shape.gridH(), shape.gridW(), shape.channels());
    }

    /** Throws when any value is NaN or infinite, naming the array. */
    public static INDArray requireFinite(String what, INDArray array) {
        if (array.length() > 0 && !Double.isFinite(array.sumNumber().doubleValue())) {
            throw new GlassboxException(what + ": expected finite values but found NaN or infinity");
        }
        return array;
    }
}
