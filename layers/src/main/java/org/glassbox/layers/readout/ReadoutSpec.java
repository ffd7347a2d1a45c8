package org.glassbox.layers.readout;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;

/**
 * The hyperparameters of a readout. A readout is fitted on labelled features, which
 * {@link LayerSpec#fit(String, MapSource, FitContext)} does not carry, so readouts are fitted with
 * {@link #fit(String, MapSource, int[], FitContext)}: the features are the pipeline's output over
 * the training set ({@code pipeline.over(train.source())}), the labels the training labels in the
 * same order. The spec holds the number of classes, which fixes the output shape
 * {@code [1, 1, classes]} just as a sparse-coding spec's atom count fixes its output channels, so a
 * model file restores the readout from its spec and arrays alone.
 *
 * <p>The record is still a {@link LayerSpec} so that the model manifest stores it and
 * {@link org.glassbox.framework.layer.LayerKind} restores the readout; calling the label-free
 * {@code fit} is an error that says which method to call.
 */
public interface ReadoutSpec extends LayerSpec {
    /** The number of classes; labels lie in [0, classes). */
    int classes();

    /**
     * Fits the readout on {@code features} (maps {@code [samples, gridH, gridW, channels]}) with one
     * label per sample, in [0, {@link #classes()}).
     */
    Readout fit(String id, MapSource features, int[] labels, FitContext context);

    /** One score per class, {@code [1, 1, classes]}, whatever the input. */
    @Override
    default MapShape check(MapShape input, long samples) {
        return new MapShape(1, 1, classes());
    }

    /** Always throws: a readout needs labels; use {@link #fit(String, MapSource, int[], FitContext)}. */
    @Override
    default Layer fit(String id, MapSource input, FitContext context) {
        throw new GlassboxException(id + ": a " + kind() + " is fitted on labelled features: call "
                + "ReadoutSpec.fit(id, features, labels, context), not the label-free LayerSpec.fit");
    }
}
