package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./glassbox imagenet}: fits the convolutional white-box stack on an image folder and evaluates it. */
@Command(name = "imagenet", mixinStandardHelpOptions = true,
        description = "Fit the convolutional white-box stack on RGB images (an ILSVRC-2012 folder or any "
                + "one-folder-per-class tree) and evaluate it on the test images.")
public final class ImagenetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "The image folder: DATA/train/<class>/ with DATA/val/ "
            + "(class folders, or flat with a label file), or any DATA/<class>/*.jpg|png tree.")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder (model/, atlas-L*.png, metrics.json, "
            + "report/, checkpoint/).")
    Path out;

    @Option(names = "--val-labels", description = "The label file of a flat val/ folder (default: val.txt, "
            + "val_labels.txt or LOC_val_solution.csv in the data folder).")
    Path valLabels;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Test share of each class when a class "
            + "tree is split (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the split, the crops and the fit "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Image decoding threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--resize", defaultValue = "36", description = "Shorter side of every image after scaling "
            + "(default: ${DEFAULT-VALUE}; AlexNet: 256).")
    int resize;

    @Option(names = "--crop", defaultValue = "32", description = "Side of the square crop, random for training and "
            + "centred for testing (default: ${DEFAULT-VALUE}; AlexNet: 224).")
    int crop;

    @Option(names = "--stack", description = "A JSON file with the stack's hyperparameters (the \"stack\" object of "
            + "metrics.json has the same form; docs/stacks/ilsvrc-2012.json is the ImageNet stack); default: the "
            + "built-in three-layer stack.")
    Path stack;

    @Option(names = "--resume", description = "Continue the interrupted run whose partial folder (with its checkpoint) "
            + "is kept beside the output folder.")
    boolean resume;

    @Option(names = "--force", description = RunFolder.FORCE_HELP + " Without --resume, also discards an interrupted "
            + "run's partial folder.")
    boolean force;

    @Option(names = "--report-images", defaultValue = "500", description = "Test images the HTML report inspects, "
            + "a stratified subset (default: ${DEFAULT-VALUE}; 0: no report).")
    int reportImages;

    @Option(names = "--stages", paramLabel = "MODEL", description = "Use the stages of this model folder (for example "
            + "the one SparkFitJob wrote on a cluster) instead of fitting them; then encode, fit the readouts and "
            + "evaluate here.")
    Path stages;

    @Option(names = "--readout-crops", defaultValue = "4", description = "Crops of each training image the readouts "
            + "learn from: the one the stages are fitted on, then fresh random crops, each mirrored left-right with "
            + "probability 1/2 (the augmentation cnn_augmented trains with; 1: only the stages' crops; "
            + "default: ${DEFAULT-VALUE}).")
    int readoutCrops;

    @Option(names = "--baselines", description = "Also train Deeplearning4j CNNs (3 conv + 2 dense layers) on the same "
            + "split and crops and compare (accuracy with 95%% intervals, McNemar's test, time, throughput, parameters).")
    boolean baselines;

    @Override
    public Integer call() {
        StackDescription described = stack == null ? null : StackDescription.readWithoutBranches(stack, "the imagenet command");
        ImagenetRun.Options options = new ImagenetRun.Options(data, out, valLabels, testFraction, seed, threads, resize,
                crop, described, resume, reportImages, stages, force, stack, readoutCrops);
        ImagenetRun.run(options, baselines, ConsoleProgress.forStandardError(), SkipLog.toStandardError(),
                spec.commandLine().getOut());
        return 0;
    }
}
