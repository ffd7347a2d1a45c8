package org.glassbox.mnist.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code explain}: exact score decomposition in its JSON, and its bad-input messages. */
class ExplainCommandTest {
    /** Runs a command and returns what it printed; a GlassboxException propagates. */
    static String run(Object command, String... args) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.parseArgs(args);
        ((java.util.concurrent.Callable<?>) command).call();
        return out.toString();
    }

    @Test
    void jsonScoresAreTheSumOfContributionsAndBias() throws Exception {
        SmallModel m = SmallModel.get();
        for (int index : new int[] {0, 17, SmallModel.TEST - 1}) {
            JsonNode o = Json.MAPPER.readTree(run(new ExplainCommand(), "--model", m.modelDir.toString(),
                    "--index", String.valueOf(index), "--json"));
            assertEquals(index, o.get("index").asInt());
            assertEquals(m.split.test().labels()[index], o.get("label").asInt());
            int classes = o.get("scores").size();
            assertEquals(10, classes);
            assertEquals(10, o.get("contributions").size(), "one contribution per readout input channel: the 10 L2 atoms");
            Set<String> atoms = new HashSet<>();
            double[] sum = new double[classes];
            for (JsonNode c : o.get("contributions")) {
                atoms.add(c.get("atom").asText());
                for (int k = 0; k < classes; k++) sum[k] += c.get("value").get(k).asDouble();
            }
            assertEquals(Set.of("L2/a0", "L2/a1", "L2/a2", "L2/a3", "L2/a4", "L2/a5", "L2/a6", "L2/a7", "L2/a8", "L2/a9"), atoms);
            int best = 0;
            for (int k = 0; k < classes; k++) {
                double score = o.get("scores").get(k).asDouble();
                assertEquals(score, sum[k] + o.get("bias").get(k).asDouble(), 1e-4 * Math.max(1, Math.abs(score)),
                        "class " + k + " of item " + index);
                if (score > o.get("scores").get(best).asDouble()) best = k;
            }
            assertEquals(best, o.get("predicted").asInt());
        }
    }

    @Test
    void indexOutOfRangeAndMissingModelHaveExactMessages() {
        SmallModel m = SmallModel.get();
        GlassboxException e = assertThrows(GlassboxException.class, () -> run(new ExplainCommand(), "--model",
                m.modelDir.toString(), "--index", String.valueOf(SmallModel.TEST), "--json"));
        assertEquals("invalid --index = 150: expected less than 150, the size of the test set digits/test",
                e.getMessage());
        Path missing = m.root.resolve("no-such-model");
        e = assertThrows(GlassboxException.class, () -> run(new ExplainCommand(), "--model", missing.toString(), "--index", "0"));
        assertEquals(missing + ": model folder not found (expected a folder holding manifest.json)", e.getMessage());
    }

    @Test
    void aRunFolderHoldingModelIsAccepted() throws Exception {
        SmallModel m = SmallModel.get();
        String text = run(new ExplainCommand(), "--model", m.modelDir.getParent().toString(), "--index", "5");
        assertTrue(text.startsWith("test item 5: true class " + m.split.test().labels()[5]), text);
    }
}
