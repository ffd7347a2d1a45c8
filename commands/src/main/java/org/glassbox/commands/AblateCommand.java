package org.glassbox.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox ablate --model DIR --atoms L2/a3,L2/a17 [--data FOLDER] [--json]} (or
 * {@code --top-for-class C --count N}, the N atoms that contribute most to class C): the
 * accuracy on the model's own test set or on {@code --data} ({@link InspectedModel}), overall and per class, before and after switching the atoms off. The readout is not
 * refitted ({@link Ablation}). With {@code --json} it prints one JSON object
 * {@code {"readout", "atoms", "before": {"overall", "per_class"}, "after": {...}}}.
 * {@code --sweep N} prints instead, per class, which of its N top contributors hurts it most when removed.
 */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Switch atoms off and report the test accuracy per class before and after (the readout is not refitted).")
public final class AblateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Which atoms to switch off. */
    static final class Which {
        @Option(names = "--atoms", split = ",", description = "Atom ids, comma-separated, such as L2/a3,L2/a17.")
        List<String> atoms;

        @Option(names = "--top-for-class", description = "Switch off the --count atoms that contribute most to this class.")
        Integer topForClass;

        @Option(names = "--sweep", description = "For every class, remove each of its N top contributors alone.")
        Integer sweep;
    }

    @Option(names = "--count", defaultValue = "5", description = "How many atoms --top-for-class switches off (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--data", description = ModelData.DATA_HELP)
    Path data;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (which.sweep != null && which.sweep < 1) throw new InvalidParameterException("--sweep", which.sweep, "at least 1");
        if (count < 1) throw new InvalidParameterException("--count", count, "at least 1");
        if (which.topForClass != null && which.topForClass < 0) {
            throw new InvalidParameterException("--top-for-class", which.topForClass, "at least 0");
        }
        Progress progress = json ? Progress.silent() : ConsoleProgress.forStandardError();
        InspectedModel m = InspectedModel.load(model, data, progress);
        var test = m.test();
        if (which.topForClass != null && which.topForClass >= test.classes()) {
            throw new InvalidParameterException("--top-for-class", which.topForClass, "less than " + test.classes()
                    + ", the number of classes of the test set " + test.name());
        }
        Layer readout = m.model().linearReadout();
        PrintWriter out = spec.commandLine().getOut();
        if (which.sweep != null) {
            Ablation.Contributions c = Ablation.contributions(m.model().pipeline(), readout, test, progress);
            List<Ablation.ClassHarms> harms = Ablation.sweep(m.model().pipeline(), readout, test, c, which.sweep, progress);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(Map.of("readout", readout.id(), "sweep", harms)));
            } else {
                for (Ablation.ClassHarms h : harms) {
                    out.printf("class %d (accuracy %.4f):", h.label(), h.accuracy());
                    h.harms().forEach(x -> out.printf(" %s -%.4f", x.atom(), x.drop()));
                    out.println();
                }
            }
            out.flush();
            return 0;
        }
        List<String> atoms = which.atoms;
        if (which.topForClass != null) {
            Ablation.Contributions c = Ablation.contributions(m.model().pipeline(), readout, test, progress);
            atoms = c.top(new AtomIndex(m.model().pipeline()), which.topForClass, count);
        }
        if (atoms.isEmpty()) throw new GlassboxException("--atoms: no atom ids given (expected ids such as L1/a3,L1/a17)");
        Ablation.Result r = Ablation.run(m.model().pipeline(), readout, test, atoms, progress);
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(toJson(r)));
        } else {
            out.printf("atoms off: %s (readout %s, not refitted)%n", String.join(", ", r.atoms()), r.readout());
            out.printf("overall accuracy: %.4f -> %.4f%n", r.before().overall(), r.after().overall());
            for (int c = 0; c < r.before().perClass().length; c++) {
                out.printf("class %d: %.4f -> %.4f%n", c, r.before().perClass()[c], r.after().perClass()[c]);
            }
        }
        out.flush();
        return 0;
    }

    /** The JSON object printed by {@code --json}. */
    static Map<String, Object> toJson(Ablation.Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("readout", r.readout());
        o.put("atoms", r.atoms());
        o.put("before", accuracy(r.before()));
        o.put("after", accuracy(r.after()));
        return o;
    }

    private static Map<String, Object> accuracy(Ablation.Accuracy a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("overall", a.overall());
        o.put("per_class", Arrays.stream(a.perClass()).boxed().toList());
        return o;
    }
}
