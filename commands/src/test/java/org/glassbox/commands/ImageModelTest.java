package org.glassbox.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.imagenet.ImageInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model commands on a model that {@code ./glassbox imagenet} wrote: its own test images split
 * and cropped as the run did, other image folders read with the same preprocessing, and the shape
 * check between image and digit models.
 */
class ImageModelTest {
    @TempDir
    static Path tmp;
    /** predict --json on the model's own test images. */
    static JsonNode own;
    /** The scores of each of those images by file. */
    static Map<String, JsonNode> scoresByFile = new HashMap<>();

    @BeforeAll
    static void predictOwnTestImages() throws Exception {
        Models m = Models.get();
        own = Json.MAPPER.readTree(Models.run(new PredictCommand(), "--model", m.imageRun.toString(), "--json").out());
        for (JsonNode item : own.get("items")) scoresByFile.put(item.get("file").asText(), item.get("scores"));
    }

    @Test
    void predictOnItsOwnTestImagesGivesTheRunsAccuracy() throws IOException {
        Models m = Models.get();
        JsonNode metrics = Json.MAPPER.readTree(m.imageRun.resolve("metrics.json").toFile());
        assertEquals(metrics.get("test_size").asInt(), own.get("items").size());
        assertEquals(metrics.get("accuracy").get("linear").asDouble(), own.get("accuracy").asDouble(), 0.0);
        for (JsonNode item : own.get("items")) {
            Path file = Path.of(item.get("file").asText());
            assertEquals(m.images.resolve("class" + item.get("label").asInt()), file.getParent(), "labelled by its folder");
        }
    }

    @Test
    void anotherClassTreeIsLabelledWithTheModelsClassesAndPreprocessedAlike() throws Exception {
        Models m = Models.get();
        Path other = tmp.resolve("other");
        List<String> copied = copyTestImages(other, "class3", "class1");
        JsonNode o = Json.MAPPER.readTree(Models.run(new PredictCommand(), "--model", m.imageRun.toString(), "--data",
                other.toString(), "--json").out());
        assertEquals(copied.size(), o.get("items").size());
        for (JsonNode item : o.get("items")) {
            Path file = Path.of(item.get("file").asText());
            String folder = file.getParent().getFileName().toString();
            assertEquals(folder, "class" + item.get("label").asInt(), "the model's index of class folder " + folder);
            assertSameScores(scoresByFile.get(m.images.resolve(folder).resolve(file.getFileName()).toString()),
                    item.get("scores"), "the same image gives the same scores");
        }
        assertEquals(4, o.get("per_class").size());
        assertTrue(o.get("per_class").get(0).isNull(), "no items of class 0");
    }

    @Test
    void aFolderOfImagesWithoutClassFoldersIsPredictedWithoutLabels() throws Exception {
        Models m = Models.get();
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        String first = own.get("items").get(0).get("file").asText();
        Files.copy(Path.of(first), flat.resolve("a.png"));
        Files.writeString(flat.resolve("notes.txt"), "not an image");
        Models.Output printed = Models.run(new PredictCommand(), "--model", m.imageRun.toString(), "--data",
                flat.toString(), "--out", tmp.resolve("flat.jsonl").toString());
        JsonNode line = Json.MAPPER.readTree(Files.readString(tmp.resolve("flat.jsonl")));
        assertFalse(line.has("label"));
        assertEquals(flat.resolve("a.png").toString(), line.get("file").asText());
        assertSameScores(scoresByFile.get(first), line.get("scores"), "the same image gives the same scores");
        assertTrue(printed.out().endsWith("no labels, so no accuracy\n"), printed.out());
        JsonNode o = Json.MAPPER.readTree(Models.run(new PredictCommand(), "--model", m.imageRun.toString(), "--data",
                flat.toString(), "--json").out());
        assertTrue(o.get("accuracy").isNull() && o.get("per_class").isNull());
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new ExplainCommand(), "--model",
                m.imageRun.toString(), "--data", flat.toString(), "--index", "0"));
        assertEquals(flat + ": images without labels (a folder of image files); this command measures the model "
                + "against labels (expected one folder per class, named as the model's classes)", e.getMessage());
    }

    @Test
    void aClassFolderTheModelDoesNotKnowIsRefused() throws Exception {
        Models m = Models.get();
        Path other = tmp.resolve("unknown-class");
        copyTestImages(other, "class2");
        Files.move(other.resolve("class2"), other.resolve("cats"));
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model",
                m.imageRun.toString(), "--data", other.toString()));
        assertEquals(other.resolve("cats") + ": class folder not among the model's 4 classes (expected folders named "
                + "as the model's classes, such as class0, or a folder of image files without labels)", e.getMessage());
    }

    @Test
    void imagesAndDigitsAreRefusedByTheOtherKindOfModel() {
        Models m = Models.get();
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model",
                m.imageRun.toString(), "--data", m.digits.toString()));
        assertEquals(m.digits + ": the data's images are [28, 28, 1] but the model reads [20, 20, 3] (expected data of "
                + "the model's input shape)", e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new ExplainCommand(), "--model",
                m.digitRun.toString(), "--data", m.images.toString(), "--index", "0"));
        assertEquals(m.images + ": the data is an image folder, RGB images of [height, width, 3], but the model reads "
                + "[28, 28, 1] and records no image preprocessing (expected an IDX folder of [28, 28, 1] images)",
                e.getMessage());
    }

    @Test
    void explainInspectAblateAndReportWorkOnTheImageModel() throws Exception {
        Models m = Models.get();
        String model = m.imageRun.toString();
        JsonNode e = Json.MAPPER.readTree(Models.run(new ExplainCommand(), "--model", model, "--index", "2", "--json").out());
        JsonNode item = own.get("items").get(2);
        assertEquals(item.get("label").asInt(), e.get("label").asInt());
        assertEquals(item.get("predicted").asInt(), e.get("predicted").asInt());
        for (int c = 0; c < Models.IMAGE_CLASSES; c++) {
            double sum = e.get("bias").get(c).asDouble();
            for (JsonNode contribution : e.get("contributions")) sum += contribution.get("value").get(c).asDouble();
            double score = e.get("scores").get(c).asDouble();
            assertEquals(score, sum, 1e-4 * Math.max(1, Math.abs(score)));
            assertEquals(item.get("scores").get(c).floatValue(), (float) score, 1e-5f);
        }
        JsonNode a = Json.MAPPER.readTree(Models.run(new AblateCommand(), "--model", model, "--atoms", "L2/a0",
                "--json").out());
        assertEquals(own.get("accuracy").asDouble(), a.get("before").get("overall").asDouble(), 0.0);

        Path export = tmp.resolve("export");
        Models.run(new InspectCommand(), "--model", model, "--out", export.toString());
        int[] labels = new int[own.get("items").size()];
        for (int i = 0; i < labels.length; i++) labels[i] = own.get("items").get(i).get("label").asInt();
        assertArrayEquals(labels, Npy.read(export.resolve("codes/labels.npy")).toIntVector());
        assertEquals(3, Npy.read(export.resolve("atoms/L1.images.npy")).size(3), "RGB atom pictures");

        Path report = tmp.resolve("report");
        Models.run(new ReportCommand(), "--model", model, "--out", report.toString());
        assertTrue(Files.readString(report.resolve("report/index.html")).contains("L2/a0"));
    }

    @Test
    void anImageModelThatRecordsNoPreprocessingIsRefusedWithTheReason() throws Exception {
        Models m = Models.get();
        Model fitted = m.imageResult.model();
        Map<String, String> info = new HashMap<>(fitted.info());
        info.keySet().removeAll(List.of(ImageInfo.RESIZE, ImageInfo.CROP, ImageInfo.TEST_FRACTION));
        Path dir = tmp.resolve("earlier-model");
        ModelFile.write(new Model(fitted.provenance(), fitted.pipeline(), fitted.readouts(), info), dir);
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model",
                dir.toString()));
        assertEquals(dir.resolve("manifest.json") + ": the model names its image classes but records no image "
                + "preprocessing (no info \"resize\" and \"crop\"; it was written by an earlier ./glassbox imagenet): "
                + "fit it again to run it on images", e.getMessage());
    }

    /** Copies the model's own test images of {@code classes} into class folders of the same names under {@code root}. */
    /**
     * The same scores up to float32 rounding (1e-5 of the largest): an image predicted alone goes
     * through products of other sizes than in a batch, which OpenBLAS may sum in another order.
     */
    private static void assertSameScores(JsonNode expected, JsonNode actual, String message) {
        assertEquals(expected.size(), actual.size(), message);
        double largest = 0;
        for (JsonNode e : expected) largest = Math.max(largest, Math.abs(e.asDouble()));
        for (int c = 0; c < expected.size(); c++) {
            assertEquals(expected.get(c).asDouble(), actual.get(c).asDouble(), 1e-5 * largest, message + ", class " + c);
        }
    }

    private static List<String> copyTestImages(Path root, String... classes) throws IOException {
        List<String> copied = new java.util.ArrayList<>();
        for (JsonNode item : own.get("items")) {
            Path file = Path.of(item.get("file").asText());
            String folder = file.getParent().getFileName().toString();
            if (!List.of(classes).contains(folder)) continue;
            Path to = Files.createDirectories(root.resolve(folder)).resolve(file.getFileName());
            Files.copy(file, to);
            copied.add(to.toString());
        }
        return copied;
    }
}
