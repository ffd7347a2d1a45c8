package org.glassbox.commands;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox report --model DIR [--out OUT] [--data FOLDER]}: writes the HTML report
 * ({@link Report}) of the model on its own test set or on {@code --data} ({@link InspectedModel}).
 * With {@code --out}, OUT is a run folder of its own ({@link RunFolder}) holding {@code report/};
 * without, {@code report/} is replaced inside the Glassbox run folder that holds the model folder,
 * which is measured on the model's own test set only: {@code --data} needs {@code --out}.
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

    @Option(names = "--data", description = ModelData.DATA_HELP + " Needs --out.")
    Path data;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        Path index;
        if (out == null && data != null) {
            throw new GlassboxException("--data: the report on other data than the model's own test set is written "
                    + "into a folder of its own (expected --out OUT as well)");
        }
        if (out == null) {
            Path modelFolder = InspectedModel.modelFolder(model);
            Path run = modelFolder.toAbsolutePath().normalize().getParent();
            if (Files.isDirectory(modelFolder) && !RunFolder.isRunFolder(run)) {
                throw new GlassboxException(run + ": not a Glassbox run folder (no " + RunFolder.MARKER
                        + "), so the report is not written into it; give --out");
            }
            Progress progress = ConsoleProgress.forStandardError();
            InspectedModel m = InspectedModel.load(model, null, progress);
            index = Report.write(m.model(), m.test(), run, progress);
        } else {
            List<Path> inputs = Arrays.asList(InspectedModel.modelFolder(model), data);
            try (RunFolder folder = RunFolder.open(out, "report", force, inputs)) {
                Progress progress = ConsoleProgress.forStandardError();
                InspectedModel m = InspectedModel.load(model, data, progress);
                Report.write(m.model(), m.test(), folder.staging(), progress);
                folder.commit();
                index = folder.target().resolve(Report.FOLDER).resolve("index.html");
            }
        }
        spec.commandLine().getOut().println("report: " + index);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
