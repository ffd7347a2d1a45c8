package org.glassbox.topology;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./glassbox topology}: recovers the pixel grid of (scrambled) images from the training images alone. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Recover which pixels are neighbours from the training images' statistics alone, "
                + "optionally after shuffling every image's pixels with one fixed permutation.")
public final class TopologyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true,
            description = "Output folder (layout.npy, scramble.npy, metrics.json, layout.png, unscrambled.png).")
    Path out;

    @Option(names = "--data", description = "A folder with the four IDX files (MNIST, Fashion-MNIST, ...), or an image "
            + "folder with one sub-folder per class (read as grey, 0.299 R + 0.587 G + 0.114 B, cut to --size; "
            + "a fifth of each class held out as test images); "
            + "default: the embedded 10,000 real MNIST digits, split 8,000 / 2,000.")
    Path data;

    @Option(names = "--size", paramLabel = "PIXELS", description = "For an image folder: the side of the grid; every "
            + "image is scaled to this shorter side and its centre cut square (" + GreyImageFolder.MIN_SIZE + " to "
            + GreyImageFolder.MAX_SIZE + "; default " + GreyImageFolder.DEFAULT_SIZE + ").")
    Integer size;

    @Option(names = "--scramble", paramLabel = "SEED",
            description = "First shuffle the pixels of every image with the one permutation drawn from SEED "
                    + "(written to scramble.npy); the metrics compare the recovered layout with the true one.")
    Long scramble;

    @Option(names = "--permutation", paramLabel = "FILE", description = "First shuffle the pixels with the "
            + "permutation in this .npy file (int32, height x width entries: pixel j shows original pixel p[j]).")
    Path permutation;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the recovery's annealing and of an image "
            + "folder's train / test split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() {
        TopologyRun.run(new TopologyRun.Options(out, data, size, scramble, permutation, seed, force),
                ConsoleProgress.forStandardError(), spec.commandLine().getOut());
        return 0;
    }
}
