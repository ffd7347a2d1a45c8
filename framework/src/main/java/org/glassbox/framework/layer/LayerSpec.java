package org.glassbox.framework.layer;

import org.glassbox.framework.array.MapShape;

/**
 * The hyperparameters of one layer kind: an immutable record, validated in its constructor (an
 * invalid value throws {@link org.glassbox.framework.error.InvalidParameterException} naming the
 * parameter), serialised to the model manifest by Jackson. Fitting a spec gives a frozen
 * {@link Layer}; to change a hyperparameter, refit from a copy ({@code spec.withX(...)}).
 */
public interface LayerSpec {
    /** The layer kind, for example {@code "sparse-coding"}; the key under which {@link LayerKind} restores it. */
    String kind();

    /**
     * Checks, before anything is fitted, that this spec can be fitted on {@code samples} maps of shape
     * {@code input}, and returns the shape of one output sample (the fitted layer's
     * {@link Layer#outputShape()}). Throws an {@link org.glassbox.framework.error.InvalidParameterException}
     * naming the hyperparameter whose value does not fit such input (a window larger than the grid,
     * more neighbours than samples), or a {@link org.glassbox.framework.error.GlassboxException}
     * saying what the input lacks when no value would fit it. Reads no data.
     */
    MapShape check(MapShape input, long samples);

    /**
     * Fits a layer of this kind on {@code input} and returns it frozen.
     *
     * @param id the stage id, for example {@code "L1.code"}
     * @param input the training maps this stage sees (the frozen output of the stages before it)
     * @param context the seed, progress reporting and thread count of this fit
     */
    Layer fit(String id, MapSource input, FitContext context);
}
