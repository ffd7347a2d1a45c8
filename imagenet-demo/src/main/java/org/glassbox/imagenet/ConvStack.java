package org.glassbox.imagenet;

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
 * The default convolutional white-box stack of {@code ./glassbox imagenet} for small RGB crops
 * (the default 32 x 32; any size from 6 up works): one layer of the sparse manifold transform
 * (Chen, Yun, Ma, Olshausen, LeCun, "Minimalistic unsupervised representation learning with the
 * sparse manifold transform", ICLR 2023) on colour patches, pooled over the whole crop:
 *
 * <pre>
 *   L1.patches 6 x 6 x 3, stride 1           -> (s-5) x (s-5) x 108
 *   L1.whiten  patch mean removed, ZCA (eps = 0.1 lambda_max), each patch scaled to unit norm
 *   L1.code    4,096 atoms sampled from the whitened training patches (pairwise cosine &lt;= 0.7),
 *              1-sparse non-negative codes (the best-matching atom and its cosine)
 *   L1.embed   512-dimensional embedding of the codes, from each code minus the mean of the
 *              codes of its 5 x 5 neighbourhood (atoms that occur near each other map to nearby
 *              directions), each embedded vector L2-normalised
 *   L1.pool    average over the whole map, L2-normalised -> 512 features
 *   readouts   multinomial logistic ("linear", scores decompose per atom through the embedding)
 *              and the cosine kNN probe ("knn")
 * </pre>
 *
 * Pooling over the whole crop makes the features a histogram of where in the embedding the crop's
 * patches fall, which is what tells photographs and textures apart; keeping a spatial grid, or
 * stacking a second layer on the embedded maps, measured lower on crops of photographs
 * (docs/imagenet.md, "What each part adds"). The ILSVRC-2012 stack (224 x 224 crops) is
 * {@code docs/stacks/ilsvrc-2012.json}, given with {@code --stack}.
 */
public final class ConvStack {
    private ConvStack() {
    }

    /** The default stack for {@code classes} classes. */
    public static StackDescription defaults(int classes) {
        return StackDescription.builder()
                .stage("L1.patches", new PatchSpec(6, 1))
                .stage("L1.whiten", WhiteningSpec.defaults().withEmptyNorm(0).withNormalize(true))
                .stage("L1.code", SparseCodingSpec.of("L1", 4096, 0.7).withNonNegative(true)
                        .withEncoder(Encoder.ONE_SPARSE).withMaxSamples(400_000).withSampledAtoms(0.7))
                .stage("L1.embed", ManifoldSpec.defaults().withDims(512)
                        .withDifference(ManifoldSpec.Difference.NEIGHBOUR_MEAN))
                .stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 1, 1))
                .readout("linear", LinearSpec.defaults(classes).withL2(1.25e-5))
                .readout("knn", KnnSpec.defaults(classes))
                .build();
    }
}
