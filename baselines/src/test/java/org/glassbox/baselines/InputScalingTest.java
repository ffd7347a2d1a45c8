package org.glassbox.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InputScalingTest {
    /** Per channel: channel 0 holds 1..4, channel 1 holds 10, 10, 30, 30. */
    @Test
    void standardisesEachChannelOfChannelMajorRows() {
        float[] nhwc = {1, 10, 2, 10, 3, 30, 4, 30};
        INDArray images = Nd4j.create(nhwc, new long[] {1, 2, 2, 2}, 'c');
        InputScaling s = InputScaling.of(images);
        assertArrayEquals(new double[] {2.5, 20}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(1.25), 10}, s.std(), 1e-12);
        INDArray rows = s.apply(Baselines.nchwRows(images));
        float a = (float) (1 / Math.sqrt(1.25));
        assertArrayEquals(new float[] {-1.5f * a, -0.5f * a, 0.5f * a, 1.5f * a, -1, -1, 1, 1}, rows.data().asFloat(), 1e-6f);
        INDArray unchanged = Baselines.nchwRows(images);
        assertSame(unchanged, InputScaling.NONE.apply(unchanged));
    }

    /**
     * A standardised recipe takes its numbers from the training part (never the validation or test
     * images) and writes them to the training record.
     */
    @Test
    void aStandardisedRecipeScalesByTheTrainingPartAndRecordsTheNumbers() {
        TrainTest full = EmbeddedMnist.split();
        ImageSet train = StratifiedSplit.split(full.train(), 0.05, 4).test();
        ImageSet test = StratifiedSplit.split(full.test(), 0.1, 4).test();
        Recipe recipe = Recipes.mlp(10, 1).withMaxEpochs(1).withInput(Recipe.STANDARDISED);
        BaselineResult r = Baselines.train(recipe, new TrainTest(train, test), Progress.silent());
        InputScaling expected = InputScaling.of(Baselines.holdout(train, recipe).train().images());
        assertArrayEquals(expected.mean(), r.scaling().mean(), 0);
        assertArrayEquals(expected.std(), r.scaling().std(), 0);
        assertTrue(r.scaling().mean()[0] > 0.1 && r.scaling().mean()[0] < 0.16, "mean pixel " + r.scaling().mean()[0]);
        JsonNode t = r.training();
        assertEquals(r.scaling().mean()[0], t.get("input_mean").get(0).asDouble());
        assertEquals(r.scaling().std()[0], t.get("input_std").get(0).asDouble());
        assertTrue(r.accuracy() > 0.5, "accuracy " + r.accuracy() + " after 6 steps (63.5% when written; chance 10%)");
        assertTrue(Baselines.train(recipe.withInput(Recipe.UNIT), new TrainTest(train, test), Progress.silent())
                .scaling().isNone());
    }
}
