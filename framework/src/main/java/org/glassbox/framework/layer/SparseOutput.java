package org.glassbox.framework.layer;

import org.glassbox.framework.array.SparseRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stage whose output is mostly zeros (sparse codes) and that can give it as its non-zeros: one
 * row per sample and position, {@code [n * gridH * gridW, channels]}, in the order of
 * {@link org.glassbox.framework.array.Maps#rows}. When the next stage is a {@link SparseInput},
 * {@link Pipeline} hands it the non-zeros instead of the dense maps; the result is the same.
 */
public interface SparseOutput extends Layer {
    /** The non-zeros of {@link #encode(INDArray)} of {@code input} {@code [n, inputShape]}, as rows. */
    SparseRows encodeSparse(INDArray input);
}
