package org.glassbox.mnist;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.framework.layer.Readout;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.inspect.Report;
import org.glassbox.layers.inspect.EmbeddingAtlas;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One run of {@code ./glassbox mnist}: load the digits, fit the stack greedily, fit the readouts
 * on the training features, measure everything on the test set, and write {@code model/},
 * {@code atlas-L1.png}, {@code atlas-L2.png}, {@code metrics.json} and {@code report/} into the
 * output folder, which is checked before any work and replaced whole or not at all ({@link RunFolder}).
 */
public final class MnistRun {
    /** The model info key naming the data a model was fitted on: {@code embedded} or an IDX folder's path. */
    public static final String DATA_KEY = "data";

    /**
     * @param out the output folder
     * @param data an IDX folder, or null for the embedded digits
     * @param seed the seed of the fit
     * @param stack the stages and readouts to fit
     * @param baselines also train the black-box baselines on the same split and compare them with the
     *     readout named {@value #GLASSBOX_READOUT}, which the stack must have
     * @param shifts the readouts also learn from copies of the training images moved by 1 to
     *     {@code shifts} pixels up, down, left and right (4 x shifts copies); 0 for none; null for
     *     {@link #defaultShifts}, chosen when the run starts
     * @param force replace {@code out} even when it holds files Glassbox did not write
     * @param stackFile the file {@code stack} was read from, or null: {@code out} may not contain it
     * @param reportImages test images the HTML report inspects (a stratified subset when the test set
     *     is larger), 0 for no report
     */
    public record Options(Path out, Path data, long seed, StackDescription stack, boolean baselines, Integer shifts,
                          boolean force, Path stackFile, int reportImages) {
        public Options {
            if (shifts != null && shifts < 0) throw new InvalidParameterException("--shifts", shifts, "at least 0");
            if (reportImages < 0) throw new InvalidParameterException("--report-images", reportImages, "at least 0");
            if (baselines && stack.readouts().stream().noneMatch(r -> r.id().equals(GLASSBOX_READOUT))) {
                throw new GlassboxException("--baselines compares the readout named \"" + GLASSBOX_READOUT
                        + "\"; the stack has none");
            }
        }

        /** A copy with {@code newShifts} shifts. */
        Options withShifts(int newShifts) {
            return new Options(out, data, seed, stack, baselines, newShifts, force, stackFile, reportImages);
        }
    }

    /** The most shifts {@link #defaultShifts} chooses. */
    static final int DEFAULT_SHIFTS = 2;

    /**
     * The folder of the run in which the readouts' training features are kept in chunk files while
     * the readouts are fitted, when they do not fit in memory; deleted before the run is complete.
     */
    static final String FEATURE_FILES = "train-features";

    /** The bytes of training features (float32) up to which {@link #defaultShifts} adds shifted copies: 1 GiB. */
    static final long DEFAULT_SHIFT_BYTES = 1L << 30;

    /**
     * The default {@code --shifts} for {@code images} training images whose features have shape
     * {@code features}: the most, up to {@link #DEFAULT_SHIFTS}, whose 1 + 4 shifts copies' features
     * (4 bytes a value) fit in {@link #DEFAULT_SHIFT_BYTES}; 0 when not even one shift does. The
     * embedded 8,000 digits get 2 (0.92 GB of features with the default stack), Fashion-MNIST's
     * 60,000 images 0.
     */
    static int defaultShifts(long images, MapShape features) {
        for (int s = DEFAULT_SHIFTS; s > 0; s--) {
            if ((1 + 4L * s) * 4 * images * features.size() <= DEFAULT_SHIFT_BYTES) return s;
        }
        return 0;
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

    /**
     * Runs the demo, reporting progress to {@code progress} and the summary to {@code console}: the
     * output folder is checked first, the run is written beside it and swapped in when complete.
     */
    public static Result run(Options options, Progress progress, PrintWriter console) {
        return run(options, progress, console, Pointer.maxBytes());
    }

    /**
     * {@link #run(Options, Progress, PrintWriter)} with {@code memoryLimit} in place of the bytes ND4J
     * may allocate: the training features of a run without shifted copies that do not fit in it go
     * through chunk files ({@link #featuresStream}).
     */
    static Result run(Options options, Progress progress, PrintWriter console, long memoryLimit) {
        List<Path> inputs = new ArrayList<>();
        inputs.add(options.data());
        inputs.add(options.stackFile());
        try (RunFolder folder = RunFolder.open(options.out(), "mnist", options.force(), inputs)) {
            Result result = run(options, folder.staging(), progress, memoryLimit);
            folder.commit();
            Summary.print(result.metrics(), folder.target(), console);
            return result;
        }
    }

    /** Fits, measures and writes the run into the folder {@code out}. */
    private static Result run(Options options, Path out, Progress progress, long memoryLimit) {
        long start = System.nanoTime();
        TrainTest split = load(options.data());
        String dataset = options.data() == null ? EmbeddedMnist.NAME : options.data().toAbsolutePath().normalize().toString();
        int classes = split.train().classes();
        if (options.shifts() == null) {
            MapShape features = options.stack().check(dataset, split.train().shape(), split.train().size(),
                    split.train().size(), classes);
            options = options.withShifts(defaultShifts(split.train().size(), features));
        }
        boolean stream = requireFits(options, split.train(), dataset, memoryLimit);

        long fitStart = System.nanoTime();
        FitContext context = new FitContext(options.seed(), progress);
        List<Metrics.StageSeconds> stageSeconds = new ArrayList<>();
        Model fitted = Model.fit(options.stack(), split.train(), options.shifts(), context,
                (step, s) -> stageSeconds.add(new Metrics.StageSeconds(step, Math.round(s * 100) / 100.0)),
                stream ? out.resolve(FEATURE_FILES) : null);
        Pipeline pipeline = fitted.pipeline();
        List<Readout> readouts = fitted.readouts();
        double fitSeconds = seconds(fitStart);
        Model model = fitted.withInfo(DATA_KEY, options.data() == null ? "embedded" : options.data().toAbsolutePath().normalize().toString());

        long evalStart = System.nanoTime();
        TopActivations parts = new TopActivations(PartAtlas.L2_CODE);
        boolean hasParts = PartAtlas.applies(pipeline);
        // a report on the whole test set reads the first sparse stage's codes that the test pass remembers
        // instead of encoding the test set again (MemoizedAtoms); the model saved, the atlases and the
        // baselines' speed use the plain pipeline
        ImageSet reportSet = options.reportImages() > 0 ? reportSubset(split.test(), options.reportImages(), options.seed()) : null;
        Model measured = reportSet == split.test() ? model.withMemoizedCodes(Report.MEMO_BYTES) : model;
        TestPass test = testPass(measured.pipeline(), split.test(), progress, parts::add);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Readout r : readouts) {
            accuracy.put(r.id(), ConfusionMatrix.accuracy(split.test().labels(), r.predict(test.features()), classes));
        }
        accuracy.put("pixels_knn", pixelsKnn(split, context));
        double evalSeconds = seconds(evalStart);

        model.save(out.resolve("model"));
        StrokeAtlas.write(pipeline, out.resolve("atlas-L1.png"));
        for (ManifoldLayer embedding : EmbeddingAtlas.embeddings(pipeline)) {
            EmbeddingAtlas.write(pipeline, embedding, out.resolve("atlas-" + embedding.id() + ".png"), StrokeAtlas.SCALE);
        }
        if (hasParts) {
            PartAtlas.write(pipeline, split.test(), parts, out.resolve("atlas-L2.png"));
        }

        BlackBoxComparison.Outcome blackBox = null;
        if (options.baselines()) {
            Readout linear = readouts.stream().filter(r -> r.id().equals(GLASSBOX_READOUT)).findFirst().orElseThrow();
            blackBox = BlackBoxComparison.run(pipeline, linear, linear.predict(test.features()), fitSeconds, options,
                    split, progress);
        }
        Metrics metrics = new Metrics(dataset, split.train().size(), split.test().size(), options.seed(), options.shifts(), test.layers(),
                accuracy, new Metrics.Seconds(fitSeconds, evalSeconds, seconds(start), stageSeconds),
                blackBox == null ? null : blackBox.comparison().baselines(),
                blackBox == null ? null : blackBox.comparison().mcnemar(),
                blackBox == null ? null : blackBox.throughput(),
                options.stack().toJson());
        AtomicFolder.writeFile(out.resolve("metrics.json"), tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
        if (options.reportImages() > 0) {
            Report.write(measured, reportSet, out, progress);
        }
        return new Result(model, split, metrics);
    }

    /**
     * Checks the shifts and the stack against the training images {@code train} of {@code dataset}
     * before anything is fitted: the shifts against the images' sides ({@link #requireShiftsWithin}),
     * the stack with {@link StackDescription#check} (the readouts learn from the images and their
     * shifted copies), then the training features against {@code bytes}, what ND4J may allocate in
     * all (the run passes {@link Pointer#maxBytes()}, the launcher's
     * {@code org.bytedeco.javacpp.maxbytes}): with shifted copies {@link #requireShiftsFit}, without
     * them {@link #featuresStream}. Returns whether the readouts' training features go through chunk
     * files instead of memory.
     */
    static boolean requireFits(Options options, ImageSet train, String dataset, long bytes) {
        requireShiftsWithin(options.shifts(), dataset, train.shape());
        long copies = 1 + 4L * options.shifts();
        MapShape features = options.stack().check(dataset, train.shape(), train.size(), copies * train.size(),
                train.classes());
        requireShiftsFit(options.shifts(), dataset, train.size(), features, bytes);
        if (options.shifts() > 0) return false;
        boolean kept = options.stack().readouts().stream().anyMatch(r -> r.spec().keepsTrainingFeatures());
        String stack = options.stackFile() == null ? "the default stack" : options.stackFile().toString();
        return featuresStream(stack, kept, dataset, train.size(), features, bytes);
    }

    /**
     * Whether the features of {@code images} training images from {@code data}, of shape
     * {@code features} (the output of {@code stack}), must go through chunk files because they do
     * not fit in {@code bytes} in memory, 4 bytes a value: the pipeline's output, which the linear
     * readout reads in place, and, when {@code kept}, one more copy for a readout that keeps its
     * training features (the kNN readout's normalised rows). Through chunk files the linear readout
     * reads them a chunk at a time, but a readout that keeps them still holds them once, so that
     * copy must fit: otherwise throws a {@link GlassboxException} naming the stack. {@code bytes} 0
     * is no limit (JavaCPP's {@code maxbytes} = 0).
     */
    static boolean featuresStream(String stack, boolean kept, String data, long images, MapShape features, long bytes) {
        double perCopy = 4.0 * images * features.size();
        if (bytes <= 0 || (kept ? 2 : 1) * perCopy <= bytes) return false;
        if (kept && perCopy > bytes) {
            throw new GlassboxException(data + ": the kNN readout of " + stack + " keeps its training features as its "
                    + "model (" + images + " images x " + features.size() + " values), which need " + gib(perCopy)
                    + ", more than the " + gib(bytes) + " ND4J may allocate (org.bytedeco.javacpp.maxbytes); raise the "
                    + "limit (JAVA_OPTS) or use a stack without a kNN readout");
        }
        return true;
    }

    /**
     * Checks {@code --shifts} against images of shape {@code image} from {@code data}: a shift by a
     * full side of the images or more only adds blank copies, so it is at most min(height, width) - 1;
     * throws an {@link InvalidParameterException} naming {@code --shifts}.
     */
    static void requireShiftsWithin(int shifts, String data, MapShape image) {
        int side = Math.min(image.gridH(), image.gridW());
        if (shifts >= side) {
            throw new InvalidParameterException("--shifts", shifts, "at most " + (side - 1) + ": the images of " + data
                    + " are " + image.gridH() + " x " + image.gridW()
                    + " pixels, and a shift by a full side or more only adds blank copies");
        }
    }

    /**
     * Checks that the features of the 1 + 4 {@code shifts} copies of {@code images} training images
     * from {@code data}, of shape {@code features}, fit in {@code bytes}, 4 bytes a value: the
     * pipeline's output over the copies, which the linear readout reads in place, and one more copy's
     * worth for a readout that keeps the originals' features (the kNN readout's normalised rows).
     * Throws an {@link InvalidParameterException} naming {@code --shifts}; {@code bytes} 0 is no limit.
     */
    static void requireShiftsFit(int shifts, String data, long images, MapShape features, long bytes) {
        long perCopy = 4 * images * features.size();
        long copies = 1 + 4L * shifts;
        if (shifts > 0 && bytes > 0 && (double) (copies + 1) * perCopy > bytes) {
            throw new InvalidParameterException("--shifts", shifts, "at most " + Math.max(0, (bytes / perCopy - 2) / 4)
                    + ": the features of the " + copies + " copies of the " + images + " training images of " + data
                    + " need " + gib((double) (copies + 1) * perCopy) + ", more than the " + gib(bytes)
                    + " ND4J may allocate (org.bytedeco.javacpp.maxbytes)");
        }
    }

    /** {@code bytes} in GiB to one decimal, or in MiB below 1 GiB. */
    private static String gib(double bytes) {
        return bytes < (1L << 30) ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20))
                : String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
    }

    /** At most {@code n} images of {@code test}: all of them, or a stratified subset chosen with {@code seed}. */
    static ImageSet reportSubset(ImageSet test, int n, long seed) {
        if (test.size() <= n) return test;
        return test.select(test.name() + " (report subset)", StratifiedSplit.subset(test.labels(), test.classes(), n, seed));
    }

    /** The readout that stands for the white-box model in comparisons: the linear one, whose scores decompose. */
    public static final String GLASSBOX_READOUT = "linear";

    private static INDArray rows(INDArray maps, long offset, long count) {
        return maps.get(NDArrayIndex.interval(offset, offset + count), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** The test features and the per-layer measurements taken while computing them. */
    record TestPass(INDArray features, List<Metrics.LayerMetrics> layers) {
    }

    /** Sees the codes of every sparse-coding stage for each test batch, and the index of its first sample. */
    interface CodeObserver {
        void observe(SparseOutput stage, SparseRows codes, long offset);
    }

    /**
     * Encodes the test set through the pipeline, measures every sparse-coding stage from its codes
     * and shows each batch's codes to {@code observer}.
     */
    static TestPass testPass(Pipeline pipeline, ImageSet test, Progress progress, CodeObserver observer) {
        Map<String, SparseStageStats> stats = new LinkedHashMap<>();
        List<SparseCodingLayer> sparse = new ArrayList<>();
        for (Layer stage : pipeline.allStages()) {
            if ((stage instanceof MemoizedAtoms m ? m.layer() : stage) instanceof SparseCodingLayer s) {
                sparse.add(s);
                stats.put(s.id(), new SparseStageStats(s));
            }
        }
        INDArray features = Nd4j.create(DataType.FLOAT, pipeline.outputShape().batchShape(test.size()));
        try (Progress.Task task = progress.task("test features", test.size())) {
            test.source().forEachBatch(pipeline.batchSize(), (batch, offset) -> {
                INDArray out = pipeline.transform(batch, (stage, input, codes) -> {
                    SparseStageStats s = stats.get(stage.id());
                    if (s != null) s.add(input, codes);
                    observer.observe(stage, codes, offset);
                });
                rows(features, offset, batch.size(0)).assign(out);
                OffHeap.free(out, batch);
                task.step(batch.size(0));
            });
        }
        List<Metrics.LayerMetrics> layers = new ArrayList<>();
        for (SparseCodingLayer layer : sparse) {
            SparseStageStats s = stats.get(layer.id());
            layers.add(new Metrics.LayerMetrics(layer.atomPrefix(), layer.atomCount(), s.meanActiveAtoms(),
                    s.relativeReconstructionError()));
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
