package org.glassbox.imagenet.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ClassFolderTree;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.Preprocess;
import org.glassbox.imagenet.SkipLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: checks the images of a one-folder-per-class tree on the
 * cluster ({@link SparkPasses#check}), fits the stages of a stack file with {@link SparkFit} and
 * writes the fitted pipeline as a model folder {@code OUT/model}. The stack's readouts are not
 * fitted here. A {@link GlassboxException} (bad input) prints its message and exits with code 2.
 */
@Command(name = "spark-fit", mixinStandardHelpOptions = true,
        description = "Fit a Glassbox stack's stages on Apache Spark and write OUT/model.")
public final class SparkFitJob implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "A one-folder-per-class image tree, readable at the "
            + "same path on every executor.")
    Path data;

    @Option(names = "--stack", required = true, description = "A JSON stack file (docs/stacks/); only its stages are fitted.")
    Path stack;

    @Option(names = "--out", required = true, description = "Output folder; the model is written to OUT/model.")
    Path out;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Option(names = "--partitions", defaultValue = "16", description = "Index ranges (tasks) per pass (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--threads", defaultValue = "2", description = "Decoding threads per task (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the fit and of random crops (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shorter-side", defaultValue = "256", description = "Images are scaled so their shorter side is this "
            + "(default: ${DEFAULT-VALUE}).")
    int shorterSide;

    @Option(names = "--crop", defaultValue = "224", description = "The side of the square crop (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--random-crop", description = "Crop at a random position (seeded) instead of the centre.")
    boolean randomCrop;

    /** Runs the job on a cluster; exits with the command's code. */
    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new SparkFitJob());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (!(ex instanceof GlassboxException)) throw ex;
            commandLine.getErr().println("error: " + ex.getMessage());
            return 2;
        });
        System.exit(cmd.execute(args));
    }

    @Override
    public Integer call() {
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("glassbox spark-fit"))) {
            run(spark, System.err::println);
        }
        return 0;
    }

    /**
     * Checks the stages against the crops and the listed files ({@link Pipeline#check}) before any
     * Spark pass, then checks the files, fits and writes with {@code spark}, logging skipped files to
     * {@code log}; returns the model folder. The output folder is checked first and replaced whole
     * ({@link RunFolder}).
     */
    Path run(JavaSparkContext spark, Consumer<String> log) {
        try (RunFolder folder = RunFolder.open(out, "spark-fit", force, List.of(data, stack))) {
            fit(spark, log, folder.staging());
            folder.commit();
            return folder.target().resolve("model");
        }
    }

    private void fit(JavaSparkContext spark, Consumer<String> log, Path into) {
        StackDescription stages = StackDescription.readWithoutBranches(stack, "the Spark fit");
        Preprocess preprocess = new Preprocess(shorterSide, crop, crop,
                randomCrop ? Preprocess.Crop.RANDOM : Preprocess.Crop.CENTRE);
        ImageFiles listed = ClassFolderTree.read(data, new SkipLog(log));
        Pipeline.check(preprocess.shape(), listed.size(), stages.stages());
        ImageFiles files = new SparkPasses(spark, partitions, threads).check(listed, new SkipLog(log));
        Pipeline pipeline = new SparkFit(spark, partitions, threads).fit(files, preprocess, seed, stages.stages(),
                new FitContext(seed, Progress.silent()));
        ModelFile.write(new Model(Provenance.now(seed, data.toString(), files.fingerprint(), files.size()), pipeline,
                List.of(), Map.of("fit", "spark")), into.resolve("model"));
    }
}
