package org.glassbox.mnist;

import java.util.List;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * The default stroke-to-digit model of {@code ./glassbox mnist} (DESIGN.md section 4). Layer 1
 * takes 7 x 7 patches of the digit at stride 1, removes each patch's mean, ZCA-whitens it, and
 * codes it with non-negative sparse coding over 64 learned atoms: pen-stroke pieces. The code
 * map is average-pooled to a 4 x 4 grid and L2-normalised; a linear (multinomial logistic) and a
 * kNN readout classify the pooled codes.
 */
public final class StrokeStack {
    /** Stage ids of layer 1. */
    public static final String L1_PATCHES = "L1.patches";
    public static final String L1_WHITEN = "L1.whiten";
    public static final String L1_CODE = "L1.code";

    private StrokeStack() {
    }

    /** The default stack for {@code classes} classes. */
    public static StackDescription defaults(int classes) {
        return new StackDescription(List.of(
                new Stage(L1_PATCHES, new PatchSpec(7, 1)),
                new Stage(L1_WHITEN, WhiteningSpec.defaults()),
                new Stage(L1_CODE, SparseCodingSpec.of("L1", 64, 0.6).withNonNegative(true)),
                new Stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 4, 4))),
                List.of(new Stage("linear", LinearSpec.defaults(classes)), new Stage("knn", KnnSpec.defaults(classes))));
    }
}
