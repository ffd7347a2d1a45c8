package org.glassbox.mnist;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.layer.Readout;
import org.glassbox.topology.LayoutMetrics;
import org.glassbox.topology.TopologyRecovery;
import org.glassbox.topology.TopologyRun;

/**
 * {@code ./glassbox mnist --scramble SEED --recover-topology}: shuffle every image's pixels with
 * one permutation, recover the grid from the scrambled training images alone
 * ({@link TopologyRecovery}), put the scrambled images back on the recovered grid and fit the
 * unchanged stack on them; in the same run, fit the same stack on the original images. Writes
 * {@code metrics.json} ({@code accuracy} on the recovered grid, {@code original_accuracy} on the
 * original images, {@code topology}: how well the grid was recovered), the atlases of the stack
 * on the recovered grid (drawn in the recovered layout), and the files of {@code ./glassbox
 * topology} ({@code layout.npy}, {@code scramble.npy}, {@code layout.png}, {@code unscrambled.png}).
 * No {@code model/} is written: a model fitted on the recovered grid needs its images put through
 * the layout first, which {@code explain} and {@code ablate} do not do.
 */
public final class ScrambledMnistRun {
    private ScrambledMnistRun() {
    }

    /**
     * What {@code metrics.json} holds.
     *
     * @param accuracy test accuracy of each readout of the stack fitted on the recovered grid
     * @param originalAccuracy the same readouts of the same stack fitted on the original images
     * @param topology how well the grid was recovered (docs/topology.md)
     * @param layers the sparse-coding layers of the stack on the recovered grid, measured on the test set
     * @param originalLayers the same for the stack on the original images
     */
    public record ScrambledMetrics(String dataset,
                                   @JsonProperty("train_size") int trainSize,
                                   @JsonProperty("test_size") int testSize,
                                   long seed, int shifts, String scramble,
                                   LayoutMetrics topology,
                                   Map<String, Double> accuracy,
                                   @JsonProperty("original_accuracy") Map<String, Double> originalAccuracy,
                                   List<Metrics.LayerMetrics> layers,
                                   @JsonProperty("original_layers") List<Metrics.LayerMetrics> originalLayers,
                                   Seconds seconds, JsonNode stack) {
    }

    /**
     * Wall-clock seconds.
     *
     * @param topology recovering the grid
     * @param fit fitting and measuring the stack on the recovered grid
     * @param originalFit fitting and measuring it on the original images
     * @param total the whole run up to metrics.json
     */
    public record Seconds(double topology, double fit, @JsonProperty("original_fit") double originalFit, double total) {
    }

    /** A fitted stack and its test measurements. */
    record Fitted(Pipeline pipeline, Map<String, Double> accuracy, List<Metrics.LayerMetrics> layers,
                  TopActivations parts, boolean hasParts) {
    }

    /** Runs it; {@code scramble} null or {@code recover} false is refused (both are needed). */
    public static ScrambledMetrics run(MnistRun.Options given, Long scramble, boolean recover, Progress progress,
                                       PrintWriter console) {
        MnistRun.Options options = given.shifts() == null ? given.withShifts(0) : given;
        if (scramble == null || !recover) {
            throw new GlassboxException("--scramble SEED and --recover-topology go together: the stack is fitted on "
                    + "the scrambled images put back on the grid recovered from them");
        }
        if (options.baselines()) {
            throw new GlassboxException("--baselines is not combined with --scramble; run it on the original images");
        }
        List<Path> inputs = new ArrayList<>();
        inputs.add(options.data());
        inputs.add(options.stackFile());
        try (RunFolder folder = RunFolder.open(options.out(), "mnist", options.force(), inputs)) {
            Path out = folder.staging();
            long start = System.nanoTime();
            TrainTest original = MnistRun.load(options.data());
            TopologyRun.Scrambled scrambled = TopologyRun.scramble(original, scramble, null);
            TopologyRecovery.Result result = TopologyRecovery.recover(scrambled.split().train().images(),
                    scrambled.split().train().name(), options.seed(), progress);
            String dataset = TopologyRun.dataset(options.data());
            TopologyRun.Metrics layout = TopologyRun.write(out, original, scrambled, result, options.seed(), dataset);
            TrainTest recovered = new TrainTest(onGrid(scrambled.split().train(), result), onGrid(scrambled.split().test(), result));

            long fitStart = System.nanoTime();
            Fitted onRecovered = fit(options, recovered, progress);
            double fitSeconds = seconds(fitStart);
            long originalStart = System.nanoTime();
            Fitted onOriginal = fit(options, original, progress);
            double originalSeconds = seconds(originalStart);

            StrokeAtlas.write(onRecovered.pipeline(), out.resolve("atlas-L1.png"));
            if (onRecovered.hasParts()) {
                PartAtlas.write(onRecovered.pipeline(), recovered.test(), onRecovered.parts(), out.resolve("atlas-L2.png"));
            }
            StrokeAtlas.write(onOriginal.pipeline(), out.resolve("original-atlas-L1.png"));
            ScrambledMetrics metrics = new ScrambledMetrics(dataset, original.train().size(), original.test().size(),
                    options.seed(), options.shifts(), scrambled.description(), layout.layout(),
                    onRecovered.accuracy(), onOriginal.accuracy(), onRecovered.layers(), onOriginal.layers(),
                    new Seconds(result.seconds(), fitSeconds, originalSeconds, seconds(start)), options.stack().toJson());
            AtomicFolder.writeFile(out.resolve("metrics.json"), tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
            folder.commit();
            LayoutMetrics t = layout.layout();
            console.printf("Glassbox MNIST on scrambled pixels: %s, scramble %s%n", dataset, scrambled.description());
            console.printf("  topology  %.2f%% of true 4-neighbours, %.2f%% of 8-neighbours, Spearman %.4f (%d pixels vary)%n",
                    100 * t.neighbours4(), 100 * t.neighbours8(), t.spearman(), t.varying());
            for (Map.Entry<String, Double> a : onRecovered.accuracy().entrySet()) {
                console.printf("  %-9s test accuracy %.2f%% on the recovered grid, %.2f%% on the original images%n",
                        a.getKey(), 100 * a.getValue(), 100 * onOriginal.accuracy().get(a.getKey()));
            }
            console.printf("  wrote     %s%n", folder.target());
            console.flush();
            return metrics;
        }
    }

    private static ImageSet onGrid(ImageSet set, TopologyRecovery.Result result) {
        return new ImageSet(set.name() + " on the recovered grid", result.layout().apply(set.images()), set.labels(),
                set.classes());
    }

    /** Fits the stack and its readouts on {@code split.train()} and measures them on {@code split.test()}, as {@link MnistRun} does. */
    static Fitted fit(MnistRun.Options options, TrainTest split, Progress progress) {
        FitContext context = new FitContext(options.seed(), progress);
        Model model = Model.fit(options.stack(), split.train(), options.shifts(), context,
                (step, seconds) -> { });
        Pipeline pipeline = model.pipeline();
        List<Readout> readouts = model.readouts();
        TopActivations parts = new TopActivations(PartAtlas.L2_CODE);
        boolean hasParts = PartAtlas.applies(pipeline);
        MnistRun.TestPass test = MnistRun.testPass(pipeline, split.test(), progress, parts::add);
        int classes = split.train().classes();
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Readout r : readouts) {
            accuracy.put(r.id(), ConfusionMatrix.accuracy(split.test().labels(), r.predict(test.features()), classes));
        }
        accuracy.put("pixels_knn", MnistRun.pixelsKnn(split, context));
        return new Fitted(pipeline, accuracy, test.layers(), parts, hasParts);
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }
}
