package org.glassbox.mnist.inspect;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.framework.progress.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./glassbox report --model DIR [--out OUT]}: writes the HTML report ({@link Report}) to {@code OUT/report/}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the self-contained HTML report (atlases, catalog, explanations, ablation, metrics).")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @Option(names = "--out", description = "Where report/ goes; default: the folder that holds the model folder.")
    Path out;

    @Override
    public Integer call() {
        InspectedModel m = InspectedModel.load(model);
        Path target = out != null ? out : m.folder().toAbsolutePath().normalize().getParent();
        Path index = Report.write(m.model(), m.split().test(), target, ConsoleProgress.forStandardError());
        spec.commandLine().getOut().println("report: " + index);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
