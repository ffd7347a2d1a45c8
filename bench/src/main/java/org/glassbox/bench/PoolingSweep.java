package org.glassbox.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.framework.layer.Readout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Compares poolings of one fitted first layer on the embedded MNIST split (8,000 / 2,000): fits
 * the first three stages of a stack file (patches, whitening, sparse coding, seed 1) once, encodes
 * both sets and averages the codes over 2 x 2 cells of the code grid, then forms each pooling
 * from that half-resolution grid and fits the linear readout on it at two penalties. A pooling
 * {@code W:S} averages windows of W x W code-grid cells at stride S (both even), per channel, and
 * normalises each pooled vector, with the project's pooling layer (so {@code 6:6} is the 4 x 4
 * grid of the 24 x 24 code grid of 5 x 5 patches, {@code 8:4} a 5 x 5 grid of overlapping
 * windows); a suffix {@code :sqrt} takes the square root of the (non-negative) averaged codes first.
 *
 * <pre>
 *   java -Xmx6g -Dorg.bytedeco.javacpp.maxbytes=12G -Dorg.bytedeco.javacpp.maxphysicalbytes=16G \
 *     -cp bench/target/benchmarks.jar org.glassbox.bench.PoolingSweep STACK.json 6:6,8:4,4:4,6:6:sqrt,8:4:sqrt
 * </pre>
 *
 * Prints one line per pooling and penalty: test accuracy, feature count, seconds since the start.
 */
public final class PoolingSweep {
    /** The penalties of the linear readout tried for every pooling. */
    static final double[] L2 = {2e-6, 1e-5};

    private PoolingSweep() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: PoolingSweep STACK.json W:S[:sqrt],...");
            System.exit(2);
        }
        StackDescription stack = StackDescription.read(Path.of(args[0]));
        TrainTest split = EmbeddedMnist.split();
        FitContext context = new FitContext(1, Progress.silent());
        List<Pipeline.Stage> stages = new ArrayList<>(stack.stages().subList(0, 3));
        stages.add(new Pipeline.Stage("half", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2).withNormalize(false)));
        long start = System.nanoTime();
        Pipeline pipeline = Pipeline.fit(split.train().source(), stages, context);
        INDArray train = pipeline.transformAll(split.train().source());
        INDArray test = pipeline.transformAll(split.test().source());
        System.out.printf(Locale.ROOT, "half-resolution codes %s in %.0f s%n", Arrays.toString(train.shape()),
                (System.nanoTime() - start) / 1e9);
        for (String pooling : args[1].split(",")) {
            INDArray trainFeatures = pool(train, pooling, context);
            INDArray testFeatures = pool(test, pooling, context);
            for (double l2 : L2) {
                Readout linear = LinearSpec.defaults(split.train().classes()).withL2(l2)
                        .fit("linear", MapSource.of(trainFeatures), split.train().labels(), context);
                double accuracy = ConfusionMatrix.accuracy(split.test().labels(), linear.predict(testFeatures),
                        split.train().classes());
                System.out.printf(Locale.ROOT, "%s l2 %.0e: %.4f (%d features, %.0f s)%n", pooling, l2, accuracy,
                        trainFeatures.length() / trainFeatures.size(0), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /**
     * The pooling {@code W:S[:sqrt]} of half-resolution codes {@code [n, h, w, K]}: the project's
     * pooling layer ({@link PoolingSpec#windows}: average, then p / max(||p||, epsilon)) over
     * windows of W / 2 half-resolution cells at stride S / 2, {@code [n, g, g, K]}.
     */
    static INDArray pool(INDArray half, String pooling, FitContext context) {
        String[] parts = pooling.split(":");
        PoolingSpec spec = PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, Integer.parseInt(parts[0]) / 2,
                Integer.parseInt(parts[1]) / 2);
        MapSource codes = MapSource.of(parts.length > 2 && parts[2].equals("sqrt") ? Transforms.sqrt(half, true) : half);
        return Pipeline.fit(codes, List.of(new Pipeline.Stage("pool", spec)), context).transformAll(codes);
    }
}
