package org.glassbox.framework.layer;

import org.glassbox.framework.eval.Predictions;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fitted classifier on a pipeline's output maps: a {@link Layer} whose input shape is the
 * pipeline's output shape and whose output is the map {@code [1, 1, classes]} of class scores, so
 * model files store it like any stage (as one of the model's readouts).
 */
public interface Readout extends Layer {
    /** The number of classes scored. */
    int classes();

    @Override
    ReadoutSpec spec();

    /** The class of highest score for each input map {@code [n, inputShape]} (lowest class among ties). */
    default int[] predict(INDArray input) {
        return Predictions.argmax(encode(input));
    }
}
