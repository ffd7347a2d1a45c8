package org.glassbox.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glassbox.baselines.BaselineResult;
import org.glassbox.baselines.Baselines;
import org.glassbox.baselines.Recipes;
import org.glassbox.baselines.Throughput;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;

/**
 * Inference images/s of a saved white-box model and of the Deeplearning4j LeNet-5, timed side by
 * side by {@link Throughput} as {@code ./glassbox mnist --baselines} times them (the same test
 * images, batch size, ND4J threads, warm JVM; the median of its timed rounds), on the embedded
 * digits. The white-box model classifies with its linear readout on the pipeline's features, as in
 * that command. LeNet-5 is the recipe of {@link Recipes#lenet5} trained for one epoch only: a
 * forward pass costs the same whatever its weights, and the full training takes many minutes.
 * Prints one line per model, {@code NAME IMAGES_PER_SECOND}, then the settings; writes no file.
 *
 * <pre>
 *   InferenceRates MODEL_DIR
 * </pre>
 */
public final class InferenceRates {
    private InferenceRates() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: InferenceRates MODEL_DIR (a model folder written by ./glassbox mnist)");
            System.exit(2);
        }
        Model model = Model.load(Path.of(args[0]));
        TrainTest split = EmbeddedMnist.split();
        Progress progress = ConsoleProgress.forStandardError();
        BaselineResult lenet5 = Baselines.train(Recipes.lenet5(split.train().classes(), 1).withMaxEpochs(1), split, progress);
        Pipeline pipeline = model.pipeline();
        Readout linear = model.linearReadout();
        List<Throughput.Subject> subjects = List.of(
                Throughput.of("glassbox", batch -> linear.predict(pipeline.transform(batch))), Throughput.of(lenet5));
        Throughput.Settings settings = Throughput.Settings.of(split.test().size(), Recipes.THREADS);
        Map<String, Throughput.Rates> rates = Throughput.measure(subjects, split.train(), split.test(), settings, progress);
        rates.forEach((name, r) -> System.out.printf(Locale.ROOT, "%s %.1f%n", name, r.inference()));
        System.out.printf(Locale.ROOT, "settings images=%d batch=%d rounds=%d nd4j_threads=%d blas_threads=%d%n",
                settings.images(), settings.inferenceBatch(), settings.rounds(), settings.nd4jThreads(), settings.blasThreads());
    }
}
