package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.baselines.Recipe;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./glassbox imagenet --baselines} end to end on a class tree the test writes: 4 classes of 20
 * striped images, 20 x 20 crops, the small stack, then both CNNs on the same split.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageBaselinesTest {
    static final int CLASSES = 4;

    @TempDir
    static Path root;

    JsonNode metrics;
    String summary;
    Path out;

    @BeforeAll
    void runWithBaselines() throws IOException {
        Path data = root.resolve("data");
        TestImages.stripes(data, CLASSES, 20, 11);
        out = root.resolve("out");
        StringWriter console = new StringWriter();
        ImagenetRun.run(ImagenetRunTest.options(data, out, false), true, Progress.silent(), new SkipLog(s -> { }),
                new PrintWriter(console, true));
        summary = console.toString();
        metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void metricsHoldTheSameTableAsTheMnistCommand() {
        List<String> names = new ArrayList<>();
        metrics.get("baselines").forEach(e -> names.add(e.get("name").asText()));
        assertEquals(List.of("glassbox", "cnn", "cnn_augmented"), names);
        assertEquals(List.of("cnn", "cnn_augmented"), fieldNames(metrics.get("mcnemar")));
        for (JsonNode e : metrics.get("baselines")) {
            for (String field : List.of("accuracy", "ci95", "seconds_train", "images_per_second", "parameters", "recipe")) {
                assertTrue(e.has(field), e.get("name") + " lacks " + field);
            }
            assertTrue(e.get("images_per_second").asDouble() > 0);
        }
        JsonNode glassbox = metrics.get("baselines").get(0);
        assertEquals(metrics.get("accuracy").get("linear").asDouble(), glassbox.get("accuracy").asDouble(), 1e-12);
        assertEquals("linear", glassbox.get("recipe").get("readout").asText());
        assertEquals(16, metrics.get("throughput").get("images").asInt(), "all 16 test images");
        assertTrue(summary.contains("cnn_augmented"), summary);
        assertTrue(summary.contains("McNemar p"), summary);
    }

    /**
     * The CNNs' recipes read back as recipes (crops fixed, then per epoch with flips); 20 x 20 crops
     * give 2 x 2 x 128 = 512 inputs to dense 256: 896 + 18,496 + 73,856 + 131,328 + 257 * 4 parameters.
     */
    @Test
    void eachCnnEntryCarriesItsRecipeAndTraining() {
        JsonNode cnn = metrics.get("baselines").get(1);
        JsonNode augmented = metrics.get("baselines").get(2);
        Recipe fixed = Recipe.fromJson(cnn.get("recipe"));
        Recipe fresh = Recipe.fromJson(augmented.get("recipe"));
        assertEquals(Recipe.Augmentation.FIXED, fixed.augmentation().crops());
        assertEquals(new Recipe.Augmentation(Recipe.Augmentation.PER_EPOCH, true), fresh.augmentation());
        assertEquals(3, fixed.seed(), "the run's seed");
        assertEquals(896 + 18_496 + 73_856 + 131_328 + 257 * 4, cnn.get("parameters").asLong());
        for (JsonNode e : List.of(cnn, augmented)) {
            JsonNode t = e.get("training");
            int epochs = t.get("epochs").asInt();
            assertTrue(epochs >= 1 && epochs <= fixed.maxEpochs(), e.toString());
            assertEquals(epochs, t.get("validation_accuracy").size());
            assertTrue(e.get("train_images_per_second").asDouble() > 0);
        }
        // The striped classes differ in colour and orientation: both networks learn them.
        assertTrue(cnn.get("accuracy").asDouble() >= 0.75, cnn.toString());
        assertTrue(augmented.get("accuracy").asDouble() >= 0.75, augmented.toString());
    }

    @Test
    void theReportShowsTheTable() throws IOException {
        String html = Files.readString(out.resolve("report/index.html"));
        assertTrue(html.contains("Beside black-box baselines"));
        assertTrue(html.contains("<td>cnn_augmented</td>"));
    }

    @Test
    void laterEpochsDrawOtherCropsFromTheRunsSeed() {
        assertEquals(3, ImageBaselines.epochCropSeed(3, 1));
        assertNotEquals(ImageBaselines.epochCropSeed(3, 2), ImageBaselines.epochCropSeed(3, 3));
        assertEquals(ImageBaselines.epochCropSeed(3, 2), ImageBaselines.epochCropSeed(3, 2));
    }

    private static List<String> fieldNames(JsonNode j) {
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
