package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./glassbox imagenet} end to end on a small generated class tree, and a killed run resumed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagenetRunTest {
    static final int CLASSES = 4;

    @TempDir
    static Path root;

    Path data;
    Path whole;
    ImagenetRun.Result result;
    String summary;
    List<String> skipLines = new ArrayList<>();

    /** The options of every run here: 22-pixel shorter side, 20 x 20 crops, the small stack, an 8-image report. */
    static ImagenetRun.Options options(Path data, Path out, boolean resume) {
        return new ImagenetRun.Options(data, out, null, 0.2, 3, 2, 22, 20, SmallStack.of(CLASSES), resume, 8, null, false, null);
    }

    @BeforeAll
    void fitOnce() throws IOException {
        data = root.resolve("data");
        TestImages.stripes(data, CLASSES, 10, 5);
        TestImages.truncatedJpeg(data.resolve("class0/broken.jpg"));
        TestImages.text(data.resolve("class1/notes.txt"), "not an image");
        Files.createDirectories(data.resolve("class9"));
        whole = root.resolve("whole");
        StringWriter console = new StringWriter();
        result = ImagenetRun.run(options(data, whole, false), Progress.silent(), new SkipLog(skipLines::add),
                new PrintWriter(console, true));
        summary = console.toString();
    }

    @Test
    void writesModelAtlasesMetricsAndReport() throws IOException {
        JsonNode metrics = Json.MAPPER.readTree(whole.resolve("metrics.json").toFile());
        assertEquals(CLASSES, metrics.get("classes").asInt(), "the empty class folder is not a class");
        assertEquals(32, metrics.get("train_size").asInt());
        assertEquals(8, metrics.get("test_size").asInt());
        for (String readout : List.of("linear", "knn")) {
            double acc = metrics.get("accuracy").get(readout).asDouble();
            assertTrue(acc >= 0.75, readout + " accuracy " + acc + " on stripes of 4 orientations and colours");
        }
        assertEquals(0, metrics.get("resumed_stages").asInt());
        JsonNode skipped = metrics.get("skipped");
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipLines.stream().anyMatch(l -> l.contains("broken.jpg") && l.contains("corrupt")), skipLines.toString());
        assertTrue(skipLines.stream().anyMatch(l -> l.contains("notes.txt")), skipLines.toString());
        assertTrue(skipLines.stream().anyMatch(l -> l.contains("class9") && l.contains("empty class folder")), skipLines.toString());

        BufferedImage l1 = ImageIO.read(whole.resolve("atlas-L1.png").toFile());
        assertEquals(4 * (5 * 8 + 1) + 1, l1.getWidth(), "16 RGB atoms of 5 x 5 in 4 columns, drawn x8");
        BufferedImage l2 = ImageIO.read(whole.resolve("atlas-L2.png").toFile());
        assertEquals(l2.getWidth(), l2.getHeight(), "16 composed L2 atoms in a 4 x 4 grid");
        assertTrue(Files.isRegularFile(whole.resolve("report/index.html")));
        assertTrue(summary.contains("accuracy  linear"), summary);

        Model read = ModelFile.read(whole.resolve("model"));
        assertEquals(result.model().pipeline().stages().size(), read.pipeline().stages().size());
        assertEquals(List.of("linear", "knn"), read.readouts().stream().map(r -> r.id()).toList());
    }

    @Test
    void aRunKilledAfterItsThirdStageResumesToIdenticalModelFiles() throws Exception {
        Path resumed = root.resolve("resumed");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                RunChild.class.getName(), data.toString(), resumed.toString()).redirectErrorStream(true)
                .redirectOutput(root.resolve("child.log").toFile()).start();
        // a stage folder is removed once the next one is stored, so wait for any of the third or later
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (storedStages(resumed) < 3 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
            child.destroyForcibly();
            assertTrue(storedStages(resumed) >= 3, () -> "the child stored no third stage (alive: " + child.isAlive()
                    + "): " + readQuietly(root.resolve("child.log")));
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(!Files.exists(resumed), "the child was killed before it finished: nothing at --out yet");

        GlassboxException again = assertThrows(GlassboxException.class, () -> ImagenetRun.run(options(data, resumed, false),
                Progress.silent(), new SkipLog(s -> { }), new PrintWriter(new StringWriter())));
        assertTrue(again.getMessage().contains("pass --resume to continue it"), again.getMessage());

        ImagenetRun.Result second = ImagenetRun.run(options(data, resumed, true), Progress.silent(), new SkipLog(s -> { }),
                new PrintWriter(new StringWriter()));
        assertTrue(second.metrics().resumedStages() >= 3, "resumed " + second.metrics().resumedStages() + " stages");
        assertEquals(result.metrics().accuracy(), second.metrics().accuracy());
        List<Path> files;
        try (Stream<Path> s = Files.list(whole.resolve("model"))) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() > 5);
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(resumed.resolve("model").resolve(f.getFileName())),
                    "model/" + f.getFileName());
        }
    }

    @Test
    void stagesFittedElsewhereAreUsedInsteadOfFitted() {
        Path out = root.resolve("given");
        ImagenetRun.Options o = options(data, out, false);
        ImagenetRun.Options given = new ImagenetRun.Options(o.data(), o.out(), o.valLabels(), o.testFraction(), o.seed(),
                o.threads(), o.shorterSide(), o.crop(), o.stack(), false, 0, whole.resolve("model"), false, null);
        ImagenetRun.Result r = ImagenetRun.run(given, Progress.silent(), new SkipLog(s -> { }),
                new PrintWriter(new StringWriter()));
        assertEquals(7, r.metrics().resumedStages());
        assertEquals(result.metrics().accuracy(), r.metrics().accuracy());

        ImagenetRun.Options wrong = new ImagenetRun.Options(o.data(), root.resolve("wrong"), o.valLabels(), o.testFraction(),
                o.seed(), o.threads(), o.shorterSide(), o.crop(), new StackDescription(o.stack().stages().subList(0, 6),
                o.stack().readouts()), false, 0, whole.resolve("model"), false, null);
        GlassboxException e = assertThrows(GlassboxException.class, () -> ImagenetRun.run(wrong, Progress.silent(),
                new SkipLog(s -> { }), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().startsWith(whole.resolve("model") + ": the model's stages are [L1.patches, L1.whiten, "
                + "L1.code, L1.pool, L2.patches, L2.code, L2.pool] (expected the stack's stages [L1.patches"), e.getMessage());
        assertTrue(!Files.exists(root.resolve("wrong")), "nothing written for a model that does not fit the stack");
    }

    @Test
    void theReadoutsLearnFromTheStacksCropsThenFreshMirroredCrops() throws IOException {
        ImagenetRun.Options o = options(data, root.resolve("two-crops"), false);
        ImagenetRun.Options twoCrops = new ImagenetRun.Options(o.data(), o.out(), o.valLabels(), o.testFraction(), o.seed(),
                o.threads(), o.shorterSide(), o.crop(), o.stack(), false, 0, whole.resolve("model"), false, null, 2);
        ImagenetRun.Result r = ImagenetRun.run(twoCrops, Progress.silent(), new SkipLog(s -> { }),
                new PrintWriter(new StringWriter()));

        DataLayout.Found found = DataLayout.read(data, null, 0.2, o.seed(), new SkipLog(s -> { }));
        Preprocess random = new Preprocess(o.shorterSide(), o.crop(), o.crop(), Preprocess.Crop.RANDOM);
        ImageStream first = ImageStream.open(found.train(), random, StreamOptions.of(1, o.seed()), new SkipLog(s -> { }),
                Progress.silent());
        ImageStream second = ImageStream.ofChecked(first.files(), random.withCrop(Preprocess.Crop.RANDOM_MIRRORED),
                StreamOptions.of(1, ImageBaselines.epochCropSeed(o.seed(), 2)), Progress.silent());
        Pipeline pipeline = r.model().pipeline();
        INDArray features = Nd4j.concat(0, encoded(pipeline, first), encoded(pipeline, second));
        int[] labels = IntStream.concat(IntStream.of(first.labels()), IntStream.of(second.labels())).toArray();
        StackDescription.ReadoutStage linear = o.stack().readouts().get(0);
        Readout expected = linear.spec().fit("linear", MapSource.of(features), labels, new FitContext(o.seed(), Progress.silent()));

        assertEquals(64, labels.length, "32 training images, twice");
        assertEquals(2, Json.MAPPER.readTree(o.out().resolve("metrics.json").toFile()).path("image").path("readout_crops")
                .asInt(), "metrics.json records the crops per training image");
        assertEquals(expected.encode(features), r.model().readout("linear").encode(features));
        assertTrue(!expected.encode(features).equals(result.model().readout("linear").encode(features)),
                "the one-crop run's readout differs");
    }

    private static INDArray encoded(Pipeline pipeline, ImageStream images) {
        List<INDArray> batches = new ArrayList<>();
        pipeline.over(images).forEachBatch(Pipeline.BATCH, (batch, offset) -> batches.add(batch.dup()));
        return Nd4j.concat(0, batches.toArray(INDArray[]::new));
    }

    @Test
    void aStackWithAManifoldStageGetsItsEmbeddingAtlasAndNoPixelAtlasAboveIt() throws IOException {
        StackDescription smt = StackDescription.builder()
                .stage("L1.patches", new PatchSpec(5, 1))
                .stage("L1.whiten", WhiteningSpec.defaults().withSamples(4000).withNormalize(true))
                .stage("L1.code", SparseCodingSpec.of("L1", 16, 0.9).withNonNegative(true).withEncoder(Encoder.ONE_SPARSE)
                        .withSampledAtoms(0.9))
                .stage("L1.embed", ManifoldSpec.defaults().withDims(4).withWindow(3))
                .stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2))
                .stage("L2.patches", new PatchSpec(2, 1))
                .stage("L2.code", SparseCodingSpec.of("L2", 8, 0.9).withNonNegative(true).withEncoder(Encoder.ONE_SPARSE)
                        .withSampledAtoms(0.9))
                .stage("L2.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 1, 1))
                .readout("linear", LinearSpec.defaults(CLASSES))
                .build();
        ImagenetRun.Options o = options(data, root.resolve("smt"), false);
        ImagenetRun.run(new ImagenetRun.Options(o.data(), o.out(), null, 0.2, 3, 2, 22, 20, smt, false, 0, null, false, null),
                Progress.silent(), new SkipLog(s -> { }), new PrintWriter(new StringWriter()));

        BufferedImage atlas = ImageIO.read(o.out().resolve("atlas-L1.embed.png").toFile());
        assertEquals(16 * (5 * 8 + 1) + 1, atlas.getWidth(), "16 atoms of 5 x 5 per dimension, drawn x8");
        assertEquals(4 * (5 * 8 + 1) + 1, atlas.getHeight(), "one row per embedding dimension");
        assertTrue(Files.isRegularFile(o.out().resolve("atlas-L1.png")));
        assertTrue(Files.isRegularFile(o.out().resolve("atlas-L2.png")),
                "L2's atoms composed from L1's pictures through the embedding's projection");
    }

    @Test
    void invalidOptionsNameTheParameter() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> new ImagenetRun.Options(data, root, null, 0.2, 1, 2, 16, 20, null, false, 0, null, false, null));
        assertEquals("invalid --resize = 16: expected at least the crop, 20", e.getMessage());
        e = assertThrows(InvalidParameterException.class,
                () -> new ImagenetRun.Options(data, root, null, 1.0, 1, 2, 22, 20, null, false, 0, null, false, null));
        assertEquals("invalid --test-fraction = 1.0: expected in (0, 1)", e.getMessage());
        e = assertThrows(InvalidParameterException.class,
                () -> new ImagenetRun.Options(data, root, null, 0.2, 1, 2, 2000, 1673, null, false, 0, null, false, null));
        assertEquals("invalid --crop = 1673: expected between 1 and 1672 (a batch of 256 crops of crop x crop x 3 "
                + "values is one Java array)", e.getMessage());
        new ImagenetRun.Options(data, root, null, 0.2, 1, 2, 2000, 1672, null, false, 0, null, false, null);
        e = assertThrows(InvalidParameterException.class,
                () -> new ImagenetRun.Options(data, root, null, 0.2, 1, 2, 22, 20, null, false, 0, null, false, null, 0));
        assertEquals("invalid --readout-crops = 0: expected between 1 and 64", e.getMessage());
    }

    @Test
    void theStackAndTheClassesAreCheckedBeforeAnythingIsWritten() {
        Path out = root.resolve("refused");
        StackDescription small = SmallStack.of(CLASSES);
        List<Stage> stages = new ArrayList<>(small.stages());
        stages.set(0, new Stage("L1.patches", new PatchSpec(21, 1)));
        ImagenetRun.Options wideWindow = new ImagenetRun.Options(data, out, null, 0.2, 3, 2, 22, 20,
                new StackDescription(stages, small.readouts()), false, 8, null, false, null);
        GlassboxException e = assertThrows(GlassboxException.class, () -> ImagenetRun.run(wideWindow, Progress.silent(),
                new SkipLog(s -> { }), new PrintWriter(new StringWriter())));
        assertEquals(data + ": stage \"L1.patches\" (patches): invalid size = 21: expected at most 20, the shorter side "
                + "of the input grid [20, 20, 3]", e.getMessage());
        assertTrue(!Files.exists(out), "nothing written");

        Path one = root.resolve("one-class");
        TestImages.classTree(one, 5);
        e = assertThrows(GlassboxException.class, () -> ImagenetRun.run(new ImagenetRun.Options(one, out, null, 0.2, 3, 2,
                22, 20, null, false, 8, null, false, null), Progress.silent(), new SkipLog(s -> { }), new PrintWriter(new StringWriter())));
        assertEquals(one + ": the training images form 1 class, class0 (expected at least 2 classes)", e.getMessage());
        assertTrue(!Files.exists(out), "nothing written");
    }

    @Test
    void theReportsImagesMustFitInOneArray() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) files.add(root.resolve("img" + i + ".png"));
        ImageFiles listed = new ImageFiles("listed", List.of("a", "b"), files, new int[300]);
        DataLayout.Found found = new DataLayout.Found(listed, listed, "class tree");
        ImagenetRun.Options options = new ImagenetRun.Options(data, root, null, 0.2, 3, 2, 1672, 1672,
                SmallStack.of(2), false, 500, null, false, null);
        MapShape crops = new MapShape(1672, 1672, 3);
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ImagenetRun.checkedStack(options, found, crops));
        assertEquals("invalid --report-images = 500: expected at most 256 for crops of 1672 x 1672 (the report's images "
                + "are one array)", e.getMessage());
        assertEquals(SmallStack.of(2), ImagenetRun.checkedStack(new ImagenetRun.Options(data, root, null, 0.2, 3, 2, 1672,
                1672, SmallStack.of(2), false, 256, null, false, null), found, crops));
    }

    /** The most stages the checkpoint in the partial folder of {@code out} holds, 0 if none. */
    private static int storedStages(Path out) {
        Path partial = out.resolveSibling("." + out.getFileName() + ".partial");
        for (int n = 10; n > 0; n--) {
            if (Files.exists(partial.resolve(String.format("checkpoint/stages-%02d/manifest.json", n)))) return n;
        }
        return 0;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
