package org.glassbox.layers.inspect;

import java.util.List;
import java.util.Map;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.Provenance;
import org.glassbox.layers.SmallSmtStack;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.readout.LinearSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Small fitted models on real digits shared by the inspection tests (fitted once per JVM): the
 * sparse manifold transform stack of SparseManifoldStackTest (patches, whitening, 256 sampled atoms
 * with cosine-threshold codes, an 8-dimensional NEIGHBOUR_MEAN embedding, 2 x 2 average pooling) and
 * the classic stack without an embedding, each with a linear readout fitted on 300 training digits.
 */
final class SmtModels {
    static final int TRAIN = 300;
    static final int TEST = 120;

    private static SmtModels smt;
    private static SmtModels classic;

    final Model model;
    final LinearReadout readout;
    final ImageSet train;
    final ImageSet test;

    private SmtModels(boolean embedding) {
        TrainTest split = EmbeddedMnist.split();
        train = SmallSmtStack.spread(split.train(), TRAIN);
        assertMixed(train);
        test = SmallSmtStack.spread(split.test(), TEST);
        assertMixed(test);
        List<Pipeline.Stage> stages = embedding ? SmallSmtStack.stages(256, 8, TRAIN) : SmallSmtStack.stages(48, 0, 0);
        Pipeline pipeline = Pipeline.fit(train.source(), stages, FitContext.silent(21));
        INDArray features = pipeline.transformAll(train.source());
        readout = LinearSpec.defaults(10).fit("linear", MapSource.of(features), train.labels(), FitContext.silent(3));
        model = new Model(Provenance.now(21, "test", "none", TRAIN), pipeline, List.of(readout), Map.of());
    }

    private static void assertMixed(ImageSet set) {
        for (int c : set.classCounts()) {
            if (c < 5) throw new AssertionError(set.name() + ": too few items of some class " + java.util.Arrays.toString(set.classCounts()));
        }
    }

    /** The sparse manifold transform stack with its linear readout. */
    static synchronized SmtModels smt() {
        if (smt == null) smt = new SmtModels(true);
        return smt;
    }

    /** Patches, whitening, sparse coding and pooling (no embedding) with its linear readout. */
    static synchronized SmtModels classic() {
        if (classic == null) classic = new SmtModels(false);
        return classic;
    }

    /** Images {@code from} to {@code to} of {@code set}. */
    static INDArray images(ImageSet set, int from, int to) {
        return set.images().get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
    }
}
