package org.glassbox.framework.layer;

import org.glassbox.framework.array.MapShape;

/**
 * The hyperparameters of one component of a model, a pipeline stage ({@link LayerSpec}) or a
 * readout ({@link ReadoutSpec}): an immutable record, validated in its constructor (an invalid value
 * throws {@link org.glassbox.framework.error.InvalidParameterException} naming the parameter),
 * serialised to stack files and model manifests by Jackson under its {@link #kind()}, which
 * {@link LayerKind} restores it from. To change a hyperparameter, refit from a copy
 * ({@code spec.withX(...)}).
 */
public interface ComponentSpec {
    /** The component kind, for example {@code "sparse-coding"}; the key under which {@link LayerKind} restores it. */
    String kind();

    /**
     * Checks, before anything is fitted, that this spec can be fitted on {@code samples} maps of shape
     * {@code input}, and returns the shape of one output sample (the fitted component's
     * {@link Layer#outputShape()}). Throws an {@link org.glassbox.framework.error.InvalidParameterException}
     * naming the hyperparameter whose value does not fit such input (a window larger than the grid,
     * more neighbours than samples), or a {@link org.glassbox.framework.error.GlassboxException}
     * saying what the input lacks when no value would fit it. Reads no data.
     */
    MapShape check(MapShape input, long samples);
}
