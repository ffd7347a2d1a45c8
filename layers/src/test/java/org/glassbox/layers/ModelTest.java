package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.model.Model;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.readout.LinearSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Model as a library entry point: fit from a stack, scores and predictions batch by batch, save and load. */
class ModelTest {
    private static ImageSet train;
    private static ImageSet test;
    private static StackDescription stack;
    private static Model model;
    private static final List<String> STEPS = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void fit() {
        TrainTest split = EmbeddedMnist.split();
        train = SmallSmtStack.spread(split.train(), 600);
        test = SmallSmtStack.spread(split.test(), 300);
        StackDescription.Builder b = StackDescription.builder();
        SmallSmtStack.stages(64, 4, 200).forEach(s -> b.stage(s.id(), s.spec()));
        stack = b.readout("linear", LinearSpec.defaults(10)).readout("knn", KnnSpec.defaults(10).withK(5)).build();
        model = Model.fit(stack, train, 0, FitContext.silent(5), (step, seconds) -> STEPS.add(step));
    }

    @Test
    void fitSeesEveryStageThenTheFeaturePassThenEveryReadout() {
        assertEquals(List.of("L1.patches", "L1.whiten", "L1.code", "L1.embed", "L1.pool", Model.TRAIN_FEATURES,
                "linear", "knn"), STEPS);
        assertEquals("10", model.info().get(Model.CLASSES));
        assertEquals(train.fingerprint(), model.provenance().dataSha256());
        assertEquals(600, model.provenance().trainSamples());
    }

    @Test
    void scoresAreTheDefaultReadoutsOutputOverThePipeline() {
        INDArray scores = model.scores(test.source());
        assertArrayEquals(new long[] {300, 10}, scores.shape());
        INDArray direct = model.readout().encode(model.pipeline().transform(test.images())).reshape(300, 10);
        assertTrue(scores.equalsWithEps(direct, 1e-5));
        assertEquals("linear", model.readout().id());
        assertArrayEquals(Predictions.argmax(direct), model.predict(test.images()));
        int[] knn = Predictions.argmax(model.scores(test.source(), model.readout("knn")));
        assertArrayEquals(model.readout("knn").predict(model.pipeline().transform(test.images())), knn);
    }

    @Test
    void accuracyIsTheShareOfCorrectPredictionsAndBeatsChance() {
        double accuracy = model.accuracy(test);
        assertEquals(ConfusionMatrix.accuracy(test.labels(), model.predict(test.source()), 10), accuracy, 1e-12);
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
    }

    @Test
    void aSavedModelLoadsAndPredictsTheSame() {
        Path dir = tmp.resolve("model");
        model.withInfo("note", "saved by ModelTest").save(dir);
        Model back = Model.load(dir);
        assertEquals("saved by ModelTest", back.info().get("note"));
        assertEquals(List.of("linear", "knn"), back.readouts().stream().map(r -> r.id()).toList());
        assertTrue(back.scores(test.source()).equalsWithEps(model.scores(test.source()), 1e-6));
    }

    @Test
    void withShiftedCopiesTheLinearReadoutLearnsFromThemAndTheKnnReadoutKeepsTheImagesAlone() {
        Model shifted = Model.fit(stack, train, 1, FitContext.silent(5), (step, seconds) -> { });
        INDArray kept = shifted.readout("knn").parameters().get("features");
        assertEquals(600, kept.size(0));
        assertEquals(model.readout("knn").parameters().get("features"), kept);
        INDArray weights = shifted.readout("linear").parameters().get("weights");
        assertTrue(weights.sub(model.readout("linear").parameters().get("weights")).norm2Number().doubleValue() > 1e-3,
                "the copies changed nothing in the linear readout");
    }

    @Test
    void wrongInputIsRefusedWithAMessage() {
        assertEquals("the model has no readout named svm (it has [linear, knn])",
                assertThrows(GlassboxException.class, () -> model.readout("svm")).getMessage());
        INDArray wide = org.nd4j.linalg.factory.Nd4j.zeros(2, 28, 30, 1);
        GlassboxException e = assertThrows(GlassboxException.class, () -> model.predict(wide));
        assertTrue(e.getMessage().startsWith("images: "), e.getMessage());
        assertEquals("shifted copies: -1 shifts (expected at least 0)", assertThrows(GlassboxException.class,
                () -> Model.fit(stack, train, -1, FitContext.silent(1), (s, t) -> { })).getMessage());
    }

    @Test
    void anExplanationSumsToTheScoresOfTheImageWhicheverWayTheImageIsGiven() {
        Explanation e = model.explain(test, 3);
        float[] scores = model.scores(test.images()).getRow(3).toFloatVector();
        assertEquals(test.labels()[3], e.label());
        assertEquals(model.predict(test.images())[3], e.predicted());
        for (int c = 0; c < 10; c++) {
            double sum = e.bias()[c];
            for (Explanation.Contribution a : e.contributions()) sum += a.value()[c];
            assertEquals(scores[c], sum, 1e-4, "class " + c);
            assertEquals(scores[c], e.scores()[c], 1e-5);
        }
        assertEquals("L1/a0", e.contributions().get(0).atom());
        Explanation alone = model.explain(test.images().slice(3));
        assertEquals(-1, alone.label());
        assertArrayEquals(e.scores(), alone.scores(), 1e-6f);
        assertArrayEquals(e.contributions().get(7).value(), alone.contributions().get(7).value(), 1e-6f);
    }

    @Test
    void switchingOffEveryAtomLeavesOnlyTheBias() {
        List<String> all = new ArrayList<>();
        for (int k = 0; k < model.atoms("L1.code").atomCount(); k++) all.add(model.atoms("L1.code").atomId(k));
        Ablation.Result r = model.ablate(test, all);
        assertEquals(model.accuracy(test), r.before().overall(), 1e-12);
        // no atom fires, so every feature is zero and every image gets the class of largest bias
        int biasClass = Predictions.argmax(((LinearReadout) model.readout()).parameters().get("bias").reshape(1, 10))[0];
        long ofThatClass = java.util.Arrays.stream(test.labels()).filter(l -> l == biasClass).count();
        assertEquals((double) ofThatClass / test.size(), r.after().overall(), 1e-12);
        assertEquals("no atoms to switch off (expected at least one atom id)",
                assertThrows(GlassboxException.class, () -> model.ablate(test, List.of())).getMessage());
    }

    @Test
    void atomsAreTheDictionaryAndTheirPicturesThePatches() {
        assertEquals(64, model.atoms("L1.code").atomCount());
        assertArrayEquals(new long[] {64, 6, 6, 1}, model.atomImages("L1.code").shape());
        assertEquals("stage L1.pool has no atoms (stages with atoms: [L1.code])",
                assertThrows(GlassboxException.class, () -> model.atoms("L1.pool")).getMessage());
        assertEquals("linear", model.linearReadout().id());
    }
}
