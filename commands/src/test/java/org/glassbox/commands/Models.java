package org.glassbox.commands;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.glassbox.framework.layer.StackDescription.ReadoutStage;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFormat;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.layer.Pipeline.Stage;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ImagenetRun;
import org.glassbox.imagenet.SkipLog;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.glassbox.mnist.MnistRun;
import picocli.CommandLine;

/**
 * The models the command tests run on, fitted once per test JVM by the runs of the {@code mnist} and
 * {@code imagenet} commands, as a user's models are: a two-layer digit model on an IDX folder of
 * 300 training and 150 test digits of the embedded set, and a two-layer RGB model on a class tree of
 * 4 classes of 12 striped PNG images each (20 x 20 crops of images scaled to a 22-pixel shorter side).
 */
final class Models {
    /** Test digits in the IDX folder. */
    static final int DIGITS_TEST = 150;
    /** Classes of the image model. */
    static final int IMAGE_CLASSES = 4;

    private static Models instance;

    final Path root;
    /** The IDX folder the digit model was fitted on. */
    final Path digits;
    /** The digit model's run folder (model/, metrics.json). */
    final Path digitRun;
    final MnistRun.Result digitResult;
    /** The class tree the image model was fitted on. */
    final Path images;
    /** The image model's run folder. */
    final Path imageRun;
    final ImagenetRun.Result imageResult;

    private Models() throws IOException {
        root = Files.createTempDirectory("glassbox-commands-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                AtomicFolder.deleteRecursively(root);
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }));
        digits = root.resolve("digits");
        TrainTest all = EmbeddedMnist.split();
        writeIdx(pick(all.train(), 300), digits, "train");
        writeIdx(pick(all.test(), DIGITS_TEST), digits, "t10k");
        digitRun = root.resolve("digit-run");
        digitResult = MnistRun.run(new MnistRun.Options(digitRun, digits, 7, digitStack(), false, 0, false, null, 0),
                Progress.silent(), new PrintWriter(new StringWriter()));
        images = root.resolve("images");
        stripes(images, IMAGE_CLASSES, 12, 5);
        imageRun = root.resolve("image-run");
        imageResult = ImagenetRun.run(new ImagenetRun.Options(images, imageRun, null, 0.25, 3, 2, 22, 20, imageStack(),
                false, 0, null, false, null), Progress.silent(), new SkipLog(line -> { }), new PrintWriter(new StringWriter()));
    }

    /** The shared models, fitted on first use. */
    static synchronized Models get() {
        if (instance == null) {
            try {
                instance = new Models();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Layer 1 (7 x 7 patches, whitening, 12 atoms), pooling, layer 2 (10 atoms), pooling; a linear and a kNN readout. */
    static StackDescription digitStack() {
        return new StackDescription(List.of(
                new Stage("L1.patches", new PatchSpec(7, 1)),
                new Stage("L1.whiten", WhiteningSpec.defaults()),
                new Stage("L1.code", SparseCodingSpec.of("L1", 12, 0.6).withNonNegative(true)
                        .withMaxSamples(8_000).withEpochs(1).withIterations(60)),
                new Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage("L2.patches", new PatchSpec(3, 2)),
                new Stage("L2.code", SparseCodingSpec.of("L2", 10, 0.05).withNonNegative(true)
                        .withMaxSamples(8_000).withEpochs(1).withIterations(60)),
                new Stage("L2.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                List.of(new ReadoutStage("linear", LinearSpec.defaults(10)), new ReadoutStage("knn", KnnSpec.defaults(10))));
    }

    /** Layer 1 (5 x 5 RGB patches, whitening, 16 atoms), pooling, layer 2 (16 atoms), pooling; linear and kNN readouts. */
    static StackDescription imageStack() {
        return new StackDescription(List.of(
                new Stage("L1.patches", new PatchSpec(5, 1)),
                new Stage("L1.whiten", WhiteningSpec.defaults().withSamples(4000)),
                new Stage("L1.code", SparseCodingSpec.of("L1", 16, 0.5).withNonNegative(true).withMaxSamples(3000)
                        .withEpochs(1).withIterations(50)),
                new Stage("L1.pool", PoolingSpec.windows(PoolingSpec.Reduction.AVERAGE, 2, 2)),
                new Stage("L2.patches", new PatchSpec(3, 1)),
                new Stage("L2.code", SparseCodingSpec.of("L2", 16, 0.3).withNonNegative(true).withMaxSamples(2000)
                        .withEpochs(1).withIterations(50)),
                new Stage("L2.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))),
                List.of(new ReadoutStage("linear", LinearSpec.defaults(IMAGE_CLASSES)),
                        new ReadoutStage("knn", KnnSpec.defaults(IMAGE_CLASSES))));
    }

    /** What a command printed on standard output and standard error. */
    record Output(String out, String err) {
    }

    /** Runs a command with {@code args}; a GlassboxException propagates. */
    static Output run(Callable<?> command, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs(args);
        command.call();
        return new Output(out.toString(), err.toString());
    }

    /** {@code count} images of {@code set}, evenly spaced over it (it is grouped by class) and shuffled with a fixed seed. */
    static ImageSet pick(ImageSet set, int count) {
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) picked.add((int) ((long) i * set.size() / count));
        Collections.shuffle(picked, new Random(11));
        return set.select(set.name(), picked.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Writes {@code set} as the IDX files {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}. */
    static void writeIdx(ImageSet set, Path folder, String prefix) throws IOException {
        Files.createDirectories(folder);
        int count = set.size();
        int rows = (int) set.images().size(1);
        int cols = (int) set.images().size(2);
        float[] v = set.images().dup('c').data().asFloat();
        byte[] pixels = new byte[v.length];
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

    /**
     * A class tree under {@code root}: class c (folder {@code class<c>}) holds {@code perClass} PNGs of
     * stripes at angle c pi / classes in its own colour, with a phase, a size (22 to 29 pixels) and
     * pixel noise drawn from {@code seed}.
     */
    static void stripes(Path root, int classes, int perClass, long seed) throws IOException {
        int[] colours = {0xc81e1e, 0x1ec81e, 0x1e1ec8, 0x808080};
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            double cx = Math.cos(Math.PI * c / classes);
            double cy = Math.sin(Math.PI * c / classes);
            int colour = colours[c % colours.length];
            Path dir = Files.createDirectories(root.resolve("class" + c));
            for (int i = 0; i < perClass; i++) {
                double phase = rng.nextDouble(2 * Math.PI);
                int size = 22 + rng.nextInt(8);
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = 0.5 + 0.5 * Math.sin(1.3 * (x * cx + y * cy) + phase);
                        int noise = rng.nextInt(31) - 15;
                        int r = clamp((int) (v * (colour >> 16 & 0xff)) + noise);
                        int g = clamp((int) (v * (colour >> 8 & 0xff)) + noise);
                        int b = clamp((int) (v * (colour & 0xff)) + noise);
                        img.setRGB(x, y, r << 16 | g << 8 | b);
                    }
                }
                ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
