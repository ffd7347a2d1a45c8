package org.glassbox.imagenet;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.layers.inspect.AtomAtlas;
import org.glassbox.layers.inspect.EmbeddingAtlas;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.glassbox.layers.inspect.Report;
import org.glassbox.framework.layer.Readout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run of {@code ./glassbox imagenet}: find the training and test images ({@link DataLayout}),
 * check that each decodes, fit the stack's stages greedily on streamed training images, store the
 * features of both sets in chunks, fit the readouts on the stored training features, score the
 * test set, and write {@code model/}, one {@code atlas-<layer>.png} per sparse-coding layer,
 * {@code metrics.json} and {@code report/} into the output folder. The output folder is checked
 * before any work; the run is written into its partial folder beside it and swapped in when
 * complete ({@link RunFolder#openResumable}).
 *
 * <p>Everything a long run computes goes through its checkpoint ({@link RunCheckpoint}): the checked
 * file lists, the stages fitted so far (stored after each stage) and the feature chunks, in the
 * partial folder. A run killed (or failed) at any moment and started again with {@code resume}
 * reads what was stored and continues;
 * since every stage draws its randomness from {@code FitContext.random(stageId)} and decoding and
 * encoding are deterministic, it ends with the same model as a run that was never interrupted.
 */
public final class ImagenetRun {
    /** The most crops of each training image the readouts may learn from. */
    static final int MAX_READOUT_CROPS = 64;

    /** The largest crop side: {@link Pipeline#BATCH} crops of crop x crop x 3 values index one Java array. */
    static final int MAX_CROP = (int) Math.sqrt(Integer.MAX_VALUE / (3.0 * Pipeline.BATCH));
    /** Images per stored feature chunk. */
    static final int CHUNK = 512;
    /** The model info key naming the data folder. */
    public static final String DATA_KEY = "data";

    /**
     * @param data the data folder (an ILSVRC-2012 layout or any class tree)
     * @param out the output folder
     * @param valLabels the label file of a flat {@code val/} folder, or null to look for the default names
     * @param testFraction the test fraction when a class tree is split, in (0, 1)
     * @param seed the seed of the split, the random crops and the fit
     * @param threads decoding threads, at least 1
     * @param shorterSide the shorter side of every image after scaling, at least {@code crop}
     * @param crop the side of the square crop, between 1 and {@link #MAX_CROP} (1,672)
     * @param stack the stages and readouts, or null for {@link ConvStack#defaults}
     * @param resume continue the checkpoint in {@code out} instead of starting a new one
     * @param reportImages test images the HTML report inspects (a stratified subset), 0 for no report
     * @param stagesFrom a model folder whose stages to use instead of fitting them (for example the one
     *     {@code SparkFitJob} wrote on a cluster), or null to fit them here
     * @param force replace {@code out} even when it holds files Glassbox did not write, and discard an
     *     interrupted run's partial folder when not resuming
     * @param stackFile the file {@code stack} was read from, or null: {@code out} may not contain it
     * @param readoutCrops crops of each training image the readouts learn from, between 1 and
     *     {@link #MAX_READOUT_CROPS}: the crop the stages were fitted on, then fresh random crops, each
     *     mirrored left-right with probability 1/2 ({@link #readoutTraining}); the command's default is 4
     */
    public record Options(Path data, Path out, Path valLabels, double testFraction, long seed, int threads,
                          int shorterSide, int crop, StackDescription stack, boolean resume, int reportImages,
                          Path stagesFrom, boolean force, Path stackFile, int readoutCrops) {
        public Options {
            if (readoutCrops < 1 || readoutCrops > MAX_READOUT_CROPS) {
                throw new InvalidParameterException("--readout-crops", readoutCrops, "between 1 and " + MAX_READOUT_CROPS);
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new InvalidParameterException("--test-fraction", testFraction, "in (0, 1)");
            }
            if (threads < 1) throw new InvalidParameterException("--threads", threads, "at least 1");
            if (crop < 1 || crop > MAX_CROP) {
                throw new InvalidParameterException("--crop", crop, "between 1 and " + MAX_CROP + " (a batch of "
                        + Pipeline.BATCH + " crops of crop x crop x 3 values is one Java array)");
            }
            if (shorterSide < crop) throw new InvalidParameterException("--resize", shorterSide, "at least the crop, " + crop);
            if (reportImages < 0) throw new InvalidParameterException("--report-images", reportImages, "at least 0");
        }

        /** The options with the readouts learning from the one crop of each training image the stages see. */
        public Options(Path data, Path out, Path valLabels, double testFraction, long seed, int threads, int shorterSide,
                int crop, StackDescription stack, boolean resume, int reportImages, Path stagesFrom, boolean force,
                Path stackFile) {
            this(data, out, valLabels, testFraction, seed, threads, shorterSide, crop, stack, resume, reportImages,
                    stagesFrom, force, stackFile, 1);
        }
    }

    /** The fitted model and what the run measured. */
    public record Result(Model model, ImagenetMetrics metrics) {
    }

    private ImagenetRun() {
    }

    /** Runs the demo, reporting progress to {@code progress}, skipped files to {@code log} and the summary to {@code console}. */
    public static Result run(Options options, Progress progress, SkipLog log, PrintWriter console) {
        return run(options, false, progress, log, console);
    }

    /**
     * Runs the demo; with {@code baselines}, also trains the black-box CNNs of {@link ImageBaselines} on
     * the same split and compares them with the stack's linear readout. The output folder is checked
     * first; the run is written into its partial folder and swapped in when complete.
     */
    public static Result run(Options options, boolean baselines, Progress progress, SkipLog log, PrintWriter console) {
        List<Path> inputs = Arrays.asList(options.data(), options.valLabels(), options.stagesFrom(), options.stackFile());
        try (RunFolder folder = RunFolder.openResumable(options.out(), "imagenet", options.force(), options.resume(),
                inputs)) {
            Result result = run(options, folder.staging(), baselines, progress, log, console);
            folder.commit();
            printSummary(result.metrics(), result.model().pipeline(), folder.target(), console);
            return result;
        }
    }

    /** Checks, fits, measures and writes the run into the folder {@code out}. */
    private static Result run(Options options, Path out, boolean baselines, Progress progress, SkipLog log,
            PrintWriter console) {
        long start = System.nanoTime();
        CudaDeviceCheck.requireSupportedDevice();
        DataLayout.Found found = DataLayout.read(options.data(), options.valLabels(), options.testFraction(),
                options.seed(), log);
        int classes = found.train().classes().size();
        Preprocess trainCrop = new Preprocess(options.shorterSide(), options.crop(), options.crop(), Preprocess.Crop.RANDOM);
        StackDescription stack = checkedStack(options, found, trainCrop.shape());
        Preprocess testCrop = trainCrop.withCrop(Preprocess.Crop.CENTRE);
        Pipeline given = options.stagesFrom() == null ? null
                : fittedElsewhere(options.stagesFrom(), stack, trainCrop.shape());
        RunCheckpoint checkpoint = RunCheckpoint.open(out, new RunCheckpoint.Identity(options.seed(),
                found.train().fingerprint(), found.test().fingerprint(), plan(stack, trainCrop, options.readoutCrops())),
                options.resume());
        StreamOptions streaming = StreamOptions.of(options.threads(), options.seed());
        ImageStream train = checked(checkpoint, "train", found.train(), trainCrop, streaming, log, progress);
        ImageStream test = checked(checkpoint, "test", found.test(), testCrop, streaming, log, progress);
        String dataset = options.data().toAbsolutePath().normalize().toString();
        Provenance provenance = Provenance.now(options.seed(), dataset, train.files().fingerprint(), train.samples());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("classes", String.valueOf(classes));
        info.put(DATA_KEY, dataset);
        info.putAll(new ImageInfo(found.train().classes(), options.shorterSide(), options.crop(), options.testFraction(),
                options.valLabels()).entries());

        if (given != null && checkpoint.loadStages().isEmpty()) {
            checkpoint.saveStages(new Model(provenance, given, List.of(), info));
        }
        long fitStart = System.nanoTime();
        FitContext context = new FitContext(options.seed(), progress);
        FittedStages stages = fitStages(stack.stages(), train, context, checkpoint,
                fitted -> new Model(provenance, fitted, List.of(), info), console);
        Pipeline pipeline = stages.pipeline();
        FeatureChunks.Stored trainFeatures = readoutTraining(train, pipeline, checkpoint, options, progress);
        List<Readout> readouts = Model.fitReadouts(stack, trainFeatures, trainFeatures.labels(),
                trainFeatures.labels().length, context, (step, seconds) -> { });
        double fitSeconds = seconds(fitStart);

        long evalStart = System.nanoTime();
        FeatureChunks.Stored testFeatures = features(test, pipeline, checkpoint.features("test"), progress);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Readout r : readouts) {
            accuracy.put(r.id(), ConfusionMatrix.accuracy(testFeatures.labels(), predict(r, testFeatures), classes));
        }
        double evalSeconds = seconds(evalStart);
        ImageBaselines.Outcome blackBox = !baselines ? null
                : ImageBaselines.run(pipeline, readouts, testFeatures, fitSeconds, stack, train, test, options, progress);

        Model model = new Model(provenance, pipeline, readouts, info);
        ModelFile.write(model, out.resolve("model"));
        Map<String, Integer> atlasScales = new HashMap<>();
        Anatomy anatomy = Anatomy.of(pipeline);
        for (int s = 0; s < pipeline.stages().size(); s++) {
            if (!(pipeline.stages().get(s) instanceof HasAtoms atoms)) continue;
            Optional<INDArray> pictures = anatomy.atomImages(s);
            if (pictures.isPresent()) {
                atlasScales.put(pipeline.stages().get(s).id(), atlasScale(pictures.get()));
                AtomAtlas.write(pictures.get(), out.resolve(atlasName(atoms)), atlasScale(pictures.get()));
            }
        }
        for (ManifoldLayer embedding : EmbeddingAtlas.embeddings(pipeline)) {
            Layer atoms = pipeline.stages().get(pipeline.stages().indexOf(embedding) - 1);
            EmbeddingAtlas.write(pipeline, embedding, out.resolve("atlas-" + embedding.id() + ".png"),
                    atlasScales.get(atoms.id()));
        }
        ImagenetMetrics metrics = new ImagenetMetrics(dataset, found.layout(), classes, (int) train.samples(),
                (int) test.samples(), log.countsByName(), options.seed(),
                new ImagenetMetrics.Image(options.shorterSide(), options.crop(), options.readoutCrops()), accuracy, stages.resumed(),
                new ImagenetMetrics.Seconds(fitSeconds, evalSeconds, seconds(start)),
                blackBox == null ? null : blackBox.comparison().baselines(),
                blackBox == null ? null : blackBox.comparison().mcnemar(),
                blackBox == null ? null : blackBox.throughput(), stack.toJson());
        AtomicFolder.writeFile(out.resolve("metrics.json"), tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
        if (options.reportImages() > 0) {
            Report.write(model, reportSubset(test, options.reportImages(), options.seed()), out, progress);
        }
        return new Result(model, metrics);
    }

    /**
     * The stack to fit, checked against the data before anything is fitted or written: the training
     * images must form at least 2 classes; the stack ({@code options.stack()}, or
     * {@link ConvStack#defaults} for the training classes) must fit crops of shape {@code crops} and
     * the training files ({@link StackDescription#check}); and the report's images, at most
     * {@code --report-images} of the test files, must fit in one array as {@link ImageStream#load}
     * needs.
     */
    static StackDescription checkedStack(Options options, DataLayout.Found found, MapShape crops) {
        List<String> classes = found.train().classes();
        if (classes.size() < 2) {
            throw new GlassboxException(options.data() + ": the training images form 1 class, " + classes.get(0)
                    + " (expected at least 2 classes)");
        }
        StackDescription stack = options.stack() != null ? options.stack() : ConvStack.defaults(classes.size());
        int files = found.train().size();
        stack.check(options.data().toString(), crops, files, files, classes.size());
        long reported = Math.min(options.reportImages(), found.test().size());
        if (reported * crops.size() > ImageStream.MAX_VALUES) {
            throw new InvalidParameterException("--report-images", options.reportImages(), "at most "
                    + ImageStream.MAX_VALUES / crops.size() + " for crops of " + crops.gridH() + " x " + crops.gridW()
                    + " (the report's images are one array)");
        }
        return stack;
    }

    /** The file name of a sparse-coding layer's atlas: {@code atlas-L1.png} for atoms {@code L1/a*}. */
    public static String atlasName(HasAtoms atoms) {
        return "atlas-" + atoms.atomPrefix() + ".png";
    }

    /** Pixels per picture pixel for pictures {@code [atoms, h, w, channels]}: at least 40 pixels high. */
    private static int atlasScale(INDArray pictures) {
        int h = (int) pictures.size(1);
        return Math.max(2, (40 + h - 1) / h);
    }

    /**
     * One line per stage and readout (id and spec as JSON) plus the preprocessing and the readouts'
     * crops per training image: what a checkpoint must have been made for to be resumed.
     */
    static List<String> plan(StackDescription stack, Preprocess preprocess, int readoutCrops) {
        List<String> plan = new ArrayList<>();
        plan.add("input " + preprocess);
        plan.add("readout crops " + readoutCrops);
        for (Pipeline.Stage s : stack.stages()) plan.add(s.id() + " " + Json.MAPPER.valueToTree(s.spec()));
        for (StackDescription.ReadoutStage s : stack.readouts()) plan.add(s.id() + " " + Json.MAPPER.valueToTree(s.spec()));
        return plan;
    }

    /** The stream of {@code files} after the check pass, read from the checkpoint when an earlier run stored it. */
    private static ImageStream checked(RunCheckpoint checkpoint, String set, ImageFiles files, Preprocess preprocess,
            StreamOptions streaming, SkipLog log, Progress progress) {
        Optional<ImageFiles> stored = checkpoint.loadChecked(set, log);
        if (stored.isPresent()) return ImageStream.ofChecked(stored.get(), preprocess, streaming, progress);
        int before = log.entries().size();
        ImageStream stream = ImageStream.open(files, preprocess, streaming, log, progress);
        List<SkipLog.Entry> entries = log.entries();
        checkpoint.saveChecked(set, stream.files(), entries.subList(before, entries.size()));
        return stream;
    }

    /**
     * The stages of the model folder {@code dir}, checked against the stack: the same stage ids in
     * the same order, reading maps of {@code input} shape.
     *
     * @throws GlassboxException naming the folder and what differs
     */
    static Pipeline fittedElsewhere(Path dir, StackDescription stack, MapShape input) {
        Pipeline given = ModelFile.read(dir).pipeline();
        List<String> expected = stack.stages().stream().map(Pipeline.Stage::id).toList();
        List<String> found = given.stages().stream().map(Layer::id).toList();
        if (!found.equals(expected)) {
            throw new GlassboxException(dir + ": the model's stages are " + found + " (expected the stack's stages "
                    + expected + ")");
        }
        if (!given.inputShape().equals(input)) {
            throw new GlassboxException(dir + ": the model reads maps of " + given.inputShape() + " (expected "
                    + input + ", the crops of this run)");
        }
        return given;
    }

    /** The fitted stages, and how many of them were read from the checkpoint. */
    record FittedStages(Pipeline pipeline, int resumed) {
    }

    /**
     * Fits the stages with {@link Pipeline#fit}, reusing those an earlier run stored in the
     * checkpoint and storing the pipeline ({@code partial} of it) after every stage fitted here.
     */
    static FittedStages fitStages(List<Pipeline.Stage> stages, MapSource train, FitContext context,
            RunCheckpoint checkpoint, Function<Pipeline, Model> partial, PrintWriter console) {
        List<Layer> stored = checkpoint.loadStages().map(m -> m.pipeline().stages()).orElse(List.of());
        if (!stored.isEmpty()) {
            console.println("resumed: " + stored.size() + " of " + stages.size() + " stages read from " + checkpoint.dir());
            console.flush();
        }
        Pipeline pipeline = Pipeline.fit(train, stages, context, new Pipeline.FitHook() {
            @Override
            public Optional<Layer> reuse(Pipeline.Stage stage, Pipeline prefix) {
                int i = prefix.stages().size();
                return i < stored.size() ? Optional.of(stored.get(i)) : Optional.empty();
            }

            @Override
            public void fitted(Pipeline fitted, double seconds) {
                checkpoint.saveStages(partial.apply(fitted));
            }
        });
        return new FittedStages(pipeline, stored.size());
    }

    /**
     * What the readouts learn from: the pipeline's outputs for the training crops the stages were
     * fitted on, followed by {@code readoutCrops - 1} more passes over the training files, pass p
     * (from 2) with fresh random crops seeded by {@link ImageBaselines#epochCropSeed}(seed, p), each
     * mirrored left-right with probability 1/2: the crops {@code cnn_augmented} trains on in its
     * epochs 2 to readoutCrops, mirrored as often (by coins of their own). Each pass is stored in the
     * checkpoint, so a resumed run computes only what is missing.
     */
    private static FeatureChunks.Stored readoutTraining(ImageStream train, Pipeline pipeline, RunCheckpoint checkpoint,
            Options options, Progress progress) {
        FeatureChunks.Stored all = features(train, pipeline, checkpoint.features("train"), progress);
        Preprocess mirrored = train.preprocess().withCrop(Preprocess.Crop.RANDOM_MIRRORED);
        for (int p = 2; p <= options.readoutCrops(); p++) {
            StreamOptions streaming = StreamOptions.of(options.threads(), ImageBaselines.epochCropSeed(options.seed(), p));
            ImageStream crops = ImageStream.ofChecked(train.files(), mirrored, streaming, progress);
            all = all.then(features(crops, pipeline, checkpoint.features("train-crops-" + p), progress));
        }
        return all;
    }

    /** The pipeline's outputs for every image of {@code stream}, stored in (and read back from) {@code dir}. */
    private static FeatureChunks.Stored features(ImageStream stream, Pipeline pipeline, Path dir, Progress progress) {
        try (Progress.Task task = progress.task("features " + stream.files().name(), FeatureChunks.chunks(stream.samples(), CHUNK))) {
            FeatureChunks.encode(stream, pipeline, dir, CHUNK, Pipeline.BATCH, (chunk, chunks, computed) -> task.step(1));
        }
        return FeatureChunks.read(dir, FeatureChunks.chunks(stream.samples(), CHUNK));
    }

    /** The readout's class (argmax of its scores) for every stored sample, in order. */
    static int[] predict(Readout readout, MapSource features) {
        int[] predicted = new int[(int) features.samples()];
        features.forEachBatch(Pipeline.BATCH, (batch, offset) -> {
            int[] p = Predictions.argmax(readout.encode(batch));
            System.arraycopy(p, 0, predicted, (int) offset, p.length);
        });
        return predicted;
    }

    /** At most {@code n} test images, a stratified subset chosen with {@code seed}, decoded into memory. */
    static ImageSet reportSubset(ImageStream test, int n, long seed) {
        int[] labels = test.labels();
        if (labels.length <= n) return test.load();
        int[] indices = StratifiedSplit.subset(labels, test.files().classes().size(), n, seed);
        return test.select(test.files().name() + " (report subset)", indices).load();
    }

    private static void printSummary(ImagenetMetrics m, Pipeline pipeline, Path out, PrintWriter console) {
        console.printf("data      %s (%s)%n", m.dataset(), m.layout());
        console.printf("images    %d train, %d test, %d classes, %d files skipped; %d x %d crops%n", m.trainSize(),
                m.testSize(), m.classes(), m.skipped().values().stream().mapToInt(Integer::intValue).sum(),
                m.image().crop(), m.image().crop());
        console.printf("stack     %d stages -> %s features%s%n", pipeline.stages().size(), pipeline.outputShape(),
                m.resumedStages() > 0 ? " (" + m.resumedStages() + " read from the checkpoint)" : "");
        m.accuracy().forEach((name, acc) -> console.printf("accuracy  %-8s %.2f%%%n", name, 100 * acc));
        if (m.baselines() != null) {
            console.println("baselines on the same test images:");
            org.glassbox.baselines.ComparisonTable.print(m.baselines(), m.mcnemar(), m.throughput(), "  ", console);
        }
        console.printf("seconds   fit %.1f, evaluate %.1f, total %.1f%n", m.seconds().fit(), m.seconds().evaluate(),
                m.seconds().total());
        console.printf("wrote     %s (model/, atlas-*.png, metrics.json, report/)%n", out);
        console.flush();
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }
}
