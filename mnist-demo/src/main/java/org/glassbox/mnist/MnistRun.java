package org.glassbox.mnist;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.layer.Trace;
import org.glassbox.framework.model.AtomicFolder;
import org.glassbox.framework.model.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.Readout;
import org.glassbox.layers.readout.ReadoutSpec;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.inspect.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One run of {@code ./glassbox mnist}: load the digits, fit the stack greedily, fit the readouts
 * on the training features, measure everything on the test set, and write {@code model/},
 * {@code atlas-L1.png}, {@code atlas-L2.png}, {@code metrics.json} and {@code report/} into the
 * output folder, each written whole or not at all.
 */
public final class MnistRun {
    /** The model info key naming the data a model was fitted on: {@code embedded} or an IDX folder's path. */
    public static final String DATA_KEY = "data";

    /**
     * @param out the output folder
     * @param data an IDX folder, or null for the embedded digits
     * @param seed the seed of the fit
     * @param stack the stages and readouts to fit
     * @param baselines also train the black-box baselines on the same split and compare
     * @param shifts the readouts also learn from copies of the training images moved by 1 to
     *     {@code shifts} pixels up, down, left and right (4 x shifts copies); 0 for none
     */
    public record Options(Path out, Path data, long seed, StackDescription stack, boolean baselines, int shifts) {
        public Options {
            if (shifts < 0) throw new InvalidParameterException("shifts", shifts, "at least 0");
        }
    }

    /** The fitted model and what the run measured. */
    public record Result(Model model, TrainTest split, Metrics metrics) {
    }

    private MnistRun() {
    }

    /** Loads the split a model's {@code data} info names: the embedded digits or an IDX folder. */
    public static TrainTest load(Path data) {
        return data == null ? EmbeddedMnist.split() : IdxFolder.read(data);
    }

    /** Runs the demo, reporting progress to {@code progress} and the summary to {@code console}. */
    public static Result run(Options options, Progress progress, PrintWriter console) {
        long start = System.nanoTime();
        TrainTest split = load(options.data());
        String dataset = options.data() == null ? EmbeddedMnist.NAME : options.data().toAbsolutePath().normalize().toString();
        int classes = split.train().classes();

        long fitStart = System.nanoTime();
        FitContext context = new FitContext(options.seed(), progress);
        Pipeline pipeline = Pipeline.fit(split.train().source(), options.stack().stages(), context);
        ImageSet readoutTrain = withShiftedCopies(split.train(), options.shifts());
        INDArray trainFeatures = pipeline.transformAll(readoutTrain.source(), progress, "train features");
        List<Readout> readouts = new ArrayList<>();
        for (Pipeline.Stage r : options.stack().readouts()) {
            readouts.add(((ReadoutSpec) r.spec()).fit(r.id(), MapSource.of(trainFeatures), readoutTrain.labels(), context));
        }
        double fitSeconds = seconds(fitStart);

        long evalStart = System.nanoTime();
        TopActivations parts = new TopActivations(StrokeStack.L2_CODE);
        boolean hasParts = pipeline.stages().stream().anyMatch(l -> l.id().equals(StrokeStack.L2_CODE));
        TestPass test = testPass(pipeline, split.test(), progress, hasParts ? parts::add : (trace, offset) -> { });
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Readout r : readouts) {
            accuracy.put(r.id(), ConfusionMatrix.accuracy(split.test().labels(), r.predict(test.features()), classes));
        }
        accuracy.put("pixels_knn", pixelsKnn(split, context));
        double evalSeconds = seconds(evalStart);

        Provenance provenance = Provenance.now(options.seed(), dataset, split.train().fingerprint(), split.train().size());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("classes", String.valueOf(classes));
        info.put(DATA_KEY, options.data() == null ? "embedded" : options.data().toAbsolutePath().normalize().toString());
        Model model = new Model(provenance, pipeline, new ArrayList<Layer>(readouts), info);
        ModelFile.write(model, options.out().resolve("model"));
        StrokeAtlas.write(pipeline, options.out().resolve("atlas-L1.png"));
        if (hasParts) {
            PartAtlas.write(pipeline, split.test(), parts, options.out().resolve("atlas-L2.png"));
        }

        BlackBoxComparison.Outcome blackBox = null;
        if (options.baselines()) {
            Readout linear = readouts.stream().filter(r -> r.id().equals(GLASSBOX_READOUT)).findFirst()
                    .orElseThrow(() -> new GlassboxException("--baselines compares the readout named \""
                            + GLASSBOX_READOUT + "\"; the stack has none"));
            blackBox = BlackBoxComparison.run(pipeline, linear, linear.predict(test.features()), fitSeconds, options,
                    split, progress);
        }
        Metrics metrics = new Metrics(dataset, split.train().size(), split.test().size(), options.seed(), options.shifts(), test.layers(),
                accuracy, new Metrics.Seconds(fitSeconds, evalSeconds, seconds(start)),
                blackBox == null ? null : blackBox.comparison().baselines(),
                blackBox == null ? null : blackBox.comparison().mcnemar(),
                blackBox == null ? null : blackBox.throughput(),
                options.stack().toJson());
        AtomicFolder.writeFile(options.out().resolve("metrics.json"),
                tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
        Report.write(model, split.test(), options.out(), progress);
        Summary.print(metrics, options.out(), console);
        return new Result(model, split, metrics);
    }

    /**
     * {@code train} followed by its copies moved by 1 to {@code shifts} pixels in each of the four
     * directions ({@link ImageSet#shifted}), all with their labels; {@code train} itself when
     * {@code shifts} is 0.
     */
    static ImageSet withShiftedCopies(ImageSet train, int shifts) {
        if (shifts == 0) return train;
        List<INDArray> images = new ArrayList<>();
        images.add(train.images());
        for (int s = 1; s <= shifts; s++) {
            for (int[] d : new int[][] {{s, 0}, {-s, 0}, {0, s}, {0, -s}}) images.add(train.shifted(d[0], d[1]).images());
        }
        int[] labels = new int[train.size() * images.size()];
        for (int c = 0; c < images.size(); c++) System.arraycopy(train.labels(), 0, labels, c * train.size(), train.size());
        return new ImageSet(train.name() + " with " + (images.size() - 1) + " shifted copies",
                Nd4j.concat(0, images.toArray(new INDArray[0])), labels, train.classes());
    }

    /** The readout that stands for the white-box model in comparisons: the linear one, whose scores decompose. */
    public static final String GLASSBOX_READOUT = "linear";

    /** Learned numbers of the pipeline and one readout (kNN's stored training set is data, not counted). */
    static long parameters(Pipeline pipeline, Layer readout) {
        long n = 0;
        for (Layer stage : pipeline.stages()) {
            for (INDArray a : stage.parameters().values()) n += a.length();
        }
        for (INDArray a : readout.parameters().values()) n += a.length();
        return n;
    }

    private static INDArray rows(INDArray maps, long offset, long count) {
        return maps.get(NDArrayIndex.interval(offset, offset + count), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** The test features and the per-layer measurements taken while computing them. */
    record TestPass(INDArray features, List<Metrics.LayerMetrics> layers) {
    }

    /** Sees every traced test batch and the index of its first sample. */
    interface TraceObserver {
        void observe(Trace trace, long offset);
    }

    /**
     * Encodes the test set through the traced pipeline, measures every sparse-coding stage and
     * shows each traced batch to {@code observer}.
     */
    static TestPass testPass(Pipeline pipeline, ImageSet test, Progress progress, TraceObserver observer) {
        List<SparseStageStats> stats = new ArrayList<>();
        List<SparseCodingLayer> sparse = new ArrayList<>();
        String previous = "input";
        for (Layer stage : pipeline.stages()) {
            if (stage instanceof SparseCodingLayer s) {
                sparse.add(s);
                stats.add(new SparseStageStats(s.atomPrefix(), previous));
            }
            previous = stage.id();
        }
        INDArray features = Nd4j.create(DataType.FLOAT, pipeline.outputShape().batchShape(test.size()));
        try (Progress.Task task = progress.task("test features", test.size())) {
            test.source().forEachBatch(Pipeline.BATCH, (batch, offset) -> {
                Trace trace = new Trace();
                rows(features, offset, batch.size(0)).assign(pipeline.transform(batch, trace));
                stats.forEach(s -> s.add(trace));
                observer.observe(trace, offset);
                task.step(batch.size(0));
            });
        }
        List<Metrics.LayerMetrics> layers = new ArrayList<>();
        for (int i = 0; i < sparse.size(); i++) {
            layers.add(new Metrics.LayerMetrics(sparse.get(i).atomPrefix(), sparse.get(i).atomCount(),
                    stats.get(i).meanActiveAtoms(), stats.get(i).relativeReconstructionError()));
        }
        return new TestPass(features, layers);
    }

    /** The floor: the kNN probe on raw pixels of the same split. */
    static double pixelsKnn(TrainTest split, FitContext context) {
        Readout knn = KnnSpec.defaults(split.train().classes())
                .fit("pixels_knn", split.train().source(), split.train().labels(), context);
        return ConfusionMatrix.accuracy(split.test().labels(), knn.predict(split.test().images()),
                split.train().classes());
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }
}
