package org.glassbox.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain}, {@code ablate}, {@code inspect} and {@code report} on the digit model: on its own
 * test set and, with {@code --data}, on another IDX folder of digits; their bad-input messages.
 */
class DigitInspectionTest {
    @TempDir
    static Path tmp;
    /** 60 other digits (of the embedded training set) as an IDX folder. */
    static Path other;
    static ImageSet otherTest;

    @BeforeAll
    static void otherDigits() throws IOException {
        other = tmp.resolve("other-digits");
        ImageSet train = EmbeddedMnist.split().train();
        ImageSet picked = train.select("other", java.util.stream.IntStream.range(0, 60).map(i -> 37 + 101 * i).toArray());
        Models.writeIdx(picked, other, "train");
        Models.writeIdx(picked, other, "t10k");
        otherTest = IdxFolder.read(other).test();
    }

    @Test
    void explainJsonScoresAreTheSumOfContributionsAndBias() throws Exception {
        Models m = Models.get();
        ImageSet test = IdxFolder.read(m.digits).test();
        JsonNode predicted = Json.MAPPER.readTree(Models.run(new PredictCommand(), "--model", m.digitRun.toString(),
                "--json").out());
        for (int index : new int[] {0, 17, Models.DIGITS_TEST - 1}) {
            JsonNode o = Json.MAPPER.readTree(Models.run(new ExplainCommand(), "--model", m.digitRun.toString(),
                    "--index", String.valueOf(index), "--json").out());
            assertEquals(index, o.get("index").asInt());
            assertEquals(test.labels()[index], o.get("label").asInt());
            assertEquals(predicted.get("items").get(index).get("predicted").asInt(), o.get("predicted").asInt());
            assertEquals(10, o.get("contributions").size(), "one contribution per readout input channel: the 10 L2 atoms");
            Set<String> atoms = new HashSet<>();
            double[] sum = new double[10];
            for (JsonNode c : o.get("contributions")) {
                atoms.add(c.get("atom").asText());
                for (int k = 0; k < 10; k++) sum[k] += c.get("value").get(k).asDouble();
            }
            assertEquals(Set.of("L2/a0", "L2/a1", "L2/a2", "L2/a3", "L2/a4", "L2/a5", "L2/a6", "L2/a7", "L2/a8", "L2/a9"), atoms);
            for (int k = 0; k < 10; k++) {
                double score = o.get("scores").get(k).asDouble();
                assertEquals(score, sum[k] + o.get("bias").get(k).asDouble(), 1e-4 * Math.max(1, Math.abs(score)),
                        "class " + k + " of item " + index);
                assertEquals(predicted.get("items").get(index).get("scores").get(k).floatValue(), (float) score, 1e-5f,
                        "explain and predict give the same scores");
            }
        }
    }

    @Test
    void explainWithDataExplainsAnItemOfThatData() throws Exception {
        Models m = Models.get();
        for (int index : new int[] {0, 59}) {
            JsonNode o = Json.MAPPER.readTree(Models.run(new ExplainCommand(), "--model", m.digitRun.toString(),
                    "--data", other.toString(), "--index", String.valueOf(index), "--json").out());
            assertEquals(otherTest.labels()[index], o.get("label").asInt());
        }
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new ExplainCommand(), "--model",
                m.digitRun.toString(), "--data", other.toString(), "--index", "60"));
        assertEquals("invalid --index = 60: expected less than 60, the size of the test set other-digits/test",
                e.getMessage());
    }

    @Test
    void ablateBeforeIsPredictsAccuracyAndAfterIsTheAblationApis() throws Exception {
        Models m = Models.get();
        Model model = m.digitResult.model();
        for (Path data : new Path[] {null, other}) {
            String[] where = data == null ? new String[0] : new String[] {"--data", data.toString()};
            ImageSet test = data == null ? IdxFolder.read(m.digits).test() : otherTest;
            JsonNode predicted = Json.MAPPER.readTree(Models.run(new PredictCommand(), concat(where, "--model",
                    m.digitRun.toString(), "--json")).out());
            JsonNode o = Json.MAPPER.readTree(Models.run(new AblateCommand(), concat(where, "--model",
                    m.digitRun.toString(), "--atoms", "L2/a3,L1/a5", "--json")).out());
            assertEquals(predicted.get("accuracy").asDouble(), o.get("before").get("overall").asDouble(), 0.0);
            Ablation.Result r = Ablation.run(model.pipeline(), model.readout("linear"), test, List.of("L2/a3", "L1/a5"),
                    Progress.silent());
            assertEquals(r.after().overall(), o.get("after").get("overall").asDouble(), 0.0);
            double[] perClass = new double[10];
            for (int c = 0; c < 10; c++) perClass[c] = o.get("after").get("per_class").get(c).asDouble();
            assertArrayEquals(r.after().perClass(), perClass, 0.0);
        }
    }

    @Test
    void inspectWithDataExportsThatDatasCodes() throws Exception {
        Models m = Models.get();
        Path export = tmp.resolve("export");
        Models.run(new InspectCommand(), "--model", m.digitRun.toString(), "--data", other.toString(), "--out",
                export.toString());
        assertArrayEquals(otherTest.labels(), Npy.read(export.resolve("codes/labels.npy")).toIntVector());
        assertEquals(60, Npy.read(export.resolve("codes/features.npy")).size(0));
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new InspectCommand(),
                "--model", m.digitRun.toString(), "--data", other.toString(), "--out", tmp.toString(), "--force"));
        assertEquals(tmp + ": --out contains the input " + other
                + " (choose an output folder that holds none of the command's inputs)", e.getMessage());
    }

    @Test
    void reportOnOtherDataNeedsAFolderOfItsOwn() throws Exception {
        Models m = Models.get();
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new ReportCommand(),
                "--model", m.digitRun.toString(), "--data", other.toString()));
        assertEquals("--data: the report on other data than the model's own test set is written into a folder of its "
                + "own (expected --out OUT as well)", e.getMessage());
        Path out = tmp.resolve("other-report");
        Models.Output printed = Models.run(new ReportCommand(), "--model", m.digitRun.toString(), "--data",
                other.toString(), "--out", out.toString());
        assertEquals("report: " + out.toAbsolutePath().resolve("report/index.html") + "\n", printed.out());
        assertTrue(Files.readString(out.resolve("report/index.html")).contains("measured on 60 test images."));
    }

    @Test
    void badInputHasExactMessages() {
        Models m = Models.get();
        String model = m.digitRun.toString();
        GlassboxException e = assertThrows(GlassboxException.class, () -> Models.run(new ExplainCommand(), "--model",
                model, "--index", String.valueOf(Models.DIGITS_TEST), "--json"));
        assertEquals("invalid --index = 150: expected less than 150, the size of the test set digits/test",
                e.getMessage());
        Path missing = tmp.resolve("no-such-model");
        e = assertThrows(GlassboxException.class, () -> Models.run(new ExplainCommand(), "--model", missing.toString(),
                "--index", "0"));
        assertEquals(missing + ": model folder not found (expected a folder holding manifest.json)", e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new AblateCommand(), "--model", model,
                "--top-for-class", "10", "--json"));
        assertEquals("invalid --top-for-class = 10: expected less than 10, the number of classes of the test set "
                + "digits/test", e.getMessage());
        e = assertThrows(GlassboxException.class, () -> Models.run(new AblateCommand(), "--model", model,
                "--atoms", "L2/a3,L2/a99", "--json"));
        assertEquals("unknown atom id 'L2/a99' (this model's atoms: L1/a0 .. L1/a11, L2/a0 .. L2/a9)", e.getMessage());
    }

    @Test
    void aRunFolderHoldingModelIsAccepted() throws Exception {
        Models m = Models.get();
        String text = Models.run(new ExplainCommand(), "--model", m.digitRun.resolve("model").toString(), "--index", "5").out();
        String fromRun = Models.run(new ExplainCommand(), "--model", m.digitRun.toString(), "--index", "5").out();
        assertEquals(text, fromRun);
        assertTrue(text.startsWith("test item 5: true class " + IdxFolder.read(m.digits).test().labels()[5]), text);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
