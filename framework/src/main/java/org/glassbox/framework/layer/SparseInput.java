package org.glassbox.framework.layer;

import org.glassbox.framework.array.SparseRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stage that can read its input as non-zeros ({@link SparseOutput}): the same output as
 * {@link #encode(INDArray)} of the dense maps, at the cost of the non-zeros only.
 */
public interface SparseInput extends Layer {
    /**
     * {@link #encode(INDArray)} of the maps whose rows ({@code [n * gridH * gridW, channels]},
     * in the order of {@link org.glassbox.framework.array.Maps#rows}) are {@code codes}.
     */
    INDArray encodeSparse(SparseRows codes);
}
