package org.glassbox.mnist.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.Test;

/** {@code ablate}: its JSON is the ablation's result, and its bad-input messages. */
class AblateCommandTest {
    @Test
    void jsonIsTheAccuracyBeforeAndAfterSwitchingTheAtomsOff() throws Exception {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test();
        Layer linear = Explainer.linearReadout(m.model);
        Ablation.Contributions contributions = Ablation.contributions(m.model, linear, test, Progress.silent());
        List<String> atoms = contributions.top(new AtomIndex(m.model.pipeline()), 3, 4);
        Ablation.Result expected = Ablation.run(m.model, linear, test, atoms, Progress.silent());

        JsonNode o = Json.MAPPER.readTree(ExplainCommandTest.run(new AblateCommand(), "--model", m.modelDir.toString(),
                "--atoms", String.join(",", atoms), "--json"));
        assertEquals(expected.before().overall(), o.get("before").get("overall").asDouble(), 0.0);
        assertEquals(expected.after().overall(), o.get("after").get("overall").asDouble(), 0.0);
        assertEquals(expected.after().perClass()[3], o.get("after").get("per_class").get(3).asDouble(), 0.0);
        assertEquals(10, o.get("before").get("per_class").size());
    }

    @Test
    void aClassBeyondTheTestSetIsRefusedWithTheOption() {
        SmallModel m = SmallModel.get();
        GlassboxException e = assertThrows(GlassboxException.class, () -> ExplainCommandTest.run(new AblateCommand(),
                "--model", m.modelDir.toString(), "--top-for-class", "10", "--json"));
        assertEquals("invalid --top-for-class = 10: expected less than 10, the number of classes of the test set "
                + "digits/test", e.getMessage());
    }

    @Test
    void unknownAtomIdHasAnExactMessage() {
        SmallModel m = SmallModel.get();
        GlassboxException e = assertThrows(GlassboxException.class, () -> ExplainCommandTest.run(new AblateCommand(),
                "--model", m.modelDir.toString(), "--atoms", "L2/a3,L2/a99", "--json"));
        assertEquals("unknown atom id 'L2/a99' (this model's atoms: L1/a0 .. L1/a11, L2/a0 .. L2/a9)", e.getMessage());
        e = assertThrows(GlassboxException.class, () -> ExplainCommandTest.run(new AblateCommand(),
                "--model", m.modelDir.toString(), "--atoms", "L7/a1", "--json"));
        assertEquals("unknown atom id 'L7/a1' (this model's atoms: L1/a0 .. L1/a11, L2/a0 .. L2/a9)", e.getMessage());
    }
}
