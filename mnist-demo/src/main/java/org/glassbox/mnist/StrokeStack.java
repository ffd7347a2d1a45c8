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
 * codes it with non-negative sparse coding over 64 learned atoms: pen-stroke pieces. Layer 2
 * average-pools the stroke codes over 2 x 2 windows (each pooled vector L2-normalised), takes
 * 4 x 4 patches of that grid (a 14 x 14 pixel receptive field) and codes them with non-negative
 * sparse coding over 100 atoms: digit parts. The part codes are average-pooled to a 2 x 2 grid and
 * L2-normalised; a linear (multinomial logistic) and a kNN readout classify them.
 */
public final class StrokeStack {
    /** Stage ids of layer 1. */
    public static final String L1_PATCHES = "L1.patches";
    public static final String L1_WHITEN = "L1.whiten";
    public static final String L1_CODE = "L1.code";
    public static final String L1_POOL = "L1.pool";
    /** Stage ids of layer 2. */
    public static final String L2_PATCHES = "L2.patches";
    public static final String L2_CODE = "L2.code";
    public static final String L2_POOL = "L2.pool";

    private StrokeStack() {
    }

    /** The default stack for {@code classes} classes. */
    public static StackDescription defaults(int classes) {
        return new StackDescription(List.of(
                new Stage(L1_PATCHES, new PatchSpec(7, 1)),
                new Stage(L1_WHITEN, WhiteningSpec.defaults()),
                new Stage(L1_CODE, SparseCodingSpec.of("L1", 64, 0.6).withNonNegative(true)),
                new Stage(L1_POOL, PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage(L2_PATCHES, new PatchSpec(4, 1)),
                new Stage(L2_CODE, SparseCodingSpec.of("L2", 100, 0.3).withNonNegative(true)),
                new Stage(L2_POOL, PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                List.of(new Stage("linear", LinearSpec.defaults(classes)), new Stage("knn", KnnSpec.defaults(classes))));
    }
}
