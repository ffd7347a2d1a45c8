package org.glassbox.imagenet.spark;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.Preprocess;
import org.glassbox.imagenet.StreamOptions;
import org.glassbox.layers.manifold.CoOccurrence;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.PositionMoments;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits a pipeline with {@link Pipeline#fit}, greedily stage by stage, with every pass over the
 * training images run as a Spark job: the checked image list is cut into {@code partitions} index
 * ranges ({@link ImageSlices}), the frozen prefix is broadcast as a model folder
 * ({@link PrefixModel}), and each task decodes its range, runs it through the prefix and returns the
 * stage's sufficient statistics, which {@code treeReduce} sums in float64:
 *
 * <ul>
 * <li>whitening: the moments (m, sum x, sum x x^T, {@link PositionMoments}) of the partition's share
 * of the sampled positions, then ZCA of the summed moments ({@link WhiteningSpec#fromMoments});</li>
 * <li>sparse coding: the partition's share of the sampled positions stays cached on its executor;
 * each mini-batch round of dictionary learning (Mairal et al. 2010) is one job that returns the
 * statistics A_p = sum a a^T, B_p = sum a x^T of the batch vectors the partition holds
 * ({@link SparkSample}), and the update runs on the driver ({@link SparseCodingSpec#fromSample});</li>
 * <li>manifold embedding: V_p and S_p of the partition's share of the sampled maps
 * ({@link CoOccurrence}), then the generalised eigenproblem ({@link ManifoldSpec#fromStatistics}).</li>
 * </ul>
 *
 * Samples are chosen globally on the driver with {@code context.random(stageId)}, exactly as the
 * single-machine fitters choose them ({@link PositionSampler#choose}, {@link ManifoldSpec#chosenMaps}),
 * and each partition takes the ones in its range, so both fits use the same samples. Stages of other
 * kinds must not read the data (patches and pooling only read the input shape); they are fitted on
 * the driver.
 */
public final class SparkFit {
    private final JavaSparkContext spark;
    private final int partitions;
    private final int threadsPerTask;

    /**
     * @param partitions how many index ranges (tasks) each pass has, at least 1
     * @param threadsPerTask decoding threads inside each task, at least 1
     */
    public SparkFit(JavaSparkContext spark, int partitions, int threadsPerTask) {
        if (partitions < 1) throw new InvalidParameterException("partitions", partitions, "at least 1");
        if (threadsPerTask < 1) throw new InvalidParameterException("threadsPerTask", threadsPerTask, "at least 1");
        this.spark = spark;
        this.partitions = partitions;
        this.threadsPerTask = threadsPerTask;
    }

    /**
     * Fits {@code stages} on the checked images {@code files}, decoded with {@code preprocess} and
     * crop seed {@code cropSeed}: the pipeline {@link Pipeline#fit} gives on
     * {@code ImageStream.ofChecked(files, preprocess, options with seed cropSeed, ...)} with the
     * same {@code context}, up to float rounding. It is that fit, with a hook that fits each stage
     * by passes on the cluster ({@link Pipeline.FitHook#fit}); the driver reads no image.
     */
    public Pipeline fit(ImageFiles files, Preprocess preprocess, long cropSeed, List<Pipeline.Stage> stages,
            FitContext context) {
        ImageSlices data = new ImageSlices(files, preprocess, cropSeed, partitions, threadsPerTask);
        if (data.images() == 0) {
            throw new GlassboxException(files.name() + ": cannot fit on empty data: the image list has no files");
        }
        MapSource images = ImageStream.ofChecked(files, preprocess, StreamOptions.of(threadsPerTask, cropSeed),
                context.progress());
        return Pipeline.fit(images, stages, context, new Pipeline.FitHook() {
            @Override
            public Layer fit(Pipeline.Stage stage, Pipeline prefix, MapSource train, FitContext c) {
                PrefixModel model = PrefixModel.of(prefix, c.seed());
                Broadcast<PrefixModel> shared = spark.broadcast(model);
                try {
                    return fitStage(stage, prefix.outputShape(), data, shared, c);
                } finally {
                    shared.destroy();
                    model.release();
                }
            }
        });
    }

    private Layer fitStage(Pipeline.Stage stage, MapShape in, ImageSlices data, Broadcast<PrefixModel> prefix,
            FitContext context) {
        String id = stage.id();
        if (stage.spec() instanceof WhiteningSpec spec) return whitening(id, spec, in, data, prefix, context);
        if (stage.spec() instanceof SparseCodingSpec spec) return sparseCoding(id, spec, in, data, prefix, context);
        if (stage.spec() instanceof ManifoldSpec spec) return manifold(id, spec, in, data, prefix, context);
        return stage.spec().fit(id, new ShapeOnly(in, data.images(), id, stage.spec().kind()), context);
    }

    private JavaRDD<Integer> ranges() {
        return SparkPasses.ranges(spark, partitions);
    }

    /** Whitening: per-partition moments of its share of the sampled positions, summed; ZCA on the driver. */
    private Layer whitening(String id, WhiteningSpec spec, MapShape in, ImageSlices data,
            Broadcast<PrefixModel> prefix, FitContext context) {
        long perMap = in.positions();
        long total = data.images() * perMap;
        Broadcast<long[]> chosen = spark.broadcast(PositionSampler.choose(total, Math.min(spec.samples(), total),
                context.random(id)));
        int channels = in.channels();
        boolean removeMean = spec.removePatchMean();
        PositionMoments moments = ranges().map(p -> {
            PositionMoments part = new PositionMoments(channels, removeMean);
            INDArray rows = share(id, chosen.value(), perMap, data, p, prefix.value());
            return rows == null ? part : part.add(rows);
        }).treeReduce(PositionMoments::plus);
        chosen.destroy();
        return spec.fromMoments(id, in, moments);
    }

    /**
     * Sparse coding: each partition gathers and caches its share of the sampled positions; the
     * dictionary rounds run against the cached shares ({@link SparkSample}).
     */
    private Layer sparseCoding(String id, SparseCodingSpec spec, MapShape in, ImageSlices data,
            Broadcast<PrefixModel> prefix, FitContext context) {
        long perMap = in.positions();
        long total = data.images() * perMap;
        SplittableRandom rng = context.random(id);
        long[] picks = PositionSampler.choose(total, Math.min(spec.maxSamples(), total), rng);
        Broadcast<long[]> chosen = spark.broadcast(picks);
        int channels = in.channels();
        JavaRDD<SampleShard> shards = ranges().map(p -> {
            INDArray rows = share(id, chosen.value(), perMap, data, p, prefix.value());
            int first = lowerBound(chosen.value(), data.start(p) * perMap);
            return rows == null ? new SampleShard(first, 0, channels, new float[0]) : SampleShard.of(first, rows);
        }).persist(StorageLevel.MEMORY_ONLY());
        try {
            return spec.fromSample(id, in, new SparkSample(spark, shards, picks.length, channels), rng,
                    context.progress());
        } finally {
            shards.unpersist(false);
            chosen.destroy();
        }
    }

    /** Manifold embedding: per-partition V and S of its share of the sampled maps, summed; the eigenproblem on the driver. */
    private Layer manifold(String id, ManifoldSpec spec, MapShape in, ImageSlices data, Broadcast<PrefixModel> prefix,
            FitContext context) {
        Broadcast<int[]> chosen = spark.broadcast(spec.chosenMaps(id, data.images(), context));
        CoOccurrence stats = ranges().map(p -> {
            CoOccurrence part = spec.statistics(in);
            int from = data.start(p);
            int[] all = chosen.value();
            int lo = lowerBound(all, from);
            int hi = lowerBound(all, data.start(p + 1));
            if (lo == hi) return part;
            int[] mine = new int[hi - lo];
            for (int i = lo; i < hi; i++) mine[i - lo] = all[i] - from;
            spec.addChosen(id, prefix.value().pipeline().over(data.slice(p)), mine, part);
            return part;
        }).treeReduce(CoOccurrence::plus);
        chosen.destroy();
        return spec.fromStatistics(id, in, stats);
    }

    /**
     * The outputs of {@code model} for every image of {@code files} (decoded as in {@link #fit}),
     * {@code [n, gridH, gridW, channels]} float32 in file order: each partition encodes its range
     * and the driver collects the ranges in index order. The result must fit in the driver's memory.
     */
    public INDArray features(Pipeline model, ImageFiles files, Preprocess preprocess, long cropSeed) {
        ImageSlices data = new ImageSlices(files, preprocess, cropSeed, partitions, threadsPerTask);
        PrefixModel frozen = PrefixModel.of(model, cropSeed);
        Broadcast<PrefixModel> shared = spark.broadcast(frozen);
        try {
            List<float[]> chunks = ranges().map(p -> data.start(p) == data.start(p + 1) ? new float[0]
                    : shared.value().pipeline().transformAll(data.slice(p)).dup('c').data().asFloat()).collect();
            int size = 0;
            for (float[] c : chunks) size += c.length;
            float[] all = new float[size];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            return Nd4j.create(all, model.outputShape().batchShape(data.images()), 'c');
        } finally {
            shared.destroy();
            frozen.release();
        }
    }

    /**
     * Partition {@code p}'s share of the globally chosen positions {@code chosen} (sorted indices over
     * all images' positions, {@code perMap} per image), gathered from its images run through the
     * prefix, {@code [share, channels]}; null when it holds none.
     */
    private static INDArray share(String id, long[] chosen, long perMap, ImageSlices data, int p, PrefixModel prefix) {
        long from = data.start(p) * perMap;
        int lo = lowerBound(chosen, from);
        int hi = lowerBound(chosen, data.start(p + 1) * perMap);
        if (lo == hi) return null;
        long[] mine = new long[hi - lo];
        for (int i = lo; i < hi; i++) mine[i - lo] = chosen[i] - from;
        INDArray rows = PositionSampler.gather(prefix.pipeline().over(data.slice(p)), mine);
        Shapes.requireFinite(id + " training vectors", rows);
        return rows;
    }

    /** The first index i of the sorted, distinct {@code values} with values[i] >= key (values.length if none). */
    static int lowerBound(long[] values, long key) {
        int at = Arrays.binarySearch(values, key);
        return at >= 0 ? at : -at - 1;
    }

    /** As {@link #lowerBound(long[], long)} for int values. */
    static int lowerBound(int[] values, int key) {
        int at = Arrays.binarySearch(values, key);
        return at >= 0 ? at : -at - 1;
    }

    /**
     * The input of a stage fitted on the driver: its shape and sample count, and a pass that refuses,
     * since only whitening, sparse coding and the manifold embedding have distributed passes.
     */
    private record ShapeOnly(MapShape shape, long samples, String id, String kind) implements MapSource {
        @Override
        public void forEachBatch(int batchSize, BatchVisitor visitor) {
            throw new GlassboxException(id + ": a " + kind + " stage reads the training data, which the Spark fit"
                    + " has no distributed pass for (expected whitening, sparse-coding, manifold, or a stage that needs"
                    + " only its input shape)");
        }
    }
}
