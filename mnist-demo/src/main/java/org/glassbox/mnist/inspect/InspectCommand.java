package org.glassbox.mnist.inspect;

import org.glassbox.layers.inspect.Report;
import java.nio.file.Path;
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
 * {@code ./glassbox inspect --model DIR --out EXPORT}: measures the atom catalog on the test set
 * and exports atoms, codes and readout weights as {@code .npy} and the catalog as JSON
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

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        try (RunFolder folder = RunFolder.open(out, "inspect", force, List.of(InspectedModel.modelFolder(model)))) {
            InspectedModel m = InspectedModel.load(model);
            Progress progress = ConsoleProgress.forStandardError();
            AtomCatalog catalog = AtomCatalog.build(m.model().pipeline(), m.split().test(),
                    Report.TOP_INPUTS, progress);
            Exports.write(m.model(), catalog, m.split().test(), folder.staging(), progress);
            folder.commit();
            spec.commandLine().getOut().println("export: " + folder.target());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
