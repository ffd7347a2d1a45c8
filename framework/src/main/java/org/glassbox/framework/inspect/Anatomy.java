package org.glassbox.framework.inspect;

import java.util.List;
import java.util.Optional;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What inspection needs to know about layer kinds that the framework itself does not define: how
 * an atom looks in pixel space, where a grid position lies in the input image, which readouts
 * decompose into per-channel contributions, and which lower atoms a higher atom uses. The layers
 * module's kinds are described by an implementation that lives beside them (the MNIST demo's
 * {@code StackAnatomy}); the inspection classes of this package ({@link AtomCatalog},
 * {@link Explainer}, {@link Ablation}) are generic over any {@link org.glassbox.framework.model.Model}
 * and take an Anatomy.
 */
public interface Anatomy {
    /**
     * The atoms of the sparse-coding stage {@code stage} (an index into {@code pipeline.stages()})
     * as pixel-space images {@code [atoms, h, w, channels]}, or empty when this anatomy cannot map
     * that stage's input space to pixels (the catalog then averages top-activating crops).
     */
    Optional<INDArray> atomImages(Pipeline pipeline, int stage);

    /**
     * Maps {@code maps} {@code [n, inputShape of stage]}, vectors in the input space of stage
     * {@code stage} (its input, a reconstruction), to pixel images {@code [n, H, W, C]} of the
     * pipeline's input shape, or empty when it cannot.
     */
    Optional<INDArray> inputImages(Pipeline pipeline, int stage, INDArray maps);

    /**
     * The rows (or columns) of {@code layer}'s input grid that output rows (or columns)
     * {@code outputs} depend on: the receptive field, one stage back.
     */
    Span inputSpan(Layer layer, Span outputs, boolean rows);

    /** The readout's exact per-channel score decomposition, or empty when it has none (a kNN probe). */
    Optional<ScoreDecomposition> decomposition(Layer readout);

    /**
     * The lower-layer atoms that atom {@code atom} of the sparse-coding stage {@code stage} is built
     * from, largest weight first; empty for a first-layer atom.
     */
    List<AtomWeight> builtFrom(Pipeline pipeline, int stage, int atom);
}
