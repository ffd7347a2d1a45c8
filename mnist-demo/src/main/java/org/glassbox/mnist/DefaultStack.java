package org.glassbox.mnist;

import java.util.List;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * The default model of {@code ./glassbox mnist}: one layer of the sparse manifold transform (Chen,
 * Yun, Ma, Olshausen, LeCun, "Minimalistic unsupervised representation learning with the sparse
 * manifold transform", ICLR 2023). It takes 6 x 6 patches of the digit at stride 1 (23 x 23
 * positions), removes each patch's mean, counts a patch whose remaining norm is below 0.1 as empty,
 * ZCA-whitens the others (eps = 0.1 of the largest eigenvalue) and scales them to unit norm; codes
 * each with the one atom of largest cosine among 4,096 atoms sampled from the training patches with
 * pairwise cosines of at most 0.7 (pen-stroke pieces); embeds each code in 32 dimensions in which
 * atoms that occur near each other (each code against the mean of the codes in its 5 x 5
 * neighbourhood) lie close; averages the embedded vectors over 4 x 4 windows at stride 2 (10 x 10
 * windows, each L2-normalised: 3,200 features). A branch beside these stages averages the pixels
 * over a 10 x 10 grid of regions of the image (2 or 3 pixels a side; 100 features, not
 * normalised): the brightness of each region, which the whitening takes out of every patch. The
 * multinomial logistic readout (l2 = 5e-5) and a kNN readout classify the 3,300 features. The
 * linear readout stops when its largest gradient entry is at most 3e-6 rather than the 1e-5 of
 * {@link LinearSpec#defaults}: stopped at 1e-5, its test predictions on the digits still moved with
 * the float32 summation order of the products (which rows its blocks hold), at 3e-6 they no longer
 * did (docs/mnist.md, "The readout's tolerance").
 * The two-layer stroke-and-part stack is the stack file {@code docs/stacks/strokes-and-parts.json}.
 */
public final class DefaultStack {
    /** Stage ids. */
    public static final String L1_PATCHES = "L1.patches";
    public static final String L1_WHITEN = "L1.whiten";
    public static final String L1_CODE = "L1.code";
    public static final String L1_EMBED = "L1.embed";
    public static final String L1_POOL = "L1.pool";
    public static final String PIXELS_POOL = "P.pool";

    private DefaultStack() {
    }

    /** The default stack for {@code classes} classes. */
    public static StackDescription defaults(int classes) {
        return StackDescription.builder()
                .stage(L1_PATCHES, new PatchSpec(6, 1))
                .stage(L1_WHITEN, WhiteningSpec.defaults().withEmptyNorm(0.1).withNormalize(true))
                .stage(L1_CODE, SparseCodingSpec.of("L1", 4096, 0.7).withNonNegative(true)
                        .withEncoder(Encoder.ONE_SPARSE).withMaxSamples(400_000).withSampledAtoms(0.7))
                .stage(L1_EMBED, ManifoldSpec.defaults().withDifference(ManifoldSpec.Difference.NEIGHBOUR_MEAN))
                .stage(L1_POOL, PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 4, 2))
                .branch(List.of(new Pipeline.Stage(PIXELS_POOL,
                        PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 10, 10).withNormalize(false))))
                .readout("linear", LinearSpec.defaults(classes).withL2(5e-5).withTolerance(3e-6))
                .readout("knn", KnnSpec.defaults(classes))
                .build();
    }
}
