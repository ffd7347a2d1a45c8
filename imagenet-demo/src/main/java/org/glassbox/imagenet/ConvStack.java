package org.glassbox.imagenet;

import java.util.List;
import org.glassbox.framework.layer.StackDescription.ReadoutStage;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * The default convolutional white-box stack of {@code ./glassbox imagenet} for small RGB crops
 * (the default 32 x 32; any size from 20 up works, deeper grids simply get larger), three
 * sparse-coding layers, each followed by average pooling:
 *
 * <pre>
 *   L1.patches 5 x 5 x 3, stride 1          -> (s-4) x (s-4) x 75
 *   L1.whiten  patch mean removed, ZCA (eps = 0.1 lambda_max)
 *   L1.code    non-negative LASSO, 96 atoms  (colour edges and blobs, both polarities)
 *   L1.pool    2 x 2 windows, stride 2, L2-normalised
 *   L2.patches 3 x 3 of the pooled L1 codes  (864 values, a 10 x 10 pixel field)
 *   L2.code    non-negative LASSO, 128 atoms
 *   L2.pool    2 x 2 windows, stride 2, L2-normalised
 *   L3.patches 3 x 3 of the pooled L2 codes  (1,152 values, a 22 x 22 pixel field)
 *   L3.code    non-negative LASSO, 256 atoms
 *   L3.pool    2 x 2 grid, L2-normalised     -> 1,024 features
 *   readouts   multinomial logistic ("linear") and the cosine kNN probe ("knn")
 * </pre>
 *
 * Non-negative codes over an overcomplete dictionary learn both polarities of an edge as separate
 * atoms, so average pooling does not cancel them (the reason Coates and Ng, ICML 2011, split codes
 * into positive and negative parts). The ILSVRC-2012 stack of docs/imagenet.md (224 x 224 crops,
 * wider layers) is {@code docs/stacks/ilsvrc-2012.json}, given with {@code --stack}.
 */
public final class ConvStack {
    private ConvStack() {
    }

    /** The default stack for {@code classes} classes. */
    public static StackDescription defaults(int classes) {
        return new StackDescription(List.of(
                new Stage("L1.patches", new PatchSpec(5, 1)),
                new Stage("L1.whiten", WhiteningSpec.defaults()),
                new Stage("L1.code", SparseCodingSpec.of("L1", 96, 0.5).withNonNegative(true)),
                new Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage("L2.patches", new PatchSpec(3, 1)),
                new Stage("L2.code", SparseCodingSpec.of("L2", 128, 0.3).withNonNegative(true)),
                new Stage("L2.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage("L3.patches", new PatchSpec(3, 1)),
                new Stage("L3.code", SparseCodingSpec.of("L3", 256, 0.3).withNonNegative(true)),
                new Stage("L3.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                List.of(new ReadoutStage("linear", LinearSpec.defaults(classes)), new ReadoutStage("knn", KnnSpec.defaults(classes))));
    }
}
