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
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code predict} on the digit model: the run's accuracy, the file formats, the output rule, the shape check. */
class PredictCommandTest {
    @TempDir
    Path tmp;

    private static JsonNode predictJson(String... args) throws Exception {
        return Json.MAPPER.readTree(Models.run(new PredictCommand(), args).out());
    }

    @Test
    void accuracyOnTheModelsOwnTestSetIsTheAccuracyItsRunMeasured() throws Exception {
        Models m = Models.get();
        JsonNode metrics = Json.MAPPER.readTree(m.digitRun.resolve("metrics.json").toFile());
        ImageSet test = IdxFolder.read(m.digits).test();
        for (String readout : List.of("linear", "knn")) {
            JsonNode o = predictJson("--model", m.digitRun.toString(), "--readout", readout, "--json");
            assertEquals(readout, o.get("readout").asText());
            assertEquals(metrics.get("accuracy").get(readout).asDouble(), o.get("accuracy").asDouble(), 0.0, readout);
            assertEquals(Models.DIGITS_TEST, o.get("items").size());
            int[] right = new int[10];
            int[] total = new int[10];
            for (int i = 0; i < Models.DIGITS_TEST; i++) {
                JsonNode item = o.get("items").get(i);
                assertEquals(i, item.get("index").asInt());
                assertEquals(test.labels()[i], item.get("label").asInt());
                assertFalse(item.has("file"));
                float[] scores = floats(item.get("scores"));
                assertEquals(Predictions.argmax(org.nd4j.linalg.factory.Nd4j.create(new float[][] {scores}))[0],
                        item.get("predicted").asInt());
                total[test.labels()[i]]++;
                if (item.get("predicted").asInt() == test.labels()[i]) right[test.labels()[i]]++;
            }
            for (int c = 0; c < 10; c++) {
                assertEquals((double) right[c] / total[c], o.get("per_class").get(c).asDouble(), 1e-12, "class " + c);
            }
        }
        JsonNode byDefault = predictJson("--model", m.digitRun.toString(), "--json");
        assertEquals("linear", byDefault.get("readout").asText(), "the linear readout is the default");
    }

    @Test
    void theModelsIdxFolderGivenAsDataGivesTheSameObject() throws Exception {
        Models m = Models.get();
        String own = Models.run(new PredictCommand(), "--model", m.digitRun.toString(), "--json").out();
        String given = Models.run(new PredictCommand(), "--model", m.digitRun.toString(), "--data", m.digits.toString(),
                "--json").out();
        assertEquals(own, given);
        assertTrue(own.startsWith("{\"readout\":\"linear\",\"data\":\"digits/test\",\"items\":[{\"index\":0,\"label\":"),
                own.substring(0, 80));
        assertEquals(1, own.lines().count(), "one JSON object on one line");
    }

    @Test
    void csvAndJsonLinesReadBackToTheModelsScores() throws Exception {
        Models m = Models.get();
        Model model = m.digitResult.model();
        ImageSet test = IdxFolder.read(m.digits).test();
        Layer linear = model.readout("linear");
        INDArray expected = linear.encode(model.pipeline().transformAll(test.source())).reshape('c', test.size(), 10);

        Path csv = tmp.resolve("p.csv");
        Models.Output printed = Models.run(new PredictCommand(), "--model", m.digitRun.toString(), "--out", csv.toString());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("index,label,predicted,score_0,score_1,score_2,score_3,score_4,score_5,score_6,score_7,score_8,score_9",
                rows.get(0));
        assertEquals(test.size() + 1, rows.size());
        JsonNode o = predictJson("--model", m.digitRun.toString(), "--json");
        assertTrue(printed.out().startsWith("predicted 150 items of digits/test with readout linear into " + csv
                + "\naccuracy " + String.format("%.4f", o.get("accuracy").asDouble()) + " ("), printed.out());
        assertEquals(12, printed.out().lines().count(), "what was written, the accuracy and one line per class");
        assertEquals("", printed.err());

        Path jsonl = tmp.resolve("p.jsonl");
        Models.run(new PredictCommand(), "--model", m.digitRun.toString(), "--out", jsonl.toString());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(test.size(), lines.size());
        for (int i = 0; i < test.size(); i++) {
            String[] cells = rows.get(i + 1).split(",");
            JsonNode line = Json.MAPPER.readTree(lines.get(i));
            assertEquals(List.of("index", "label", "predicted", "scores"), names(line));
            assertEquals(i, Integer.parseInt(cells[0]));
            assertEquals(i, line.get("index").asInt());
            assertEquals(test.labels()[i], Integer.parseInt(cells[1]));
            assertEquals(test.labels()[i], line.get("label").asInt());
            assertEquals(o.get("items").get(i).get("predicted").asInt(), Integer.parseInt(cells[2]));
            assertEquals(o.get("items").get(i), line, "the JSON Lines hold the --json object's items");
            float[] want = expected.getRow(i).toFloatVector();
            float[] fromCsv = new float[10];
            for (int c = 0; c < 10; c++) fromCsv[c] = Float.parseFloat(cells[3 + c]);
            assertArrayEquals(want, fromCsv, "CSV row " + i + " reads back to the float32 scores");
            assertArrayEquals(want, floats(line.get("scores")), "JSON line " + i + " reads back to the float32 scores");
        }
    }

    @Test
    void withoutOutTheLinesGoToStandardOutputAndTheAccuracyToStandardError() throws Exception {
        Models m = Models.get();
        Models.Output printed = Models.run(new PredictCommand(), "--model", m.digitRun.toString(), "--format", "jsonl");
        assertEquals(Models.DIGITS_TEST, printed.out().lines().count());
        assertTrue(printed.err().startsWith("predicted 150 items of digits/test with readout linear\naccuracy "),
                printed.err());
    }

    @Test
    void theEmbeddedDigitsAreTheDataOfAModelFittedOnThem() throws Exception {
        Models m = Models.get();
        Model fitted = m.digitResult.model();
        Map<String, String> info = new HashMap<>(fitted.info());
        info.put(ModelData.DATA_KEY, ModelData.EMBEDDED);
        Path dir = tmp.resolve("embedded-model");
        ModelFile.write(new Model(fitted.provenance(), fitted.pipeline(), fitted.readouts(), info), dir);
        ImageSet test = EmbeddedMnist.split().test();
        int[] predicted = Predictions.argmax(fitted.readout("linear").encode(fitted.pipeline().transformAll(test.source())));
        JsonNode o = predictJson("--model", dir.toString(), "--json");
        assertEquals(test.size(), o.get("items").size());
        assertEquals(ConfusionMatrix.accuracy(test.labels(), predicted, 10), o.get("accuracy").asDouble(), 0.0);
    }

    @Test
    void dataOfAnotherShapeIsRefusedBeforeAnythingIsWritten() throws Exception {
        Models m = Models.get();
        Path small = tmp.resolve("small-digits");
        ImageSet test = IdxFolder.read(m.digits).test();
        ImageSet halves = new ImageSet("halves", test.images().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 14), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 14),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), test.labels(), 10);
        Models.writeIdx(halves, small, "train");
        Models.writeIdx(halves, small, "t10k");
        Path out = tmp.resolve("p.csv");
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(),
                "--model", m.digitRun.toString(), "--data", small.toString(), "--out", out.toString()));
        assertEquals(small + ": the data's images are [14, 14, 1] but the model reads [28, 28, 1] (expected data of "
                + "the model's input shape)", e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of("small-digits"), List.of(tmp.toFile().list()), "nothing written beside the data either");
    }

    @Test
    void outFollowsTheOutputFileRule() throws Exception {
        Models m = Models.get();
        String model = m.digitRun.toString();
        Path mine = Files.writeString(tmp.resolve("results.csv"), "years of work");
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(),
                "--model", model, "--out", mine.toString()));
        assertEquals(mine + ": --out exists; choose a new file name, or pass --force to replace it", e.getMessage());
        assertEquals("years of work", Files.readString(mine));
        Models.run(new PredictCommand(), "--model", model, "--out", mine.toString(), "--force");
        assertEquals(Models.DIGITS_TEST + 1, Files.readAllLines(mine).size());

        Path inside = m.digitRun.resolve("model").resolve("p.csv");
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--out",
                inside.toString(), "--force"));
        assertEquals(inside + ": --out is inside the input " + m.digitRun.resolve("model")
                + " (choose a file outside the command's inputs)", e.getMessage());
        Path inData = m.digits.resolve("p.csv");
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--data",
                m.digits.toString(), "--out", inData.toString()));
        assertEquals(inData + ": --out is inside the input " + m.digits + " (choose a file outside the command's inputs)",
                e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--out",
                tmp.toString(), "--force"));
        assertEquals(tmp + ": --out is a folder (expected a file to write)", e.getMessage());
        Path txt = tmp.resolve("p.txt");
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--out",
                txt.toString()));
        assertEquals(txt + ": --out ends in neither .csv nor .jsonl (expected one of them, or --format csv or jsonl)",
                e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--format",
                "xml"));
        assertEquals("invalid --format = xml: expected csv or jsonl", e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new PredictCommand(), "--model", model, "--readout",
                "svm"));
        assertEquals("--readout: the model has no readout named svm (its readouts: linear, knn)", e.getMessage());
        assertFalse(Files.exists(txt));
        assertFalse(Files.exists(inside));
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(array.get(i).asText());
        return v;
    }

    private static List<String> names(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
