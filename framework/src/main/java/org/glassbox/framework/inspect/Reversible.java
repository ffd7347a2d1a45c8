package org.glassbox.framework.inspect;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stage whose outputs can be taken back to its input space: patch extraction and whitening.
 * {@link Anatomy} draws a sparse-coding stage's atoms and inputs in pixels by going back through
 * the reversible stages below it, one at a time, down to the pipeline's input.
 */
public interface Reversible {
    /**
     * Data maps {@code [n, outputShape]} (outputs, or reconstructions of them) back to
     * {@code [n, inputShape]}: the input that gives them, as far as the stage keeps it (whitening:
     * y U + mu; patches: each input cell the average of the values the patches covering it hold
     * for it). Does not modify {@code outputs}.
     */
    INDArray toInput(INDArray outputs);

    /**
     * Patterns {@code [m, h, w, outputChannels]} on the h x w output positions from (0, 0) (an
     * atom, a direction: no offset to restore) to the patterns {@code [m, h', w', inputChannels]} on
     * the input cells those positions read, by the linear map that the stage's output stands for
     * (whitening: each position's vector times U = C^(1/2); patches: each position's vector laid out
     * as its k x k window at its place, overlapping windows summed). Does not modify {@code patterns}.
     */
    INDArray patternToInput(INDArray patterns);
}
