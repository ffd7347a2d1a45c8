package org.glassbox.imagenet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ClassFolderTree;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.Preprocess;
import org.glassbox.imagenet.SkipLog;
import org.glassbox.imagenet.StreamOptions;
import org.glassbox.imagenet.TestImages;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Spark fit in local mode equals the single-machine {@link Pipeline#fit} of the same stack on
 * the same images and seed, array by array, with one partition and with three.
 */
class SparkFitTest {
    private static final Preprocess PRE = new Preprocess(20, 16, 16, Preprocess.Crop.RANDOM);
    private static final long CROP_SEED = 3;
    private static final FitContext CONTEXT = FitContext.silent(11);
    /** 12 images x 7 x 7 patch positions = 588 positions: 12 mini-batches of 50, one of which re-seeds. */
    private static final List<Pipeline.Stage> STACK = List.of(
            new Pipeline.Stage("L1.patches", new PatchSpec(4, 2)),
            new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults().withSamples(400)),
            new Pipeline.Stage("L1.code", SparseCodingSpec.of("L1", 12, 0.05).withEpochs(1).withBatchSize(50)
                    .withMaxSamples(100_000)),
            new Pipeline.Stage("L1.embed", ManifoldSpec.defaults().withDims(3).withWindow(3).withSampleMaps(8)),
            new Pipeline.Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 3, 2)));

    /**
     * Float32 rounding, grown by the mini-batch rounds: a vector's FISTA code differs in its last
     * bits with the other rows it is solved with (ND4J's float32 products depend on the rows in the
     * product), so with 3 partitions the atoms differed by 2.6e-7 after the 12 rounds here and the
     * embedding's projection by 4.8e-7; the whitening arrays, from float64 sums, were identical. One
     * partition gives identical arrays. 1e-5 leaves a margin of 20 over what was measured.
     */
    private static final double TOLERANCE = 1e-5;

    private static JavaSparkContext spark;
    private static ImageFiles files;
    private static Pipeline single;

    @TempDir
    static Path root;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("glassbox-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
        for (int i = 0; i < 12; i++) {
            final int k = i;
            TestImages.write(root.resolve("c" + (i % 3) + "/img" + i + ".png"), "png", 20 + i, 22 + 2 * (i % 4),
                    (x, y) -> (x * (3 + k % 5) + y * (7 - k % 3) + k * 29) % 256 << 16
                            | ((x / 3 + y / 2 + k) % 2) * 200 << 8 | (x * y / 4 + k * 13) % 256);
        }
        files = ClassFolderTree.read(root, new SkipLog(s -> { }));
        single = Pipeline.fit(stream(), STACK, CONTEXT);
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static ImageStream stream() {
        return ImageStream.ofChecked(files, PRE, StreamOptions.of(2, CROP_SEED), Progress.silent());
    }

    /** The largest |a - b| over two arrays of the same shape. */
    private static double maxDifference(INDArray a, INDArray b) {
        assertArrayEquals(a.shape(), b.shape());
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                .amaxNumber().doubleValue();
    }

    /**
     * Every array of every stage of {@code actual} is within {@code TOLERANCE} of
     * {@code expected}'s, relative to the array's largest magnitude (at least 1).
     */
    private static void assertSameStack(Pipeline expected, Pipeline actual) {
        assertEquals(expected.stages().size(), actual.stages().size());
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (int s = 0; s < expected.stages().size(); s++) {
            Layer e = expected.stages().get(s);
            Layer a = actual.stages().get(s);
            assertEquals(e.id(), a.id());
            assertEquals(e.outputShape(), a.outputShape());
            Map<String, INDArray> ep = e.parameters();
            assertEquals(ep.keySet(), a.parameters().keySet(), e.id());
            for (Map.Entry<String, INDArray> p : ep.entrySet()) {
                double scale = Math.max(1, p.getValue().amaxNumber().doubleValue());
                double diff = maxDifference(p.getValue(), a.parameters().get(p.getKey())) / scale;
                report.append(' ').append(e.id()).append('.').append(p.getKey()).append('=').append(diff);
                worst = Math.max(worst, diff);
            }
        }
        assertTrue(worst <= TOLERANCE, "relative differences:" + report);
    }

    @Test
    void oneSparkPartitionFitsWhatOneMachineFits() {
        assertSameStack(single, new SparkFit(spark, 1, 1).fit(files, PRE, CROP_SEED, STACK, CONTEXT));
    }

    @Test
    void threeSparkPartitionsFitWhatOneMachineFits() {
        Pipeline cluster = new SparkFit(spark, 3, 1).fit(files, PRE, CROP_SEED, STACK, CONTEXT);
        assertSameStack(single, cluster);
        INDArray expected = single.transformAll(stream());
        double diff = maxDifference(expected, new SparkFit(spark, 3, 1).features(single, files, PRE, CROP_SEED));
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff <= TOLERANCE * scale, "features differ by " + diff);
    }

    @Test
    void theSubmitJobWritesTheFittedStagesAsAModelFolder() throws java.io.IOException {
        List<Pipeline.Stage> stages = STACK.subList(0, 2);
        Path stack = root.resolve("stack.json");
        Json.MAPPER.writeValue(stack.toFile(), new StackDescription(stages, List.of()).toJson());
        SparkFitJob job = new SparkFitJob();
        new CommandLine(job).parseArgs("--data", root.toString(), "--stack", stack.toString(), "--out",
                root.resolve("out").toString(), "--partitions", "2", "--threads", "1", "--seed", "11",
                "--shorter-side", "20", "--crop", "16", "--random-crop");
        Path model = job.run(spark, line -> { });

        Pipeline expected = Pipeline.fit(ImageStream.ofChecked(files, PRE, StreamOptions.of(2, 11), Progress.silent()),
                stages, FitContext.silent(11));
        assertSameStack(expected, ModelFile.read(model).pipeline());
    }

    @Test
    void theSubmitJobChecksTheStagesAgainstTheCropsBeforeAnySparkPass() throws java.io.IOException {
        Path stack = root.resolve("wide.json");
        Json.MAPPER.writeValue(stack.toFile(), new StackDescription(List.of(new Pipeline.Stage("L1.patches",
                new PatchSpec(17, 1))), List.of()).toJson());
        SparkFitJob job = new SparkFitJob();
        new CommandLine(job).parseArgs("--data", root.toString(), "--stack", stack.toString(), "--out",
                root.resolve("refused").toString(), "--shorter-side", "20", "--crop", "16");
        int jobs = spark.statusTracker().getJobIdsForGroup(null).length;
        GlassboxException e = assertThrows(GlassboxException.class, () -> job.run(spark, line -> { }));
        assertEquals("stage \"L1.patches\" (patches): invalid size = 17: expected at most 16, the shorter side of the "
                + "input grid [16, 16, 3]", e.getMessage());
        assertEquals(jobs, spark.statusTracker().getJobIdsForGroup(null).length, "no Spark job ran");
        assertTrue(!java.nio.file.Files.exists(root.resolve("refused")), "nothing written");
    }

    @Test
    void partitionsMustBePositive() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> new SparkFit(spark, 0, 1));
        assertEquals(new InvalidParameterException("partitions", 0, "at least 1").getMessage(), e.getMessage());
    }
}
