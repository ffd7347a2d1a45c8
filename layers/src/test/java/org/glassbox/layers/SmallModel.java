package org.glassbox.layers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.IdxFormat;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * A small two-layer model on real digits, fitted once per test JVM: 300 training and 150 test
 * images of the embedded MNIST split (evenly spaced, shuffled) written as an IDX folder (so the model's provenance names a
 * folder that commands can load), layer 1 (7 x 7 patches, whitening, 12 non-negative atoms),
 * 2 x 2 average pooling, layer 2 (3 x 3 patches of the pooled codes at stride 2, 10 atoms), 2 x 2
 * grid pooling, and a linear and a kNN readout. The inspection tests of this module use it, and
 * the inspection commands' tests of mnist-demo (through this module's test jar).
 */
public final class SmallModel {
    /** Training images. */
    public static final int TRAIN = 300;
    /** Test images. */
    public static final int TEST = 150;

    private static SmallModel instance;

    /** The temporary folder holding everything below (deleted when the JVM exits). */
    public final Path root;
    /** The IDX folder of the digits. */
    public final Path data;
    /** The model folder, {@code <root>/run/model}. */
    public final Path modelDir;
    /** The digits as read back from {@link #data}. */
    public final TrainTest split;
    /** The fitted model. */
    public final Model model;

    private SmallModel() throws IOException {
        root = Files.createTempDirectory("glassbox-inspect-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                AtomicFolder.deleteRecursively(root);
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }));
        data = root.resolve("digits");
        TrainTest all = EmbeddedMnist.split();
        writeIdx(all.train(), TRAIN, data, "train");
        writeIdx(all.test(), TEST, data, "t10k");
        split = IdxFolder.read(data);
        FitContext context = new FitContext(7, Progress.silent());
        List<Pipeline.Stage> layer1 = List.of(
                new Pipeline.Stage("L1.patches", new PatchSpec(7, 1)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults()),
                new Pipeline.Stage("L1.code", SparseCodingSpec.of("L1", 12, 0.6).withNonNegative(true)
                        .withMaxSamples(8_000).withEpochs(1).withIterations(60)));
        List<Pipeline.Stage> layer2 = List.of(
                new Pipeline.Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Pipeline.Stage("L2.patches", new PatchSpec(3, 2)),
                new Pipeline.Stage("L2.code", SparseCodingSpec.of("L2", 10, 0.05).withNonNegative(true)
                        .withMaxSamples(8_000).withEpochs(1).withIterations(60)),
                new Pipeline.Stage("L2.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2)));
        // layer 1's codes of the training set are computed once and layer 2 is fitted on them
        Pipeline first = Pipeline.fit(split.train().source(), layer1, context);
        MapSource codes = MapSource.of(first.transformAll(split.train().source()));
        Pipeline second = Pipeline.fit(codes, layer2, context);
        List<Layer> stages = new ArrayList<>(first.stages());
        stages.addAll(second.stages());
        Pipeline pipeline = new Pipeline(split.train().shape(), stages);
        MapSource features = MapSource.of(second.transformAll(codes));
        List<Readout> readouts = new ArrayList<>();
        readouts.add(LinearSpec.defaults(10).fit("linear", features, split.train().labels(), context));
        readouts.add(KnnSpec.defaults(10).fit("knn", features, split.train().labels(), context));
        Provenance provenance = Provenance.now(7, data.toAbsolutePath().toString(), split.train().fingerprint(),
                split.train().size());
        model = new Model(provenance, pipeline, readouts, Map.of("classes", "0,1,2,3,4,5,6,7,8,9"));
        modelDir = root.resolve("run").resolve("model");
        ModelFile.write(model, modelDir);
    }

    /** The shared model, fitted on first use. */
    public static synchronized SmallModel get() {
        if (instance == null) {
            try {
                instance = new SmallModel();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * Writes {@code count} images of {@code set} as IDX files: evenly spaced over the set (which is
     * grouped by class), then shuffled with a fixed seed so that any prefix holds every class.
     */
    private static void writeIdx(ImageSet all, int count, Path folder, String prefix) throws IOException {
        Files.createDirectories(folder);
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) picked.add((int) ((long) i * all.size() / count));
        java.util.Collections.shuffle(picked, new java.util.Random(11));
        ImageSet set = all.select(all.name(), picked.stream().mapToInt(Integer::intValue).toArray());
        int rows = (int) set.images().size(1);
        int cols = (int) set.images().size(2);
        float[] v = set.images().dup('c').data().asFloat();
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) Math.round(v[i] * 255);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) set.labels()[i];
        try (OutputStream out = IdxFormat.create(folder.resolve(prefix + "-images-idx3-ubyte"))) {
            IdxFormat.writeImages(out, count, rows, cols, pixels);
        }
        try (OutputStream out = IdxFormat.create(folder.resolve(prefix + "-labels-idx1-ubyte"))) {
            IdxFormat.writeLabels(out, labels);
        }
    }
}
