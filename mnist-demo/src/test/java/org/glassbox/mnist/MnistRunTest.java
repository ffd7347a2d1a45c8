package org.glassbox.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.framework.layer.Readout;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole demo on a small IDX folder of real digits (600 train / 200 test) with a small stack:
 * what it writes, that the model reloads to the same predictions, and that the same seed writes
 * identical model files.
 */
class MnistRunTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeSmallIdxFolder() throws IOException {
        TrainTest small = StratifiedSplit.split(
                StratifiedSplit.split(EmbeddedMnist.all(), 0.08, 5).test(), 0.25, 6);
        data = tmp.resolve("idx");
        Files.createDirectories(data);
        IdxFolder.write(small, data);
    }

    /** The default stack with fewer atoms, epochs and samples, so the test fits a 2-core CI machine. */
    static StackDescription smallStack() {
        StackDescription d = DefaultStack.defaults(10);
        List<Stage> stages = d.stages().stream().map(s -> s.spec() instanceof SparseCodingSpec sc
                ? new Stage(s.id(), sc.withAtoms(64).withMaxSamples(20_000))
                : s.spec() instanceof ManifoldSpec m ? new Stage(s.id(), m.withDims(8).withSampleMaps(100)) : s).toList();
        return new StackDescription(stages, d.branches(), d.readouts());
    }

    static MnistRun.Result run(Path out) {
        return MnistRun.run(new MnistRun.Options(out, data, 7, smallStack(), false, 0, false, null, 2000), Progress.silent(),
                new PrintWriter(new StringWriter()));
    }

    @Test
    void writesModelAtlasesAndMetricsAndReloadsToTheSamePredictions() throws IOException {
        Path out = tmp.resolve("run1");
        MnistRun.Result result = run(out);
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(600, metrics.get("train_size").asInt());
        assertEquals(200, metrics.get("test_size").asInt());
        assertEquals(7, metrics.get("seed").asLong());
        assertEquals(List.of("L1"), metrics.get("layers").findValuesAsText("id"));
        for (JsonNode layer : metrics.get("layers")) {
            assertEquals(64, layer.get("atoms").asInt());
            double active = layer.get("mean_active_atoms").asDouble();
            assertTrue(active > 0.3 && active <= 1, "mean active atoms of 1-sparse codes with empty patches " + active);
            double error = layer.get("relative_reconstruction_error").asDouble();
            assertTrue(error > 0 && error < 1, "relative reconstruction error " + error);
        }
        for (String readout : List.of("linear", "knn", "pixels_knn")) {
            double accuracy = metrics.get("accuracy").get(readout).asDouble();
            assertTrue(accuracy > 0.5 && accuracy <= 1, readout + " accuracy " + accuracy);
        }
        assertTrue(metrics.get("seconds").get("total").asDouble() > 0);
        JsonNode stageSeconds = metrics.get("seconds").get("stages");
        List<String> timed = new ArrayList<>();
        double sum = 0;
        for (JsonNode step : stageSeconds) {
            timed.add(step.get("id").asText());
            sum += step.get("seconds").asDouble();
        }
        assertEquals(List.of("L1.patches", "L1.whiten", "L1.code", "L1.embed", "L1.pool", "P.pool", "train features", "linear",
                "knn"), timed);
        double fit = metrics.get("seconds").get("fit").asDouble();
        assertTrue(sum <= fit + 0.05, "the stages' times (" + sum + " s, each rounded to 0.01 s) are part of the fit (" + fit + " s)");
        assertTrue(sum >= 0.9 * fit, "the stages' times (" + sum + " s) account for the fit (" + fit + " s) but for "
                + "what lies between the steps (collector pauses, copies)");
        assertEquals(StackDescription.fromJson(metrics.get("stack")).toJson(), smallStack().toJson());

        var l1 = ImageIO.read(out.resolve("atlas-L1.png").toFile());
        assertEquals(8 * (6 * StrokeAtlas.SCALE + 1) + 1, l1.getWidth(), "64 atoms of 6 x 6 in 8 columns");
        var embedding = ImageIO.read(out.resolve("atlas-L1.embed.png").toFile());
        assertEquals(16 * (6 * StrokeAtlas.SCALE + 1) + 1, embedding.getWidth(), "16 atoms a dimension");
        assertEquals(8 * (6 * StrokeAtlas.SCALE + 1) + 1, embedding.getHeight(), "one row for each of 8 dimensions");
        assertFalse(Files.exists(out.resolve("atlas-L2.png")), "no second layer");

        Model reloaded = ModelFile.read(out.resolve("model"));
        assertEquals(data.toAbsolutePath().normalize().toString(), reloaded.info().get(MnistRun.DATA_KEY));
        var test = result.split().test();
        var features = reloaded.pipeline().transform(test.images());
        for (var original : result.model().readouts()) {
            Readout back = (Readout) reloaded.readout(original.id());
            assertArrayEquals(((Readout) original).predict(result.model().pipeline().transform(test.images())),
                    back.predict(features), original.id());
        }
    }

    @Test
    void sameSeedWritesIdenticalModelFilesWithOrWithoutTheReport() throws IOException {
        run(tmp.resolve("a"));
        MnistRun.run(new MnistRun.Options(tmp.resolve("b"), data, 7, smallStack(), false, 0, false, null, 0),
                Progress.silent(), new PrintWriter(new StringWriter()));
        assertTrue(Files.isRegularFile(tmp.resolve("a/report/index.html")));
        assertFalse(Files.exists(tmp.resolve("b/report")), "--report-images 0 writes no report");
        try (Stream<Path> files = Files.list(tmp.resolve("a/model"))) {
            for (Path f : files.toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b/model").resolve(f.getFileName())),
                        f.getFileName().toString());
            }
        }
        // with the report the test pass runs through the remembered codes (MemoizedAtoms): the same measurements
        JsonNode a = Json.MAPPER.readTree(tmp.resolve("a/metrics.json").toFile());
        JsonNode b = Json.MAPPER.readTree(tmp.resolve("b/metrics.json").toFile());
        assertEquals(b.get("layers"), a.get("layers"));
        assertEquals(b.get("accuracy"), a.get("accuracy"));
    }

    @Test
    void aRunThatFailsAfterTheFitLeavesTheEarlierRunByteIdenticalAndNothingBesideIt() throws IOException {
        Path out = tmp.resolve("kept");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "the user's");
        assertThrows(GlassboxException.class, () -> run(out), "a folder of the user's needs --force");
        assertEquals("the user's", Files.readString(out.resolve("notes.txt")));
        MnistRun.run(new MnistRun.Options(out, data, 7, smallStack(), false, 0, true, null, 2000), Progress.silent(),
                new PrintWriter(new StringWriter()));
        assertFalse(Files.exists(out.resolve("notes.txt")), "--force replaced the folder whole");
        Map<String, byte[]> before = files(out);

        Progress failsInTheReport = (name, total) -> {
            if (name.equals("contributions")) throw new GlassboxException("stopped in the report");
            return Progress.silent().task(name, total);
        };
        GlassboxException e = assertThrows(GlassboxException.class, () -> MnistRun.run(
                new MnistRun.Options(out, data, 8, smallStack(), false, 0, false, null, 2000), failsInTheReport,
                new PrintWriter(new StringWriter())));
        assertEquals("stopped in the report", e.getMessage());
        Map<String, byte[]> after = files(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        try (Stream<Path> beside = Files.list(tmp)) {
            assertEquals(List.of(), beside.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".kept")).toList());
        }
    }

    /** Every file below {@code dir} with its bytes. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return files;
    }

    @Test
    void theStackIsCheckedAgainstTheDataBeforeAnythingIsFitted() {
        Path out = tmp.resolve("refused");
        StackDescription small = smallStack();
        StackDescription tooManyNeighbours = new StackDescription(small.stages(),
                List.of(new StackDescription.ReadoutStage("knn", KnnSpec.defaults(10).withK(601))));
        List<String> tasks = new ArrayList<>();
        Progress recording = (name, total) -> {
            tasks.add(name);
            return Progress.silent().task(name, total);
        };
        var e = assertThrows(GlassboxException.class, () -> MnistRun.run(new MnistRun.Options(out, data, 7,
                tooManyNeighbours, false, 0, false, null, 2000), recording, new PrintWriter(new StringWriter())));
        assertEquals(data.toAbsolutePath().normalize() + ": stage \"knn\" (knn-readout): invalid k = 601: expected at "
                + "most the 600 training samples", e.getMessage());
        assertEquals(List.of(), tasks, "nothing was fitted");
        assertFalse(Files.exists(out), "nothing written");
        // the kNN readout learns from the training digits alone, not from their 2,400 shifted copies
        var withCopies = assertThrows(GlassboxException.class, () -> MnistRun.run(new MnistRun.Options(out, data, 7,
                tooManyNeighbours, false, 1, false, null, 2000), recording, new PrintWriter(new StringWriter())));
        assertEquals(e.getMessage(), withCopies.getMessage());
        assertEquals(List.of(), tasks, "nothing was fitted");
        var shifts = assertThrows(InvalidParameterException.class, () -> MnistRun.run(new MnistRun.Options(out, data, 7,
                small, false, 28, false, null, 2000), recording, new PrintWriter(new StringWriter())));
        assertEquals("invalid --shifts = 28: expected at most 27: the images of " + data.toAbsolutePath().normalize()
                + " are 28 x 28 pixels, and a shift by a full side or more only adds blank copies", shifts.getMessage());
        assertEquals(List.of(), tasks, "nothing was fitted");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void baselinesWithoutALinearReadoutAreRefusedWithTheOptions() {
        StackDescription knnOnly = new StackDescription(smallStack().stages(),
                List.of(new StackDescription.ReadoutStage("knn", KnnSpec.defaults(10))));
        var e = assertThrows(GlassboxException.class,
                () -> new MnistRun.Options(tmp.resolve("never"), data, 7, knnOnly, true, 0, false, null, 2000));
        assertEquals("--baselines compares the readout named \"linear\"; the stack has none", e.getMessage());
    }

    @Test
    void theDocumentedDigitStacksPassTheChecksOfTheirRuns() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "docs", "stacks"))) {
            List<Path> digitStacks = files.filter(f -> f.getFileName().toString().matches("(mnist|fashion|layer1|l2).*"))
                    .toList();
            assertEquals(14, digitStacks.size(), digitStacks.toString());
            for (Path file : digitStacks) {
                StackDescription.read(file).check("digits", new MapShape(28, 28, 1), 60_000, 60_000, 10);
            }
        }
        // docs/mnist.md's best run: the embedded 8,000 training digits and their 4 one-pixel shifts, 12 GiB
        MapShape overlap = StackDescription.read(Path.of("..", "docs", "stacks", "mnist-l1-512-overlap.json"))
                .check(EmbeddedMnist.NAME, new MapShape(28, 28, 1), 8_000, 40_000, 10);
        assertEquals(new MapShape(5, 5, 512), overlap);
        MnistRun.requireShiftsFit(1, EmbeddedMnist.NAME, 8_000, overlap, 12L << 30);
    }

    @Test
    void theStackWithoutPixelsIsTheDefaultWithoutItsBranchAndWithTheEarlierPenalty() {
        StackDescription defaults = DefaultStack.defaults(10);
        StackDescription file = StackDescription.read(Path.of("..", "docs", "stacks", "smt-no-pixels.json"));
        assertEquals(defaults.stages(), file.stages());
        assertEquals(List.of(), file.branches());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(1.25e-5)),
                defaults.readouts().get(1)), file.readouts());
        MapShape image = new MapShape(28, 28, 1);
        assertEquals(new MapShape(10, 10, 32), file.check("digits", image, 8_000, 72_000, 10));
        assertEquals(new MapShape(10, 10, 33), defaults.check("digits", image, 8_000, 72_000, 10));
    }

    @Test
    void theFashionStackFileIsTheStackWithoutPixelsWithTheValidatedPenalty() {
        StackDescription defaults = StackDescription.read(Path.of("..", "docs", "stacks", "smt-no-pixels.json"));
        StackDescription file = StackDescription.read(Path.of("..", "docs", "stacks", "fashion-smt.json"));
        assertEquals(defaults.stages(), file.stages());
        assertEquals(List.of(), file.branches());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(4e-4)),
                defaults.readouts().get(1)), file.readouts());
    }

    @Test
    void theAverageAndMaxFashionStackIsTheFashionStackWithBothPoolingsAndItsLinearReadoutAlone() {
        StackDescription smt = StackDescription.read(Path.of("..", "docs", "stacks", "fashion-smt.json"));
        StackDescription file = StackDescription.read(Path.of("..", "docs", "stacks", "fashion-smt-avgmax.json"));
        assertEquals(smt.stages().subList(0, 4), file.stages().subList(0, 4));
        PoolingSpec pool = (PoolingSpec) smt.stages().get(4).spec();
        assertEquals(new Stage("L1.pool", pool.withReduction(PoolingSpec.Reduction.AVERAGE_AND_MAX)), file.stages().get(4));
        assertEquals(smt.readouts().subList(0, 1), file.readouts());
        assertEquals("linear", file.readouts().get(0).id());
        assertEquals(new MapShape(10, 10, 64), file.check("digits", new MapShape(28, 28, 1), 60_000, 60_000, 10));
    }

    @Test
    void theFiveByFiveFashionStackIsTheAverageAndMaxStackWithSmallerPatches() {
        StackDescription avgmax = StackDescription.read(Path.of("..", "docs", "stacks", "fashion-smt-avgmax.json"));
        StackDescription file = StackDescription.read(Path.of("..", "docs", "stacks", "fashion-smt-avgmax-5x5.json"));
        assertEquals(new Stage("L1.patches", new PatchSpec(5, 1)), file.stages().get(0));
        assertEquals(avgmax.stages().subList(1, 5), file.stages().subList(1, 5));
        assertEquals(avgmax.readouts(), file.readouts());
        assertEquals(new MapShape(11, 11, 64), file.check("digits", new MapShape(28, 28, 1), 60_000, 60_000, 10));
    }

    @Test
    void theTwoLayerStacksAreLayer1ThenLayer2OnItsEmbeddingWithLayer1PooledAsABranch() {
        Path stacks = Path.of("..", "docs", "stacks");
        List<Stage> layer2 = StackDescription.read(Path.of("..", "bench", "hierarchy", "l2-smt.json")).stages();
        // layer 2 of bench/hierarchy/l2-smt.json, pooled over 2 x 2 windows at stride 2: the 10 x 10 grid of layer 1's pooling
        Stage pool = new Stage("L2.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2));
        List<Stage> tenByTen = StackDescription.read(Path.of("..", "bench", "hierarchy", "l2-smt-10x10.json")).stages();
        assertEquals(layer2.subList(0, layer2.size() - 1), tenByTen.subList(0, tenByTen.size() - 1));
        assertEquals(pool, tenByTen.get(tenByTen.size() - 1));
        MapShape image = new MapShape(28, 28, 1);
        for (String name : List.of("fashion", "mnist")) {
            StackDescription oneLayer = StackDescription.read(stacks.resolve(name.equals("fashion") ? "fashion-smt.json"
                    : "smt-no-pixels.json"));
            StackDescription file = StackDescription.read(stacks.resolve(name + "-two-layer.json"));
            assertEquals(oneLayer.stages().subList(0, 4), file.stages().subList(0, 4), name);
            assertEquals(tenByTen, file.stages().subList(4, file.stages().size()), name);
            assertEquals(new Pipeline.Branch("L1.embed", List.of(oneLayer.stages().get(4))), file.branches().get(0), name);
        }
        StackDescription fashion = StackDescription.read(stacks.resolve("fashion-two-layer.json"));
        assertEquals(StackDescription.read(stacks.resolve("fashion-smt.json")).readouts().subList(0, 1), fashion.readouts());
        assertEquals(new MapShape(10, 10, 64), fashion.check("fashion", image, 60_000, 60_000, 10));
        // with the default's pooled pixels as a second branch
        StackDescription fashionPixels = StackDescription.read(stacks.resolve("fashion-two-layer-pixels.json"));
        assertEquals(fashion.stages(), fashionPixels.stages());
        assertEquals(fashion.readouts(), fashionPixels.readouts());
        assertEquals(List.of(fashion.branches().get(0), DefaultStack.defaults(10).branches().get(0)), fashionPixels.branches());
        assertEquals(new MapShape(10, 10, 65), fashionPixels.check("fashion", image, 60_000, 60_000, 10));
        // the digits' file keeps the default's pooled pixels and its linear readout, and probes
        // layer 2's 32 pooled embedding dimensions alone with the default's kNN
        StackDescription defaults = DefaultStack.defaults(10);
        StackDescription digits = StackDescription.read(stacks.resolve("mnist-two-layer.json"));
        assertEquals(defaults.branches().get(0), digits.branches().get(1));
        assertEquals(List.of(defaults.readouts().get(0), new StackDescription.ReadoutStage("knn",
                ((KnnSpec) defaults.readouts().get(1).spec()).withChannels(32))), digits.readouts());
        assertEquals(new MapShape(10, 10, 65), digits.check("digits", image, 8_000, 72_000, 10));
    }

    @Test
    void theHierarchyFilesAreTheDefaultFirstLayerAndSecondLayersThatFitOnItsEmbeddedMaps() {
        Path dir = Path.of("..", "bench", "hierarchy");
        StackDescription defaults = DefaultStack.defaults(10);
        StackDescription mnist = StackDescription.read(dir.resolve("mnist-trunk.json"));
        StackDescription fashion = StackDescription.read(dir.resolve("fashion-trunk.json"));
        assertEquals(defaults.stages().subList(0, 4), mnist.stages());
        assertEquals(defaults.stages().subList(0, 4), fashion.stages());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(1.25e-5))),
                mnist.readouts());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(4e-4))),
                fashion.readouts());
        for (String name : List.of("mnist", "fashion")) {
            StackDescription knn = StackDescription.read(dir.resolve(name + "-trunk-knn.json"));
            assertEquals(defaults.stages().subList(0, 4), knn.stages(), name);
            assertEquals(defaults.readouts().subList(1, 2), knn.readouts(), name + ": the default's kNN probe");
        }
        MapShape embedded = fashion.check("digits", new MapShape(28, 28, 1), 60_000, 60_000, 10);
        assertEquals(new MapShape(23, 23, 32), embedded);
        assertEquals(defaults.stages().subList(4, 5), StackDescription.read(dir.resolve("l1-pool.json")).stages());
        PoolingSpec pool = (PoolingSpec) defaults.stages().get(4).spec();
        assertEquals(List.of(new Stage("L1.maxpool", pool.withReduction(PoolingSpec.Reduction.MAX))),
                StackDescription.read(dir.resolve("l1-maxpool.json")).stages());
        assertEquals(new MapShape(9, 9, 32),
                Pipeline.check(embedded, 60_000, StackDescription.read(dir.resolve("l2-smt.json")).stages()));
        List<Stage> codes = StackDescription.read(dir.resolve("l2-codes.json")).stages();
        assertEquals(new MapShape(2, 2, 2048), Pipeline.check(embedded, 60_000, codes));
        List<Stage> learned = StackDescription.read(dir.resolve("l2-learned.json")).stages();
        SparseCodingSpec sampled = (SparseCodingSpec) codes.get(3).spec();
        assertEquals(new SparseCodingSpec(sampled.atomPrefix(), 1024, sampled.lambda(), sampled.nonNegative(),
                sampled.encoder(), sampled.k(), sampled.iterations(), sampled.tolerance(), 1, sampled.batchSize(), 100_000,
                SparseCodingSpec.AtomSource.LEARNED, sampled.maxCosine()), learned.get(3).spec());
        for (int i : new int[] {0, 1, 2, 4}) assertEquals(codes.get(i), learned.get(i));
        assertEquals(new MapShape(2, 2, 1024), Pipeline.check(embedded, 60_000, learned));
        // the second layers on layer 1's pooled map start with the default's pooling
        List<Stage> onPooled = StackDescription.read(dir.resolve("l2-on-pooled.json")).stages();
        List<Stage> templates = StackDescription.read(dir.resolve("l2-templates.json")).stages();
        for (List<Stage> l2 : List.of(onPooled, templates)) assertEquals(new Stage("L2.pre", pool), l2.get(0));
        assertEquals(new MapShape(7, 7, 64), Pipeline.check(embedded, 60_000, onPooled));
        assertEquals(new MapShape(1, 1, 4096), Pipeline.check(embedded, 60_000, templates));
        // layer 1's codes pooled without the embedding, with each trunk's readout
        for (Map.Entry<String, StackDescription> file : Map.of("mnist-l1-codes.json", mnist, "fashion-l1-codes.json", fashion)
                .entrySet()) {
            String name = file.getKey();
            StackDescription trunk = file.getValue();
            StackDescription codesOnly = StackDescription.read(dir.resolve(name));
            assertEquals(defaults.stages().subList(0, 3), codesOnly.stages().subList(0, 3), name);
            assertEquals(List.of(new Stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                    codesOnly.stages().subList(3, codesOnly.stages().size()), name);
            assertEquals(trunk.readouts(), codesOnly.readouts(), name);
            assertEquals(new MapShape(2, 2, 4096), codesOnly.check(name, new MapShape(28, 28, 1), 60_000, 60_000, 10));
        }
    }

    @Test
    void thePixelHierarchyFilesAreAnIdentityTrunkTheDefaultLayerAndPooledPixels() {
        Path dir = Path.of("..", "bench", "hierarchy");
        StackDescription trunk = StackDescription.read(dir.resolve("pixel-trunk.json"));
        assertEquals(List.of(new Stage("P.identity", new PatchSpec(1, 1))), trunk.stages());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(2.5e-4))),
                trunk.readouts());
        MapShape image = new MapShape(28, 28, 1);
        assertEquals(image, trunk.check("digits", image, 60_000, 60_000, 10));
        StackDescription defaultPenalty = StackDescription.read(dir.resolve("pixel-trunk-default-l2.json"));
        assertEquals(trunk.stages(), defaultPenalty.stages());
        assertEquals(List.of(new StackDescription.ReadoutStage("linear", LinearSpec.defaults(10).withL2(1.25e-5))),
                defaultPenalty.readouts());
        List<Stage> layer = StackDescription.read(dir.resolve("l1-smt.json")).stages();
        assertEquals(DefaultStack.defaults(10).stages(), layer);
        List<Stage> pixels = StackDescription.read(dir.resolve("pixel-pool.json")).stages();
        assertEquals(List.of(new Stage("P.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 4, 2).withNormalize(false))),
                pixels);
        assertEquals(new MapShape(13, 13, 1), Pipeline.check(image, 60_000, pixels));
    }

    @Test
    void withoutShiftsGivenTheRunTakesTheDefaultAndRecordsIt() {
        MnistRun.Result r = MnistRun.run(new MnistRun.Options(tmp.resolve("default-shifts"), data, 7, smallStack(), false,
                null, false, null, 0), Progress.silent(), new PrintWriter(new StringWriter()));
        assertEquals(2, r.metrics().shifts());
        // the kNN readout keeps the training images' features alone, not their copies'
        assertEquals(r.split().train().size(), r.model().readout("knn").parameters().get("features").size(0));
    }

    @Test
    void theDefaultShiftsAreTheMostUpToTwoWhoseFeaturesFitInOneGib() {
        MapShape smt = new MapShape(10, 10, 32);
        // 9 copies x 4 bytes x 8,000 x 3,200 = 0.92e9 bytes <= 2^30
        assertEquals(2, MnistRun.defaultShifts(8_000, smt));
        // 5 copies x 4 bytes x 8,000 x 5,000 = 0.80e9 bytes fit, 9 copies (1.44e9) do not
        assertEquals(1, MnistRun.defaultShifts(8_000, new MapShape(10, 10, 50)));
        assertEquals(0, MnistRun.defaultShifts(60_000, smt));
        assertEquals(2, MnistRun.defaultShifts(9_320, smt));
        assertEquals(1, MnistRun.defaultShifts(9_321, smt));
    }

    @Test
    void withoutShiftedCopiesTrainingFeaturesThatDoNotFitInNd4jsLimitGoThroughChunkFiles() {
        ImageSet train = EmbeddedMnist.split().train();
        MnistRun.Options options = new MnistRun.Options(tmp.resolve("unused"), null, 1, DefaultStack.defaults(10), false, 0,
                false, null, 0);
        // 4 bytes x 8,000 digits x 3,300 feature values = 100.7 MiB, twice with the default stack's kNN readout
        assertFalse(MnistRun.requireFits(options, train, "digits", 202L << 20));
        assertTrue(MnistRun.requireFits(options, train, "digits", 201L << 20));
        assertFalse(MnistRun.requireFits(options, train, "digits", 0), "maxbytes 0: no limit");
        assertEquals("digits: the kNN readout of the default stack keeps its training features as its model (8000 images "
                + "x 3300 values), which need 100.7 MiB, more than the 50.0 MiB ND4J may allocate "
                + "(org.bytedeco.javacpp.maxbytes); raise the limit (JAVA_OPTS) or use a stack without a kNN readout",
                assertThrows(GlassboxException.class, () -> MnistRun.requireFits(options, train, "digits", 50L << 20))
                        .getMessage());
        assertFalse(Files.exists(tmp.resolve("unused")), "checked before anything is written");
        assertFalse(MnistRun.requireFits(options.withShifts(1), train, "digits", 1L << 30), "copies stay in memory");
        // 4 bytes x 60,000 images x 7,744 values = 1.73 GiB for a stack with the linear readout alone
        MapShape wide = new MapShape(11, 11, 64);
        assertFalse(MnistRun.featuresStream("wide.json", false, "fashion", 60_000, wide, 2L << 30));
        assertTrue(MnistRun.featuresStream("wide.json", false, "fashion", 60_000, wide, 1L << 30));
    }

    @Test
    void trainingFeaturesInChunkFilesGiveTheModelOfFeaturesInMemoryAndAreDeleted() {
        PrintWriter quiet = new PrintWriter(new StringWriter());
        MnistRun.Result memory = MnistRun.run(new MnistRun.Options(tmp.resolve("features-in-memory"), data, 7, smallStack(),
                false, 0, false, null, 0), Progress.silent(), quiet, 0);
        // 600 training digits x 900 feature values (10 x 10 x 8 embedded, 10 x 10 pooled pixels) x 4 bytes = 2.1 MiB,
        // twice with the kNN readout's copy
        Path out = tmp.resolve("features-in-files");
        List<Long> chunkBytes = new ArrayList<>();
        Progress watching = (name, total) -> {
            if (name.equals("linear L-BFGS")) chunkBytes.addAll(chunkFileSizes(tmp));
            return Progress.silent().task(name, total);
        };
        MnistRun.Result files = MnistRun.run(new MnistRun.Options(out, data, 7, smallStack(), false, 0, false, null, 0),
                watching, quiet, 3L << 20);
        assertEquals(List.of(4L * 600 * 900), chunkBytes, "while the linear readout is fitted, its features are one chunk file");
        for (String readout : List.of("linear", "knn")) {
            Map<String, INDArray> expected = memory.model().readout(readout).parameters();
            Map<String, INDArray> actual = files.model().readout(readout).parameters();
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name).dup().data().asFloat(), actual.get(name).dup().data().asFloat(), 0f,
                        readout + "." + name);
            }
        }
        assertEquals(memory.metrics().accuracy(), files.metrics().accuracy());
        assertFalse(Files.exists(out.resolve(MnistRun.FEATURE_FILES)), "the chunk files are deleted after the fit");
        assertEquals(List.of(), chunkFileSizes(tmp));
    }

    /** The sizes of the chunk files in every folder named {@link MnistRun#FEATURE_FILES} under {@code dir}. */
    private static List<Long> chunkFileSizes(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(MnistRun.FEATURE_FILES))
                    .map(p -> p.toFile().length()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shiftsAreBoundedByTheImageSideAndByTheMemoryOfTheCopies() {
        MapShape digit = new MapShape(28, 28, 1);
        MapShape features = new MapShape(4, 4, 256);
        long twelveGib = 12L << 30;
        // 4 bytes x 60,000 images x 4,096 feature values = 983,040,000 bytes a copy, held once per copy and once
        // more for the kNN readout: 9 copies (shifts 2) need 10 x that, 9.2 GiB; 13 copies (shifts 3) 12.8 GiB
        MnistRun.requireShiftsFit(2, "mnist", 60_000, features, twelveGib);
        assertEquals("invalid --shifts = 3: expected at most 2: the features of the 13 copies of the 60000 training "
                + "images of mnist need 12.8 GiB, more than the 12.0 GiB ND4J may allocate (org.bytedeco.javacpp.maxbytes)",
                assertThrows(InvalidParameterException.class,
                        () -> MnistRun.requireShiftsFit(3, "mnist", 60_000, features, twelveGib)).getMessage());
        MnistRun.requireShiftsWithin(27, "digits", new MapShape(28, 40, 1));
        assertEquals("invalid --shifts = 28: expected at most 27: the images of digits are 28 x 40 pixels, and a shift "
                + "by a full side or more only adds blank copies", assertThrows(InvalidParameterException.class,
                () -> MnistRun.requireShiftsWithin(28, "digits", new MapShape(28, 40, 1))).getMessage());
    }

    @Test
    void theReportSubsetKeepsEachClassShareAndIsSeeded() {
        ImageSet test = EmbeddedMnist.split().test();
        ImageSet subset = MnistRun.reportSubset(test, 500, 3);
        assertEquals(500, subset.size());
        int[] all = new int[10];
        int[] kept = new int[10];
        for (int l : test.labels()) all[l]++;
        for (int l : subset.labels()) kept[l]++;
        for (int c = 0; c < 10; c++) assertEquals(all[c] / 4.0, kept[c], 1.0, "class " + c);
        assertEquals(subset.images(), MnistRun.reportSubset(test, 500, 3).images());
        assertEquals(test, MnistRun.reportSubset(test, 2000, 3), "the whole set when it is no larger");
        assertEquals(new MnistRun.Options(tmp, data, 7, smallStack(), false, 0, false, null, 0).reportImages(), 0);
        assertEquals("invalid --report-images = -1: expected at least 0", assertThrows(GlassboxException.class,
                () -> new MnistRun.Options(tmp, data, 7, smallStack(), false, 0, false, null, -1)).getMessage());
    }

    @Test
    void shiftedCopiesFollowTheOriginalsWithTheirLabels() {
        ImageSet few = EmbeddedMnist.split().train().select("few", new int[] {0, 1, 2});
        ImageSet all = few.withShiftedCopies(2);
        assertEquals(3 * 9, all.size(), "the originals and 4 directions x 2 distances");
        for (int c = 0; c < 9; c++) {
            for (int i = 0; i < 3; i++) assertEquals(few.labels()[i], all.labels()[c * 3 + i]);
        }
        assertEquals(few.images(), all.select("originals", new int[] {0, 1, 2}).images());
        assertEquals(few.shifted(0, -2).images(), all.select("last", new int[] {24, 25, 26}).images());
        assertEquals(few, few.withShiftedCopies(0));
    }
}
