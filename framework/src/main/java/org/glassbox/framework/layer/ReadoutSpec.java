package org.glassbox.framework.layer;

import org.glassbox.framework.array.MapShape;

/**
 * The hyperparameters of a readout. A readout is fitted on labelled features: the pipeline's output
 * over the training set ({@code pipeline.over(train.source())}) and the training labels in the same
 * order. The spec holds the number of classes, which fixes the output shape {@code [1, 1, classes]}
 * just as a sparse-coding spec's atom count fixes its output channels, so a model file restores the
 * readout from its spec and arrays alone.
 */
public interface ReadoutSpec extends ComponentSpec {
    /** The number of classes; labels lie in [0, classes). */
    int classes();

    /**
     * Fits the readout on {@code features} (maps {@code [samples, gridH, gridW, channels]}) with one
     * label per sample, in [0, {@link #classes()}).
     */
    Readout fit(String id, MapSource features, int[] labels, FitContext context);

    /**
     * Whether the fitted readout holds its training features, as a nearest-neighbour readout's
     * memory does. Such a readout learns from the training images alone, not from their shifted
     * copies, which would multiply the model's size by the number of copies
     * ({@code Model#fitReadouts}). False by default.
     */
    default boolean keepsTrainingFeatures() {
        return false;
    }

    /** One score per class, {@code [1, 1, classes]}, whatever the input. */
    @Override
    default MapShape check(MapShape input, long samples) {
        return new MapShape(1, 1, classes());
    }
}
