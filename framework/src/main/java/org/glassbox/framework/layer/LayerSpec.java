package org.glassbox.framework.layer;

/**
 * The hyperparameters of one pipeline stage. A stage learns from its input maps alone (no labels):
 * fitting a spec gives a frozen {@link Layer}.
 */
public interface LayerSpec extends ComponentSpec {
    /**
     * Fits a layer of this kind on {@code input} and returns it frozen.
     *
     * @param id the stage id, for example {@code "L1.code"}
     * @param input the training maps this stage sees (the frozen output of the stages before it)
     * @param context the seed, progress reporting and thread count of this fit
     */
    Layer fit(String id, MapSource input, FitContext context);
}
