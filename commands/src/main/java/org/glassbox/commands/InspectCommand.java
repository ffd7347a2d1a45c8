package org.glassbox.commands;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.Exports;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox inspect --model DIR --out EXPORT [--data FOLDER]}: measures the atom catalog on
 * the model's own test set or on {@code --data} ({@link InspectedModel}) and exports atoms, codes and readout weights as {@code .npy} and the catalog as JSON
 * ({@link Exports}; docs/inspection.md).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Export the atom catalog (JSON) and atoms, codes and readout weights (.npy) for other tools.")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @Option(names = "--out", required = true, description = "The export folder to write.")
    Path out;

    @Option(names = "--data", description = ModelData.DATA_HELP)
    Path data;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        List<Path> inputs = Arrays.asList(InspectedModel.modelFolder(model), data);
        try (RunFolder folder = RunFolder.open(out, "inspect", force, inputs)) {
            Progress progress = ConsoleProgress.forStandardError();
            InspectedModel m = InspectedModel.load(model, data, progress);
            AtomCatalog catalog = AtomCatalog.build(m.model().pipeline(), m.test(),
                    Report.TOP_INPUTS, progress);
            Exports.write(m.model().pipeline(), m.model().readouts(), catalog, m.test(), folder.staging(), progress);
            folder.commit();
            spec.commandLine().getOut().println("export: " + folder.target());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
