package org.glassbox.mnist.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.io.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code explain}: exact score decomposition in its JSON, per-layer traces, and its bad-input messages. */
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
    void everySparseLayerIsTracedWithResidual() {
        SmallModel m = SmallModel.get();
        Explanation e = Explainer.explain(m.model, Explainer.linearReadout(m.model), m.split.test(), 3);
        assertEquals(2, e.layers().size());
        Explanation.LayerTrace l1 = e.layers().get(0);
        assertEquals("L1", l1.prefix());
        assertNotNull(l1.input(), "layer 1 maps back to pixels");
        assertEquals(28, l1.reconstruction().size(0));
        assertTrue(l1.relativeError() > 0 && l1.relativeError() < 1, "relative residual " + l1.relativeError());
        assertTrue(!l1.active().isEmpty() && l1.meanActive() > 0);
        double previous = Double.POSITIVE_INFINITY;
        for (Explanation.ActiveAtom a : l1.active()) {
            assertTrue(Math.abs(a.total()) <= previous);
            previous = Math.abs(a.total());
        }
        Explanation.LayerTrace l2 = e.layers().get(1);
        assertEquals("L2", l2.prefix());
        assertEquals(null, l2.input(), "layer 2's input space has no pixel mapping");
        assertTrue(l2.relativeError() < 1);
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
