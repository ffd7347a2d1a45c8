package org.glassbox.imagenet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.baselines.BaselineResult;
import org.glassbox.baselines.Baselines;
import org.glassbox.baselines.Recipe;
import org.glassbox.baselines.Recipes;
import org.glassbox.baselines.Throughput;
import org.glassbox.baselines.TrainingData;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.ClassifierRun;
import org.glassbox.framework.stats.Comparison;
import org.glassbox.framework.layer.Readout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ./glassbox imagenet --baselines}: trains Deeplearning4j CNNs of about the white-box stack's size
 * ({@link Recipes#imageCnn}) on exactly the image split the stack was fitted and tested on, and compares
 * them with the stack's linear readout on the same test images, as {@code mnist --baselines} does.
 *
 * <p>What each network sees. The training images are the stack's: the same files, the same scaling and
 * the same random crop of each file (the training stream's crops, seeded by the run's seed and the
 * file's name). The validation part for early stopping is a stratified share of the training files
 * (the recipe's fraction and seed), cut in the centre as the test images are; the networks learn from
 * the rest. {@code cnn} learns from those crops alone, every epoch, as the stack does; {@code
 * cnn_augmented} learns in epoch 1 from the same crops and in every later epoch from a new random crop
 * of each training file (decoded again with another seed, same scaling and window) mirrored left-right
 * with probability 1/2. The test images are the stack's centre crops. Everything is decoded into
 * memory, so the image set must fit in one array.
 */
final class ImageBaselines {
    private ImageBaselines() {
    }

    /** The comparison and how its speeds were measured. */
    record Outcome(Comparison comparison, Throughput.Settings throughput) {
    }

    /** The readout compared with the baselines: the linear one, whose scores decompose per atom. */
    static final String GLASSBOX_READOUT = "linear";

    /**
     * Compares the stack's {@value #GLASSBOX_READOUT} readout (scored on {@code testFeatures}, the whole
     * fit taking {@code fitSeconds}) with the CNNs of {@link #recipes}, trained on the run's split.
     *
     * @throws GlassboxException if the stack has no readout of that name
     */
    static Outcome run(Pipeline pipeline, List<Readout> readouts, MapSource testFeatures, double fitSeconds,
                       StackDescription stack, ImageStream train, ImageStream test, ImagenetRun.Options options,
                       Progress progress) {
        Readout linear = readouts.stream().filter(r -> r.id().equals(GLASSBOX_READOUT)).findFirst()
                .orElseThrow(() -> new GlassboxException("--baselines compares the readout named \""
                        + GLASSBOX_READOUT + "\"; the stack has none"));
        ObjectNode recipe = Json.MAPPER.createObjectNode();
        recipe.put("readout", GLASSBOX_READOUT);
        recipe.put("seed", options.seed());
        recipe.put("shorter_side", options.shorterSide());
        recipe.put("crop", options.crop());
        recipe.put("readout_crops", options.readoutCrops());
        recipe.set("stack", stack.toJson());
        return run(pipeline, linear, ImagenetRun.predict(linear, testFeatures), fitSeconds, recipe, train, test,
                options.threads(), options.seed(), recipes(train.files().classes().size(), options.seed()), progress);
    }

    /** The recipes {@code imagenet --baselines} trains for {@code classes} classes. */
    static List<Recipe> recipes(int classes, long seed) {
        return List.of(Recipes.imageCnn(classes, seed), Recipes.imageCnnAugmented(classes, seed));
    }

    /**
     * Trains {@code recipes} and compares them with the stack's readout {@code linear}, whose test
     * predictions are {@code predictions}, fitted in {@code fitSeconds}.
     *
     * @param train the training stream the stack was fitted on (random crops)
     * @param test the test stream it was scored on (centre crops)
     * @param glassboxRecipe the stack's hyperparameters, for its entry's {@code recipe}
     * @param threads decoding threads
     * @param cropSeed the seed of the training stream's random crops (the run's seed)
     */
    static Outcome run(Pipeline pipeline, Readout linear, int[] predictions, double fitSeconds, JsonNode glassboxRecipe,
                       ImageStream train, ImageStream test, int threads, long cropSeed, List<Recipe> recipes,
                       Progress progress) {
        ImageSet trainCrops = train.load();
        ImageSet testCrops = test.load();
        int classes = train.files().classes().size();
        List<BaselineResult> trained = new ArrayList<>();
        for (Recipe recipe : recipes) {
            boolean[] held = StratifiedSplit.testMask(train.labels(), classes, recipe.validationFraction(), recipe.seed());
            int[] fit = indices(held, false);
            int[] validation = indices(held, true);
            ImageSet validationCrops = train.select(train.files().name() + " (validation)", validation)
                    .withPreprocess(train.preprocess().withCrop(Preprocess.Crop.CENTRE)).load();
            ImageSet fitCrops = trainCrops.select(trainCrops.name() + " (fit)", fit);
            TrainingData data = switch (recipe.augmentation().crops()) {
                case Recipe.Augmentation.FIXED -> TrainingData.fixed(fitCrops);
                case Recipe.Augmentation.PER_EPOCH -> new FreshCrops(train.select(train.files().name() + " (fit)", fit),
                        fitCrops, threads, cropSeed);
                default -> throw new GlassboxException(recipe.name() + ": crops \"" + recipe.augmentation().crops()
                        + "\" (expected fixed or per_epoch for image folders)");
            };
            trained.add(Baselines.train(recipe, data, validationCrops, testCrops, progress));
        }

        List<Throughput.Subject> subjects = new ArrayList<>();
        subjects.add(Throughput.of("glassbox", batch -> linear.predict(pipeline.transform(batch))));
        for (BaselineResult b : trained) subjects.add(Throughput.of(b));
        Throughput.Settings settings = Throughput.Settings.of(testCrops.size(), Recipes.THREADS);
        Map<String, Throughput.Rates> rates = Throughput.measure(subjects, trainCrops, testCrops, settings, progress);

        List<ClassifierRun> runs = new ArrayList<>();
        runs.add(new ClassifierRun("glassbox", predictions, fitSeconds, rates.get("glassbox").inference(),
                pipeline.parameterCount(linear), null, glassboxRecipe, null));
        for (BaselineResult b : trained) runs.add(b.run(rates.get(b.name())));
        return new Outcome(Comparison.of(runs, test.labels(), "glassbox"), settings);
    }

    /** The crop seed of epoch {@code epoch}: the run's seed in epoch 1, another seed drawn from it after. */
    static long epochCropSeed(long seed, int epoch) {
        return epoch == 1 ? seed : new SplittableRandom(seed * 1_000_003L + epoch).nextLong();
    }

    private static int[] indices(boolean[] mask, boolean value) {
        int n = 0;
        for (boolean m : mask) if (m == value) n++;
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < mask.length; i++) if (mask[i] == value) out[k++] = i;
        return out;
    }

    /** Epoch 1: the stack's crops; epoch e > 1: the same files decoded again with {@link #epochCropSeed}. */
    private static final class FreshCrops implements TrainingData {
        private final ImageStream files;
        private final ImageSet first;
        private final int threads;
        private final long seed;

        FreshCrops(ImageStream files, ImageSet first, int threads, long seed) {
            this.files = files;
            this.first = first;
            this.threads = threads;
            this.seed = seed;
        }

        @Override
        public int size() {
            return first.size();
        }

        @Override
        public int[] labels() {
            return first.labels();
        }

        @Override
        public int classes() {
            return first.classes();
        }

        @Override
        public MapShape shape() {
            return first.shape();
        }

        @Override
        public INDArray images(int epoch) {
            if (epoch == 1) return first.images();
            StreamOptions options = StreamOptions.of(threads, epochCropSeed(seed, epoch));
            return ImageStream.ofChecked(files.files(), files.preprocess(), options, Progress.silent()).load().images();
        }
    }
}
