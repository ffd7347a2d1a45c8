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

/** A two-layer RGB stack small enough for the tests: the default stack's shape with few atoms and samples. */
final class SmallStack {
    private SmallStack() {
    }

    static StackDescription of(int classes) {
        return new StackDescription(List.of(
                new Stage("L1.patches", new PatchSpec(5, 1)),
                new Stage("L1.whiten", WhiteningSpec.defaults().withSamples(4000)),
                new Stage("L1.code", SparseCodingSpec.of("L1", 16, 0.5).withNonNegative(true).withMaxSamples(3000)
                        .withEpochs(1).withIterations(50)),
                new Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage("L2.patches", new PatchSpec(3, 1)),
                new Stage("L2.code", SparseCodingSpec.of("L2", 16, 0.3).withNonNegative(true).withMaxSamples(2000)
                        .withEpochs(1).withIterations(50)),
                new Stage("L2.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                List.of(new ReadoutStage("linear", LinearSpec.defaults(classes)), new ReadoutStage("knn", KnnSpec.defaults(classes))));
    }
}
