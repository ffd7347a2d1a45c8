package org.glassbox.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.Provenance;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The small sparse-manifold-transform stack that layer tests fit on a few hundred real digits: 6 x 6
 * patches, whitening with emptyNorm 0.1 and normalised output, sampled atoms with cosine-threshold
 * codes, a NEIGHBOUR_MEAN embedding over a 5 x 5 window (or none), a 2 x 2 grid of average pooling.
 */
public final class SmallSmtStack {
    private SmallSmtStack() {
    }

    /** The stages with {@code atoms} atoms and a {@code dims}-dimensional embedding from {@code sampleMaps} maps; no embedding when {@code dims} is 0. */
    public static List<Pipeline.Stage> stages(int atoms, int dims, int sampleMaps) {
        List<Pipeline.Stage> stages = new ArrayList<>(List.of(
                new Pipeline.Stage("L1.patches", new PatchSpec(6, 1)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults().withEmptyNorm(0.1).withNormalize(true)
                        .withSamples(20_000)),
                new Pipeline.Stage("L1.code", SparseCodingSpec.of("L1", atoms, 0.7).withEncoder(Encoder.COSINE_THRESHOLD)
                        .withSampledAtoms(0.7).withMaxSamples(20_000))));
        if (dims > 0) {
            stages.add(new Pipeline.Stage("L1.embed", ManifoldSpec.defaults()
                    .withDifference(ManifoldSpec.Difference.NEIGHBOUR_MEAN).withWindow(5).withDims(dims)
                    .withSampleMaps(sampleMaps)));
        }
        stages.add(new Pipeline.Stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2)));
        return stages;
    }

    /** {@code n} items of {@code set} spread evenly over it: the embedded split is in class order. */
    public static ImageSet spread(ImageSet set, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = (int) ((long) i * set.size() / n);
        return set.select(set.name() + " every " + (set.size() / n) + "th", idx);
    }

    /**
     * The small stack (64 atoms, 8 dimensions) fitted on {@code train} (seed 5) with {@code branches}
     * beside it, and a model of it with the default linear readout (seed 3).
     */
    public static Model withBranches(ImageSet train, List<Pipeline.Branch> branches) {
        Pipeline pipeline = Pipeline.fit(train.source(), stages(64, 8, 200), branches, FitContext.silent(5),
                new Pipeline.FitHook() { });
        INDArray features = pipeline.transformAll(train.source());
        return new Model(Provenance.now(5, "test", "none", train.size()), pipeline,
                List.of(LinearSpec.defaults(10).fit("linear", MapSource.of(features), train.labels(), FitContext.silent(3))),
                Map.of());
    }

    /** Channels {@code from} to {@code to} of maps {@code [n, h, w, c]}, in C order. */
    public static float[] channels(INDArray maps, int from, int to) {
        return FloatArrays.values(maps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(from, to)).dup('c'));
    }
}
