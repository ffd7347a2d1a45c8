package org.glassbox.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox explain --model DIR --index N [--data FOLDER] [--json]}: explains item N of the
 * model's own test set, or of {@code --data} ({@link InspectedModel}). With {@code --json} it prints one JSON object
 * {@code {"index", "label", "predicted", "scores", "bias", "contributions": [{"atom", "value"}, ...]}}
 * in which, for every class c, the sum of the contributions' {@code value[c]} plus {@code bias[c]}
 * is {@code scores[c]} up to float rounding.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain one test prediction: active atoms per layer and each atom's contribution to each class score.")
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @Option(names = "--index", required = true, description = "The test item to explain, from 0.")
    int index;

    @Option(names = "--data", description = ModelData.DATA_HELP)
    Path data;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (index < 0) throw new InvalidParameterException("--index", index, "at least 0");
        InspectedModel m = InspectedModel.load(model, data, json ? Progress.silent() : ConsoleProgress.forStandardError());
        ImageSet test = m.test();
        if (index >= test.size()) {
            throw new InvalidParameterException("--index", index, "less than " + test.size() + ", the size of the test set "
                    + test.name());
        }
        Explanation e = m.model().explain(test, index);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(toJson(e)));
        } else {
            print(e, out);
        }
        out.flush();
        return 0;
    }

    /** The JSON object printed by {@code --json}. */
    static Map<String, Object> toJson(Explanation e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("index", e.index());
        o.put("label", e.label());
        o.put("predicted", e.predicted());
        o.put("scores", e.scores());
        o.put("bias", e.bias());
        o.put("contributions", entries(e.contributions(), "atom"));
        if (!e.channels().isEmpty()) o.put("channels", entries(e.channels(), "channel"));
        return o;
    }

    private static List<Map<String, Object>> entries(List<Explanation.Contribution> contributions, String key) {
        return contributions.stream().map(c -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(key, c.atom());
            entry.put("value", c.value());
            return entry;
        }).toList();
    }

    private static void print(Explanation e, PrintWriter out) {
        out.printf("test item %d: true class %d, predicted %d (%s)%n", e.index(), e.label(), e.predicted(),
                e.label() == e.predicted() ? "correct" : "wrong");
        for (Explanation.LayerTrace t : e.layers()) {
            out.printf("%s: %d atoms active, %.2f per position, relative residual %.3f; strongest:", t.prefix(),
                    t.active().size(), t.meanActive(), t.relativeError());
            for (Explanation.ActiveAtom a : t.active().subList(0, Math.min(8, t.active().size()))) {
                out.printf(" %s %.3f", a.atom(), a.total());
            }
            out.println();
        }
        int p = e.predicted();
        out.printf("score of class %d = %.4f = bias %.4f + contributions; largest contributions:%n", p, e.scores()[p], e.bias()[p]);
        e.contributions().stream().sorted((a, b) -> Float.compare(b.value()[p], a.value()[p])).limit(8)
                .forEach(c -> out.printf("  %-10s %+.4f%n", c.atom(), c.value()[p]));
        if (!e.channels().isEmpty()) {
            out.printf("the same score by readout channel (embedding dimension); largest:%n");
            e.channels().stream().sorted((a, b) -> Float.compare(b.value()[p], a.value()[p])).limit(8)
                    .forEach(c -> out.printf("  %-14s %+.4f%n", c.atom(), c.value()[p]));
        }
    }
}
