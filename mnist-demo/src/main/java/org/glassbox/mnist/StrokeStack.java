package org.glassbox.mnist;

import java.util.List;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * The stages of the stroke-to-digit model (DESIGN.md section 4): layer 1 takes k x k patches of
 * the digit at stride 1, removes each patch's mean and ZCA-whitens it, and sparse-codes it with a
 * learned dictionary whose atoms are pen-stroke pieces.
 *
 * @param patches layer 1's patch geometry
 * @param whitening layer 1's whitening
 * @param strokes layer 1's sparse coding (atom prefix {@code L1})
 */
public record StrokeStack(PatchSpec patches, WhiteningSpec whitening, SparseCodingSpec strokes) {
    /** Stage ids, in order. */
    public static final String L1_PATCHES = "L1.patches";
    public static final String L1_WHITEN = "L1.whiten";
    public static final String L1_CODE = "L1.code";

    /** The default model of {@code ./glassbox mnist}. */
    public static StrokeStack defaults() {
        return new StrokeStack(new PatchSpec(7, 1), WhiteningSpec.defaults(),
                SparseCodingSpec.of("L1", 100, 0.25));
    }

    /** The stages to fit, in order. */
    public List<Pipeline.Stage> stages() {
        return List.of(new Pipeline.Stage(L1_PATCHES, patches), new Pipeline.Stage(L1_WHITEN, whitening),
                new Pipeline.Stage(L1_CODE, strokes));
    }
}
