package org.glassbox.mnist.inspect;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox report --model DIR [--out OUT]}: writes the HTML report ({@link Report}). With
 * {@code --out}, OUT is a run folder of its own ({@link RunFolder}) holding {@code report/}; without,
 * {@code report/} is replaced inside the Glassbox run folder that holds the model folder.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the self-contained HTML report (atlases, catalog, explanations, ablation, metrics).")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @Option(names = "--out", description = "The folder to write report/ into; default: the run folder that holds "
            + "the model folder, whose report/ is replaced.")
    Path out;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        Path index;
        if (out == null) {
            Path modelFolder = InspectedModel.modelFolder(model);
            Path run = modelFolder.toAbsolutePath().normalize().getParent();
            if (Files.isDirectory(modelFolder) && !RunFolder.isRunFolder(run)) {
                throw new GlassboxException(run + ": not a Glassbox run folder (no " + RunFolder.MARKER
                        + "), so the report is not written into it; give --out");
            }
            InspectedModel m = InspectedModel.load(model);
            index = Report.write(m.model(), m.split().test(), run, ConsoleProgress.forStandardError());
        } else {
            try (RunFolder folder = RunFolder.open(out, "report", force, List.of(InspectedModel.modelFolder(model)))) {
                InspectedModel m = InspectedModel.load(model);
                Report.write(m.model(), m.split().test(), folder.staging(), ConsoleProgress.forStandardError());
                folder.commit();
                index = folder.target().resolve(Report.FOLDER).resolve("index.html");
            }
        }
        spec.commandLine().getOut().println("report: " + index);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
