package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.layer.StackDescription.ReadoutStage;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.pool.PoolingSpec.Reduction;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.Test;

/**
 * The check of a stack against its training data before any fit ({@link LayerSpec#check},
 * {@link Pipeline#check}, {@link StackDescription#check}): the shapes it computes are those of the
 * fitted layers, and every value that does not fit the data is refused with the data, the stage, its
 * kind and the field named.
 */
class StackCheckTest {
    private static final MapShape DIGIT = new MapShape(28, 28, 1);
    private static final SparseCodingSpec CODE = new SparseCodingSpec("L1", 8, 0.3, true, Encoder.FISTA, 1, 30, 1e-3,
            1, 64, 2_000);

    /** A stack with every stage kind: [28, 28, 1] to [24, 24, 25], [6, 6, 8], [6, 6, 3] and [2, 2, 3]. */
    private static List<Stage> stages() {
        return List.of(new Stage("L1.patches", new PatchSpec(5, 1)), new Stage("L1.whiten", WhiteningSpec.defaults()),
                new Stage("L1.code", CODE), new Stage("L1.pool", PoolingSpec.windows(Reduction.AVERAGE, 4, 4)),
                new Stage("L1.embed", ManifoldSpec.defaults().withDims(3).withWindow(3)),
                new Stage("L1.grid", PoolingSpec.grid(Reduction.AVERAGE, 2, 2)));
    }

    private static StackDescription stack(List<Stage> stages, ReadoutStage... readouts) {
        return new StackDescription(stages, List.of(readouts));
    }

    private static String problem(StackDescription stack, long samples) {
        return assertThrows(GlassboxException.class, () -> stack.check("digits", DIGIT, samples, samples, 10))
                .getMessage();
    }

    private static List<Stage> replaced(int index, Stage stage) {
        List<Stage> stages = new ArrayList<>(stages());
        stages.set(index, stage);
        return stages;
    }

    @Test
    void theCheckedShapesAreThoseOfTheFittedStages() {
        ImageSet digits = EmbeddedMnist.split().train().select("digits", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
        Pipeline fitted = Pipeline.fit(digits.source(), stages(), FitContext.silent(3));
        for (int i = 0; i < stages().size(); i++) {
            assertEquals(fitted.stages().get(i).outputShape(), Pipeline.check(DIGIT, 20, stages().subList(0, i + 1)),
                    stages().get(i).id());
        }
        assertEquals(new MapShape(2, 2, 3), stack(stages(), new ReadoutStage("linear", LinearSpec.defaults(10)))
                .check("digits", DIGIT, 20, 20, 10));
    }

    @Test
    void valuesThatDoNotFitTheDataNameTheDataTheStageAndTheField() {
        assertEquals("digits: stage \"L1.patches\" (patches): invalid size = 30: expected at most 28, the shorter "
                + "side of the input grid [28, 28, 1]", problem(stack(replaced(0, new Stage("L1.patches",
                new PatchSpec(30, 1)))), 20));
        assertEquals("digits: stage \"L1.pool\" (pooling): invalid window = 25: expected at most 24, the shorter side "
                + "of the input grid [24, 24, 8]", problem(stack(replaced(3, new Stage("L1.pool",
                PoolingSpec.windows(Reduction.MAX, 25, 1)))), 20));
        assertEquals("digits: stage \"L1.embed\" (manifold): invalid dims = 8: expected at most 7, the 8 channels of "
                + "the input maps [6, 6, 8] less skip = 1", problem(stack(replaced(4, new Stage("L1.embed",
                ManifoldSpec.defaults().withDims(8)))), 20));
        assertEquals("digits: stage \"L1.grid\" (pooling): invalid outputGridH = 7: expected at most 6, the height of "
                + "the input grid [6, 6, 3]", problem(stack(replaced(5, new Stage("L1.grid",
                PoolingSpec.grid(Reduction.AVERAGE, 7, 1)))), 20));
        assertEquals("digits: stage \"knn\" (knn-readout): invalid k = 30: expected at most the 20 training samples",
                problem(stack(stages(), new ReadoutStage("knn", KnnSpec.defaults(10))), 20));
        assertEquals("digits: stage \"linear\" (linear-readout): invalid classes = 3: expected the 10 classes of the "
                + "training labels", problem(stack(stages(), new ReadoutStage("linear", LinearSpec.defaults(3))), 20));
        assertEquals("digits: stage \"L1.embed\" (manifold): maps of shape [1, 1, 8] have no neighbour pairs within a "
                + "5 x 5 window (expected a grid of at least 2 positions in a row or column)",
                problem(stack(List.of(new Stage("L1.patches", new PatchSpec(28, 1)), new Stage("L1.code", CODE),
                        new Stage("L1.embed", ManifoldSpec.defaults().withDims(2)))), 20));
        assertEquals("digits: stage \"L1.whiten\" (whitening): whitening needs at least 2 position vectors to estimate "
                + "a covariance but the training maps (1 of [1, 1, 784]) hold 1", problem(stack(List.of(new Stage("L1.patches",
                new PatchSpec(28, 1)), new Stage("L1.whiten", WhiteningSpec.defaults()))), 1));
    }

    @Test
    void aReadoutListedAmongTheStagesOrAStageAmongTheReadoutsIsRefused() throws Exception {
        String patches = "{\"id\": \"L1.patches\", \"kind\": \"patches\", \"spec\": {\"size\": 6, \"stride\": 1}}";
        String linear = "{\"id\": \"linear\", \"kind\": \"linear-readout\", \"spec\": "
                + Json.MAPPER.valueToTree(LinearSpec.defaults(10)) + "}";
        assertEquals("stages[1]: kind 'linear-readout' is a readout: list it under \"readouts\"",
                assertThrows(GlassboxException.class, () -> StackDescription.fromJson(Json.MAPPER.readTree(
                        "{\"stages\": [" + patches + ", " + linear + "], \"readouts\": []}"))).getMessage());
        assertEquals("readouts[0]: kind 'patches' is a pipeline stage: list it under \"stages\"",
                assertThrows(GlassboxException.class, () -> StackDescription.fromJson(Json.MAPPER.readTree(
                        "{\"stages\": [" + patches + "], \"readouts\": [" + patches + "]}"))).getMessage());
        StackDescription both = StackDescription.fromJson(Json.MAPPER.readTree(
                "{\"stages\": [" + patches + "], \"readouts\": [" + linear + "]}"));
        assertEquals(LinearSpec.defaults(10), both.readouts().get(0).spec());
        assertEquals(both, StackDescription.fromJson(both.toJson()));
    }

    @Test
    void sizesBeyondOneJavaArrayAreRefusedBeforeTheFit() {
        MapShape wide = new MapShape(2, 2, 100_000);
        assertEquals("invalid atoms = 30000: expected at most 21474 for the input maps [2, 2, 100000] (the dictionary "
                + "of atoms x 100000 values is one Java array)", assertThrows(InvalidParameterException.class,
                () -> CODE.withAtoms(30_000).check(wide, 10)).getMessage());
        assertEquals("invalid atoms = 46341: expected at most 46340 (dictionary learning's atoms x atoms statistics "
                + "are one Java array)", assertThrows(InvalidParameterException.class,
                () -> CODE.withAtoms(46_341)).getMessage());
        assertEquals("the input maps [2, 2, 100000] have vectors of 100000 values (expected at most 46340: the "
                + "covariance is one Java array of d x d values)", assertThrows(GlassboxException.class,
                () -> WhiteningSpec.defaults().check(wide, 10)).getMessage());
        assertEquals("a kNN readout normalises its training features in one Java array, but 5400 samples x 400000 "
                + "features are more values than one holds (expected samples x features <= 2147483647)",
                assertThrows(GlassboxException.class, () -> KnnSpec.defaults(10).check(wide, 5_400)).getMessage());
        assertEquals(new MapShape(1, 1, 10), KnnSpec.defaults(10).check(wide, 5_300));
        assertEquals("the input maps [2, 2, 100000] have 100000 channels (expected at most 46340: the statistics V and "
                + "S are each one Java array of K x K values)", assertThrows(GlassboxException.class,
                () -> ManifoldSpec.defaults().check(wide, 10)).getMessage());
    }

    @Test
    void aFitChecksEveryStageBeforeFittingTheFirst() {
        List<String> tasks = new ArrayList<>();
        Progress recording = (name, total) -> {
            tasks.add(name);
            return Progress.silent().task(name, total);
        };
        ImageSet digits = EmbeddedMnist.split().train().select("digits", new int[] {0, 1, 2, 3});
        var e = assertThrows(GlassboxException.class, () -> Pipeline.fit(digits.source(), List.of(
                new Stage("L1.patches", new PatchSpec(5, 1)), new Stage("L1.code", CODE),
                new Stage("L2.patches", new PatchSpec(25, 1))), new FitContext(1, recording)));
        assertEquals("stage \"L2.patches\" (patches): invalid size = 25: expected at most 24, the shorter side of the "
                + "input grid [24, 24, 8]", e.getMessage());
        assertEquals(List.of(), tasks, "nothing was fitted");
    }
}
