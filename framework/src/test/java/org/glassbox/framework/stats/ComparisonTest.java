package org.glassbox.framework.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final int[] LABELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void entriesCarryAccuracyWilsonIntervalAndMcNemarAgainstTheReference() {
        ClassifierRun glassbox = new ClassifierRun("glassbox", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 5000, 1234);
        ClassifierRun lenet = new ClassifierRun("lenet5", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0, 0}, 60, 9000, 61706);
        ClassifierRun mlp = new ClassifierRun("mlp", new int[] {0, 1, 2, 3, 4, 5, 0, 0, 0, 0}, 20, 40000, 266610);
        Comparison c = Comparison.of(List.of(glassbox, lenet, mlp), LABELS, "glassbox");
        assertEquals(List.of("glassbox", "lenet5", "mlp"), c.baselines().stream().map(Comparison.Entry::name).toList());
        Comparison.Entry l = c.baselines().get(1);
        assertEquals(0.8, l.accuracy());
        assertArrayEquals(Wilson.ci95(8, 10).toArray(), l.ci95());
        assertEquals(60, l.secondsTrain());
        assertEquals(9000, l.imagesPerSecond());
        assertEquals(61706, l.parameters());
        // glassbox vs lenet5: b = 2, c = 0 -> 2 * (1/4) = 0.5; vs mlp: b = 4, c = 0 -> 2/16
        assertEquals(List.of("lenet5", "mlp"), List.copyOf(c.mcnemar().keySet()));
        assertEquals(0.5, c.mcnemar().get("lenet5"), 1e-15);
        assertEquals(0.125, c.mcnemar().get("mlp"), 1e-15);
    }

    @Test
    void serialisesWithTheMetricsJsonFieldNames() throws Exception {
        ClassifierRun a = new ClassifierRun("glassbox", LABELS.clone(), 1.5, 100, 7);
        ClassifierRun b = new ClassifierRun("mlp", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 0}, 2.5, 200, 9);
        JsonNode tree = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(Comparison.of(List.of(a, b), LABELS, "glassbox")));
        JsonNode mlp = tree.get("baselines").get(1);
        assertEquals(List.of("name", "accuracy", "ci95", "seconds_train", "images_per_second", "parameters"),
                List.copyOf(iterable(mlp.fieldNames())));
        assertEquals("mlp", mlp.get("name").asText());
        assertEquals(0.9, mlp.get("accuracy").asDouble());
        assertEquals(2, mlp.get("ci95").size());
        assertEquals(Wilson.ci95(9, 10).low(), mlp.get("ci95").get(0).asDouble());
        assertEquals(2.5, mlp.get("seconds_train").asDouble());
        assertEquals(200, mlp.get("images_per_second").asDouble());
        assertEquals(9, mlp.get("parameters").asLong());
        assertEquals(1.0, tree.get("mcnemar").get("mlp").asDouble());
    }

    @Test
    void withoutAReferenceThereAreNoMcNemarTests() {
        ClassifierRun a = new ClassifierRun("lenet5", LABELS.clone(), 1, 1, 1);
        assertEquals(0, Comparison.of(List.of(a), LABELS, null).mcnemar().size());
    }

    @Test
    void rejectsBadRuns() {
        ClassifierRun a = new ClassifierRun("lenet5", LABELS.clone(), 1, 1, 1);
        ClassifierRun shortRun = new ClassifierRun("mlp", new int[] {0, 1}, 1, 1, 1);
        assertEquals("two models are named \"lenet5\" (expected distinct names)",
                assertThrows(GlassboxException.class, () -> Comparison.of(List.of(a, a), LABELS, null)).getMessage());
        assertEquals("mlp: 2 predictions but 10 test labels (expected one prediction per test item)",
                assertThrows(GlassboxException.class, () -> Comparison.of(List.of(a, shortRun), LABELS, null)).getMessage());
        assertEquals("no model named \"glassbox\" among [lenet5] (expected the reference model of the McNemar tests)",
                assertThrows(GlassboxException.class, () -> Comparison.of(List.of(a), LABELS, "glassbox")).getMessage());
        assertEquals("no models to compare (expected at least one run)",
                assertThrows(GlassboxException.class, () -> Comparison.of(List.of(), LABELS, null)).getMessage());
        assertEquals("invalid imagesPerSecond = 0.0: expected a finite positive rate",
                assertThrows(GlassboxException.class, () -> new ClassifierRun("x", new int[] {1}, 1, 0, 1)).getMessage());
    }

    /** A run's training rate, recipe and training record pass to its entry; without them the entry omits the fields. */
    @Test
    void entriesCarryTheTrainingRateRecipeAndTrainingRecordWhenGiven() throws Exception {
        JsonNode recipe = Json.MAPPER.readTree("{\"name\": \"mlp\", \"batch_size\": 64}");
        JsonNode training = Json.MAPPER.readTree("{\"epochs\": 4, \"best_epoch\": 2}");
        ClassifierRun a = new ClassifierRun("glassbox", LABELS.clone(), 1.5, 100, 7);
        ClassifierRun b = new ClassifierRun("mlp", LABELS.clone(), 2.5, 200, 9, 640.0, recipe, training);
        JsonNode tree = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(Comparison.of(List.of(a, b), LABELS, "glassbox")));
        JsonNode mlp = tree.get("baselines").get(1);
        assertEquals(List.of("name", "accuracy", "ci95", "seconds_train", "images_per_second", "parameters",
                "train_images_per_second", "recipe", "training"), List.copyOf(iterable(mlp.fieldNames())));
        assertEquals(640.0, mlp.get("train_images_per_second").asDouble());
        assertEquals(recipe, mlp.get("recipe"));
        assertEquals(training, mlp.get("training"));
        assertEquals(6, tree.get("baselines").get(0).size(), "no rate, recipe or training record for glassbox");
        assertEquals("invalid trainImagesPerSecond = -1.0: expected a finite positive rate or null",
                assertThrows(GlassboxException.class,
                        () -> new ClassifierRun("x", new int[] {1}, 1, 1, 1, -1.0, null, null)).getMessage());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
