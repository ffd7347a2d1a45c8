package org.glassbox.framework.array;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Views between spatial maps {@code [samples, gridH, gridW, channels]} and the matrix of their
 * position vectors {@code [samples * gridH * gridW, channels]}, the form in which per-position
 * layers (whitening, sparse coding) do their matrix products. Both are C-ordered, so the
 * conversion is a reshape and copies only when the array is not a whole buffer in C order
 * ({@link FloatArrays#contiguous}).
 */
public final class Maps {
    private Maps() {
    }

    /** {@code [n, gh, gw, c]} to {@code [n * gh * gw, c]}. */
    public static INDArray rows(INDArray map) {
        INDArray c = map.isEmpty() ? map : FloatArrays.contiguous(map);
        return c.reshape('c', c.size(0) * c.size(1) * c.size(2), c.size(3));
    }

    /** {@code [n * gh * gw, c]} back to {@code [n, gh, gw, c]} for maps of {@code shape}. */
    public static INDArray map(INDArray rows, MapShape shape) {
        INDArray c = rows.isEmpty() ? rows : FloatArrays.contiguous(rows);
        return c.reshape('c', c.size(0) / shape.positions(), shape.gridH(), shape.gridW(), c.size(1));
    }
}
