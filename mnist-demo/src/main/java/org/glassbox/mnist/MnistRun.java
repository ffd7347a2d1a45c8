package org.glassbox.mnist;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Trace;
import org.glassbox.framework.model.AtomicFolder;
import org.glassbox.framework.model.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.sparse.SparseCodingLayer;

/**
 * One run of {@code ./glassbox mnist}: load the digits, fit the stack greedily, measure it on the
 * test set, and write {@code model/}, {@code atlas-L1.png} and {@code metrics.json} into the
 * output folder, each written whole or not at all.
 */
public final class MnistRun {
    /**
     * @param out the output folder
     * @param data an IDX folder, or null for the embedded digits
     * @param seed the seed of the fit
     * @param stack the stages to fit
     */
    public record Options(Path out, Path data, long seed, StrokeStack stack) {
    }

    private MnistRun() {
    }

    /** Runs the demo, reporting progress to {@code progress} and the summary to {@code console}. */
    public static Metrics run(Options options, Progress progress, PrintWriter console) {
        long start = System.nanoTime();
        TrainTest split = options.data() == null ? EmbeddedMnist.split() : IdxFolder.read(options.data());
        String dataset = options.data() == null ? EmbeddedMnist.NAME : options.data().toAbsolutePath().normalize().toString();

        long fitStart = System.nanoTime();
        FitContext context = new FitContext(options.seed(), progress);
        Pipeline pipeline = Pipeline.fit(split.train().source(), options.stack().stages(), context);
        double fitSeconds = seconds(fitStart);

        long evalStart = System.nanoTime();
        List<Metrics.LayerMetrics> layers = measureLayers(pipeline, split, progress);
        double evalSeconds = seconds(evalStart);

        Provenance provenance = Provenance.now(options.seed(), dataset, split.train().fingerprint(), split.train().size());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("classes", "0,1,2,3,4,5,6,7,8,9");
        ModelFile.write(new Model(provenance, pipeline, List.of(), info), options.out().resolve("model"));
        StrokeAtlas.write(pipeline, options.out().resolve("atlas-L1.png"));

        Metrics metrics = new Metrics(dataset, split.train().size(), split.test().size(), options.seed(), layers,
                Map.of(), new Metrics.Seconds(fitSeconds, evalSeconds, seconds(start)), options.stack());
        AtomicFolder.writeFile(options.out().resolve("metrics.json"),
                tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
        Summary.print(metrics, options.out(), console);
        return metrics;
    }

    /** Encodes the test set through the traced pipeline and measures every sparse-coding stage. */
    static List<Metrics.LayerMetrics> measureLayers(Pipeline pipeline, TrainTest split, Progress progress) {
        List<SparseStageStats> stats = new ArrayList<>();
        List<SparseCodingLayer> sparse = new ArrayList<>();
        String previous = "input";
        for (var stage : pipeline.stages()) {
            if (stage instanceof SparseCodingLayer s) {
                sparse.add(s);
                stats.add(new SparseStageStats(s.atomPrefix(), previous));
            }
            previous = stage.id();
        }
        try (Progress.Task task = progress.task("test set", split.test().size())) {
            split.test().source().forEachBatch(Pipeline.BATCH, (batch, offset) -> {
                Trace trace = new Trace();
                pipeline.transform(batch, trace);
                stats.forEach(s -> s.add(trace));
                task.step(batch.size(0));
            });
        }
        List<Metrics.LayerMetrics> result = new ArrayList<>();
        for (int i = 0; i < sparse.size(); i++) {
            result.add(new Metrics.LayerMetrics(sparse.get(i).atomPrefix(), sparse.get(i).atomCount(),
                    stats.get(i).meanActiveAtoms(), stats.get(i).relativeReconstructionError()));
        }
        return result;
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }
}
