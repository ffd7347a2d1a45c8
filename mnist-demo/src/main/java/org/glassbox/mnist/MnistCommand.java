package org.glassbox.mnist;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./glassbox mnist}: fits the white-box model and writes the model, atlases, metrics and report. */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "Fit the white-box model (one layer of the sparse manifold transform by default) on the embedded MNIST digits (or an IDX folder).")
public final class MnistCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder (model/, atlas-L1.png, metrics.json).")
    Path out;

    @Option(names = "--data", description = "A folder with the four IDX files (MNIST, Fashion-MNIST, ...); "
            + "default: the embedded 10,000 real MNIST digits, split 8,000 / 2,000.")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the fit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stack", description = "A JSON file with the stack's hyperparameters (the \"stack\" "
            + "object of a model's metrics.json has the same form); default: the built-in stack.")
    Path stack;

    @Option(names = "--baselines", description = "Also train the Deeplearning4j LeNet-5 and MLP on the same split "
            + "and compare (accuracy with 95%% intervals, McNemar's test, time, throughput, parameters).")
    boolean baselines;

    @Option(names = "--shifts", paramLabel = "N", description = "The readouts also learn from copies of the training "
            + "images moved by 1 to N pixels up, down, left and right (4 N copies; the stages are fitted on the "
            + "originals only). Default: 2 where the copies' features fit in 1 GiB (the embedded digits), else fewer "
            + "(0 for Fashion-MNIST's 60,000 images); 0 with --scramble.")
    Integer shifts;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Option(names = "--report-images", defaultValue = "2000", description = "Test images the HTML report inspects, "
            + "a stratified subset when the test set is larger (default: ${DEFAULT-VALUE}; 0: no report).")
    int reportImages;

    @Option(names = "--scramble", paramLabel = "SEED", description = "Shuffle every image's pixels with the one "
            + "permutation drawn from SEED; with --recover-topology (docs/topology.md).")
    Long scramble;

    @Option(names = "--recover-topology", description = "Recover the pixel grid from the scrambled training images, "
            + "fit the stack on the images put back on it and, in the same run, on the original images "
            + "(metrics.json: accuracy and original_accuracy).")
    boolean recoverTopology;

    @Override
    public Integer call() {
        StackDescription stages = stack == null ? DefaultStack.defaults(10) : StackDescription.read(stack);
        if (scramble != null || recoverTopology) {
            ScrambledMnistRun.run(new MnistRun.Options(out, data, seed, stages, baselines, shifts, force, stack, reportImages),
                    scramble, recoverTopology, ConsoleProgress.forStandardError(), spec.commandLine().getOut());
            return 0;
        }
        MnistRun.run(new MnistRun.Options(out, data, seed, stages, baselines, shifts, force, stack, reportImages),
                ConsoleProgress.forStandardError(), spec.commandLine().getOut());
        return 0;
    }
}
