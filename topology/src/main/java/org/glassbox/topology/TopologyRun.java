package org.glassbox.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.imagenet.ClassFolderTree;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run of {@code ./glassbox topology}: optionally scramble the pixels of every image with one
 * permutation, recover the grid from the training images, measure it against the true layout
 * and write {@code layout.npy}, {@code scramble.npy}, {@code metrics.json}, {@code layout.png}
 * and {@code unscrambled.png} (docs/topology.md).
 */
public final class TopologyRun {
    /** Test images shown in {@code unscrambled.png}. */
    static final int EXAMPLES = 10;

    /**
     * @param out the output folder
     * @param data an IDX folder, an image folder (one sub-folder per class, read as grey), or null
     *             for the embedded digits
     * @param size the side of the grid an image folder is cut to ({@link GreyImageFolder}), or null
     *             for {@link GreyImageFolder#DEFAULT_SIZE}; only for image folders
     * @param scramble the seed of the scrambling permutation, or null
     * @param permutation a .npy file holding the scrambling permutation, or null
     * @param seed the seed of the recovery's annealing and of an image folder's train / test split
     * @param force replace {@code out} even when it holds files Glassbox did not write
     */
    public record Options(Path out, Path data, Integer size, Long scramble, Path permutation, long seed, boolean force) {
        public Options {
            if (scramble != null && permutation != null) {
                throw new GlassboxException("--scramble and --permutation both give the scrambling; pass one of them");
            }
            if (size != null) GreyImageFolder.checkSize(size);
        }
    }

    /**
     * What {@code metrics.json} holds.
     *
     * @param dataset where the images came from
     * @param trainSize training images (the layout is learned from these only)
     * @param testSize test images
     * @param height rows of the grid
     * @param width columns of the grid
     * @param scramble the scrambling: {@code "seed N"}, a permutation file, or {@code "none"} (the
     *                 images as given are then the truth the layout is measured against)
     * @param seed the seed of the recovery
     * @param layout neighbours_4, neighbours_8, spearman, varying_pixels, constant_pixels
     * @param constant the pixels (of the images as the recovery saw them) left out as constant
     * @param seconds wall time of the recovery
     */
    public record Metrics(String dataset,
                          @JsonProperty("train_size") int trainSize,
                          @JsonProperty("test_size") int testSize,
                          int height, int width, String scramble, long seed,
                          @JsonUnwrapped LayoutMetrics layout,
                          @JsonProperty("constant") int[] constant,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Double seconds) {
    }

    /** A split whose pixels were scrambled, with the permutation (identity when not scrambled). */
    public record Scrambled(TrainTest split, int[] permutation, String description) {
    }

    private TopologyRun() {
    }

    /**
     * Loads the embedded digits ({@code data} null), an IDX folder, or an image folder as grey
     * {@code size x size} images ({@code size} null: {@link GreyImageFolder#DEFAULT_SIZE}) split by {@code seed}.
     *
     * @throws GlassboxException when {@code data} is not a folder, or {@code size} is given for data that is no image folder
     */
    public static TrainTest load(Path data, Integer size, long seed) {
        checkData(data, size);
        if (data == null) return EmbeddedMnist.split();
        if (IdxFolder.holdsIdxImages(data)) return IdxFolder.read(data);
        return GreyImageFolder.read(data, size == null ? GreyImageFolder.DEFAULT_SIZE : size, seed);
    }

    /** The checks of {@link #load} that read no image. */
    static void checkData(Path data, Integer size) {
        if (data != null && !Files.isDirectory(data)) {
            throw new GlassboxException(data + ": --data folder not found (expected an IDX folder or an image folder "
                    + "with one sub-folder per class)");
        }
        if (data != null && !IdxFolder.holdsIdxImages(data) && !ClassFolderTree.hasClassFolders(data)) {
            throw new GlassboxException(data + ": neither IDX files (train-images-idx3-ubyte, ...) nor class folders "
                    + "(expected an IDX folder or an image folder with one sub-folder per class)");
        }
        if (size != null && (data == null || IdxFolder.holdsIdxImages(data))) {
            throw new GlassboxException("--size " + size + " is for image folders: " + (data == null
                    ? "the embedded digits keep their own size"
                    : data + " is an IDX folder, whose images keep their own size"));
        }
    }




    /** The name of the data for metrics. */
    public static String dataset(Path data) {
        return data == null ? EmbeddedMnist.NAME : data.toAbsolutePath().normalize().toString();
    }

    /** {@code split} with every image's pixels scrambled by the seed's permutation or the file's. */
    public static Scrambled scramble(TrainTest split, Long seed, Path file) {
        int pixels = (int) (split.train().images().size(1) * split.train().images().size(2));
        int[] p;
        String description;
        if (seed != null) {
            p = Scramble.permutation(pixels, seed);
            description = "seed " + seed;
        } else if (file != null) {
            p = Scramble.read(file, pixels);
            description = file.toAbsolutePath().normalize().toString();
        } else {
            return new Scrambled(split, Scramble.identity(pixels), "none");
        }
        TrainTest s = new TrainTest(
                new org.glassbox.framework.data.ImageSet(split.train().name() + " (scrambled)",
                        Scramble.apply(split.train().images(), p), split.train().labels(), split.train().classes()),
                new org.glassbox.framework.data.ImageSet(split.test().name() + " (scrambled)",
                        Scramble.apply(split.test().images(), p), split.test().labels(), split.test().classes()));
        return new Scrambled(s, p, description);
    }

    /** Runs the command: the output folder is checked first and replaced whole when the run is complete. */
    public static Metrics run(Options options, Progress progress, PrintWriter console) {
        List<Path> inputs = new ArrayList<>();
        inputs.add(options.data());
        inputs.add(options.permutation());
        checkData(options.data(), options.size());
        try (RunFolder folder = RunFolder.open(options.out(), "topology", options.force(), inputs)) {
            TrainTest original = load(options.data(), options.size(), options.seed());
            Scrambled scrambled = scramble(original, options.scramble(), options.permutation());
            TopologyRecovery.Result result = TopologyRecovery.recover(scrambled.split().train().images(),
                    scrambled.split().train().name(), options.seed(), progress);
            Metrics metrics = write(folder.staging(), original, scrambled, result, options.seed(), dataset(options.data()));
            AtomicFolder.writeFile(folder.staging().resolve("metrics.json"),
                    tmp -> Json.MAPPER.writeValue(tmp.toFile(), metrics));
            folder.commit();
            LayoutMetrics m = metrics.layout();
            console.printf("Glassbox topology: %s, scramble %s%n", metrics.dataset(), metrics.scramble());
            console.printf("  pixels    %d vary, %d left out as constant%n", m.varying(), m.constant());
            console.printf("  recovered %.2f%% of true 4-neighbours, %.2f%% of 8-neighbours, Spearman %.4f (%.1f s)%n",
                    100 * m.neighbours4(), 100 * m.neighbours8(), m.spearman(), result.seconds());
            console.printf("  wrote     %s%n", folder.target());
            console.flush();
            return metrics;
        }
    }

    /**
     * Writes {@code layout.npy}, {@code scramble.npy} (when scrambled), {@code layout.png} and
     * {@code unscrambled.png} into {@code out}; returns the metrics for {@code metrics.json}.
     */
    public static Metrics write(Path out, TrainTest original, Scrambled scrambled, TopologyRecovery.Result result,
                                long seed, String dataset) {
        Layout layout = result.layout();
        int h = layout.height();
        int w = layout.width();
        int[] trueCell = scrambled.permutation();
        LayoutMetrics m = LayoutMetrics.of(trueCell, layout.cellOf(), w, result.dependence().varying());
        boolean[] constant = new boolean[h * w];
        for (int p : result.dependence().constant()) constant[p] = true;
        {
            AtomicFolder.writeFile(out.resolve("layout.npy"), tmp -> Npy.write(Scramble.toArray(layout.pixelAt(), h, w), tmp));
            if (!"none".equals(scrambled.description())) {
                AtomicFolder.writeFile(out.resolve("scramble.npy"), tmp -> Npy.write(Scramble.toArray(trueCell, h, w), tmp));
            }
            LayoutPictures.writeLayout(out.resolve("layout.png"), trueCell, layout, constant);
            INDArray testScrambled = scrambled.split().test().images();
            int count = (int) Math.min(EXAMPLES, testScrambled.size(0));
            int[] picked = new int[count];
            for (int i = 0; i < count; i++) picked[i] = (int) ((long) i * testScrambled.size(0) / count);
            INDArray first = scrambled.split().test().select("examples", picked).images();
            INDArray originalFirst = original.test().select("examples", picked).images();
            LayoutPictures.writeExamples(out.resolve("unscrambled.png"), first, layout.apply(first), originalFirst, count);
            Metrics metrics = new Metrics(dataset, original.train().size(), original.test().size(), h, w,
                    scrambled.description(), seed, m, result.dependence().constant(), result.seconds());
            return metrics;
        }
    }
}
