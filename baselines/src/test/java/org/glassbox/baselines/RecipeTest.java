package org.glassbox.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class RecipeTest {
    /** Every recipe the commands use survives the trip through metrics.json's JSON unchanged. */
    @Test
    void recipesRoundTripThroughJson() throws Exception {
        for (Recipe r : List.of(Recipes.lenet5(10, 1), Recipes.mlp(10, 3), Recipes.imageCnn(11, 2),
                Recipes.imageCnnAugmented(11, 2))) {
            String text = Json.MAPPER.writeValueAsString(r.toJson());
            Recipe back = Recipe.fromJson(Json.MAPPER.readTree(text));
            assertEquals(r, back, r.name());
            assertEquals(text, Json.MAPPER.writeValueAsString(back.toJson()));
        }
    }

    /** The JSON a reader sees: every hyperparameter by name. */
    @Test
    void theJsonNamesEveryHyperparameter() {
        JsonNode j = Recipes.lenet5(10, 4).toJson();
        assertEquals(List.of("name", "layers", "initialisation", "optimiser", "schedule", "batch_size", "max_epochs",
                "patience", "validation_fraction", "input", "augmentation", "seed", "data_type", "workspaces", "threads"),
                fieldNames(j));
        assertEquals("{\"type\":\"conv\",\"size\":20,\"kernel\":5,\"stride\":1,\"padding\":0,\"activation\":\"relu\"}",
                j.get("layers").get(0).toString());
        assertEquals("{\"type\":\"max_pool\",\"kernel\":2,\"stride\":2}", j.get("layers").get(1).toString());
        assertEquals("{\"name\":\"adam\",\"learning_rate\":0.001,\"beta1\":0.9,\"beta2\":0.999,\"epsilon\":1.0E-8}",
                j.get("optimiser").toString());
        assertEquals(4, j.get("seed").asLong());
    }

    /**
     * A recipe read back from its JSON trains the same network: the same initial weights and, after a
     * short training on real digits, the same predictions.
     */
    @Test
    void aRecipeReadBackTrainsTheSameNetwork() throws Exception {
        Recipe recipe = Recipes.mlp(10, 8).withMaxEpochs(1);
        Recipe back = Recipe.fromJson(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(recipe.toJson())));
        MapShape digits = new MapShape(28, 28, 1);
        assertEquals(init(recipe, digits).params(), init(back, digits).params());
        TrainTest full = EmbeddedMnist.split();
        ImageSet train = StratifiedSplit.split(full.train(), 0.05, 1).test();
        ImageSet test = StratifiedSplit.split(full.test(), 0.1, 1).test();
        TrainTest small = new TrainTest(train, test);
        assertArrayEquals(Baselines.train(recipe, small, Progress.silent()).predictions(),
                Baselines.train(back, small, Progress.silent()).predictions());
    }

    /** Conv 5x5x20 520, conv 5x5x50 25,050, dense 800 -> 500 400,500, output 5,010 (the Caffe LeNet). */
    @Test
    void parameterCountsMatchTheHandCountedShapes() {
        MultiLayerNetwork lenet = init(Recipes.lenet5(10, 1), new MapShape(28, 28, 1));
        assertEquals(520 + 25_050 + 400_500 + 5_010, lenet.numParams());
        assertArrayEquals(new long[] {20, 1, 5, 5}, lenet.getLayer(0).getParam("W").shape());
        assertArrayEquals(new long[] {50, 20, 5, 5}, lenet.getLayer(2).getParam("W").shape());
        assertArrayEquals(new long[] {800, 500}, lenet.getLayer(4).getParam("W").shape());
        assertArrayEquals(new long[] {3, 10}, lenet.output(Nd4j.zeros(DataType.FLOAT, 3, 784)).shape());
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, init(Recipes.mlp(10, 1), new MapShape(28, 28, 1)).numParams());
        // 32 x 32 x 3 crops: 3 -> 32 -> 64 -> 128 maps of 3 x 3, padding 1, pooled to 4 x 4 x 128 = 2,048 inputs to dense 256
        MultiLayerNetwork cnn = init(Recipes.imageCnn(11, 1), new MapShape(32, 32, 3));
        assertEquals(896 + 18_496 + 73_856 + 2_048 * 256 + 256 + 257 * 11, cnn.numParams());
    }

    @Test
    void theScheduleMultipliesTheRateEveryFewEpochs() {
        Recipe.Schedule step = new Recipe.Schedule("step", 0.5, 3);
        assertEquals(1e-3, step.rate(1e-3, 1));
        assertEquals(1e-3, step.rate(1e-3, 3));
        assertEquals(5e-4, step.rate(1e-3, 4));
        assertEquals(2.5e-4, step.rate(1e-3, 7));
        assertEquals(1e-3, Recipe.Schedule.constant().rate(1e-3, 30));
    }

    @Test
    void rejectsInvalidRecipesNamingTheParameter() {
        Recipe d = Recipes.mlp(10, 1);
        assertMessage("invalid max_epochs = 0: expected at least 1", () -> d.withMaxEpochs(0));
        assertMessage("invalid patience = 0: expected at least 1", () -> d.withPatience(0));
        assertMessage("invalid batch_size = -2: expected at least 1", () -> d.withBatchSize(-2));
        assertMessage("invalid learning_rate = NaN: expected a finite positive step size", () -> Recipe.Optimiser.adam(Double.NaN));
        assertMessage("invalid conv padding = -1: expected at least 0", () -> LayerSpec.conv(3, 3, 1, -1));
        assertMessage("invalid max_pool size = 4: expected none (a max_pool layer has no size)",
                () -> new LayerSpec("max_pool", 4, 2, 2, null, null, null));
        assertMessage("invalid layers = output 10 at position 1: expected one output layer, the last",
                () -> new Recipe("x", List.of(LayerSpec.output(10), LayerSpec.dense(10)), Recipe.HE_NORMAL,
                        Recipe.Optimiser.adam(1e-3), Recipe.Schedule.constant(), 64, 1, 1, 0.1, Recipe.UNIT,
                        Recipe.Augmentation.none(), 1, "float32", "enabled", 1));
        assertMessage("invalid augmentation crops = sometimes: expected none, fixed or per_epoch",
                () -> new Recipe.Augmentation("sometimes", false));
        assertMessage("invalid augmentation translate = -1: expected at least 0",
                () -> new Recipe.Augmentation(Recipe.Augmentation.NONE, false, 0, -1));
    }

    /** A recipe written before shifted copies and translations existed reads back without them. */
    @Test
    void anAugmentationWithoutShiftsOrTranslationsReadsBackAsNone() {
        ObjectNode j = (ObjectNode) Recipes.lenet5(10, 1).toJson();
        ObjectNode augmentation = (ObjectNode) j.get("augmentation");
        assertEquals(2, augmentation.get("translate").asInt());
        augmentation.remove("translate");
        augmentation.remove("shifts");
        Recipe back = Recipe.fromJson(j);
        assertEquals(Recipe.Augmentation.none(), back.augmentation());
        assertFalse(back.augmentation().redrawnEachEpoch());
        assertTrue(Recipes.lenet5(10, 1).augmentation().redrawnEachEpoch());
    }

    @Test
    void unknownJsonFieldsAreRefused() {
        ObjectNode j = (ObjectNode) Recipes.mlp(10, 1).toJson();
        j.put("momentum", 0.9);
        assertThrows(GlassboxException.class, () -> Recipe.fromJson(j));
    }

    @Test
    void windowsLargerThanTheMapAreRefused() {
        assertEquals("lenet5: layer 3 (conv 5x5x50) gets maps of 4 x 4 pixels, smaller than its window (expected larger images)",
                assertThrows(GlassboxException.class, () -> Recipes.lenet5(10, 1).network(new MapShape(12, 12, 1))).getMessage());
    }

    private static MultiLayerNetwork init(Recipe r, MapShape shape) {
        MultiLayerNetwork net = new MultiLayerNetwork(r.network(shape));
        net.init();
        return net;
    }

    private static void assertMessage(String message, Executable e) {
        assertEquals(message, assertThrows(InvalidParameterException.class, e).getMessage());
    }

    private static List<String> fieldNames(JsonNode j) {
        List<String> names = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
