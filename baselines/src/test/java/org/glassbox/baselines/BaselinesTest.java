package org.glassbox.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.Accuracy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the baselines' recipes, shortened, on 1,000 train / 500 test real digits drawn, stratified,
 * from the embedded split.
 */
class BaselinesTest {
    private static TrainTest small;

    @BeforeAll
    static void smallSplit() {
        TrainTest full = EmbeddedMnist.split();
        ImageSet train = StratifiedSplit.split(full.train(), 1000.0 / 8000, 7).test();
        ImageSet test = StratifiedSplit.split(full.test(), 500.0 / 2000, 7).test();
        small = new TrainTest(train, test);
    }

    /**
     * The LeNet-5 recipe, cut to 2 epochs, on 1,800 digits (2,000 minus the validation tenth): the real
     * network, dropout, optimiser and translations on real data, above the stated threshold of 90% of
     * the 500 test digits.
     */
    @Test
    void lenet5LearnsRealDigitsInTwoEpochs() {
        TrainTest full = EmbeddedMnist.split();
        TrainTest data = new TrainTest(StratifiedSplit.split(full.train(), 2000.0 / 8000, 8).test(), small.test());
        Recipe recipe = Recipes.lenet5(10, 1).withMaxEpochs(2);
        BaselineResult a = Baselines.train(recipe, data, Progress.silent());
        assertEquals("lenet5", a.name());
        assertTrue(a.accuracy() > 0.90, "accuracy " + a.accuracy());
        assertEquals(Accuracy.of(a.predictions(), data.test().labels()), a.accuracy());
        assertEquals(431_080, a.parameters());
        assertEquals(2, a.epochsTrained());
        assertEquals(2, a.validationAccuracy().length);
        assertEquals(a.validationAccuracy()[a.bestEpoch() - 1], a.bestValidationAccuracy());
        assertTrue(a.secondsTrain() > 0);
    }

    /** The same recipe and seed give the same weights, curve and predictions; another seed does not. */
    @Test
    void theSameSeedGivesTheSameNetworkAndAnotherSeedAnotherOne() {
        TrainTest tiny = new TrainTest(StratifiedSplit.split(small.train(), 0.5, 3).test(), small.test());
        Recipe recipe = Recipes.lenet5(10, 5).withMaxEpochs(1);
        BaselineResult a = Baselines.train(recipe, tiny, Progress.silent());
        BaselineResult b = Baselines.train(recipe, tiny, Progress.silent());
        assertEquals(a.network().params(), b.network().params());
        assertArrayEquals(a.predictions(), b.predictions());
        assertArrayEquals(a.validationAccuracy(), b.validationAccuracy());
        BaselineResult c = Baselines.train(recipe.withSeed(6), tiny, Progress.silent());
        assertNotEquals(a.network().params(), c.network().params());
    }

    /**
     * The MLP is trained three times: twice on the real split (same seed, so the same predictions), and
     * once with a decoy test set of noise images and shuffled labels. Early stopping must not notice
     * the decoy: the validation curve, the kept epoch and the kept weights are identical, because only
     * the training set feeds them.
     */
    @Test
    void mlpLearnsDigitsIsDeterministicAndNeverLooksAtTheTestSetWhileTraining() {
        Recipe recipe = Recipes.mlp(10, 1).withMaxEpochs(4).withPatience(1).withBatchSize(16);
        RecordingProgress progress = new RecordingProgress();
        BaselineResult a = Baselines.train(recipe, small, progress);
        BaselineResult b = Baselines.train(recipe, small, Progress.silent());
        assertEquals("mlp", a.name());
        int batches = (900 + 15) / 16;
        String end = a.epochsTrained() < 4 ? " ended early" : "";
        assertEquals(List.of("mlp " + 4 * batches + " " + a.epochsTrained() * batches + end + " closed"), progress.log);
        assertTrue(a.accuracy() > 0.8, "accuracy " + a.accuracy());
        assertEquals(266_610, a.parameters());
        assertArrayEquals(a.predictions(), b.predictions());
        assertArrayEquals(a.validationAccuracy(), b.validationAccuracy());

        BaselineResult decoy = Baselines.train(recipe, new TrainTest(small.train(), decoy(small.test())), Progress.silent());
        assertArrayEquals(a.validationAccuracy(), decoy.validationAccuracy());
        assertEquals(a.bestEpoch(), decoy.bestEpoch());
        assertEquals(a.epochsTrained(), decoy.epochsTrained());
        assertEquals(a.network().params(), decoy.network().params());
        assertFalse(Arrays.equals(a.predictions(), decoy.predictions()));
    }

    /**
     * With shifts the training part (never the validation part) gains its images moved by one pixel in
     * four directions: 900 originals and 3,600 copies, in 5 x 57 batches of 16 per epoch.
     */
    @Test
    void shiftedCopiesAreMadeOfTheTrainingPartOnly() {
        Recipe recipe = Recipes.mlp(10, 1).withMaxEpochs(1).withBatchSize(16).withShifts(1);
        RecordingProgress progress = new RecordingProgress();
        BaselineResult r = Baselines.train(recipe, small, progress);
        assertEquals(List.of("mlp " + (4500 + 15) / 16 + " " + (4500 + 15) / 16 + " closed"), progress.log);
        assertEquals(1, r.recipe().augmentation().shifts());
        ImageSet part = Baselines.holdout(small.train(), recipe).train();
        ImageSet all = part.withShiftedCopies(1);
        assertEquals(5 * 900, all.size());
        assertEquals(part.images(), all.select("originals", java.util.stream.IntStream.range(0, 900).toArray()).images());
        assertEquals(part.shifted(0, -1).images(),
                all.select("last", java.util.stream.IntStream.range(3600, 4500).toArray()).images());
        for (int i = 0; i < all.size(); i++) assertEquals(part.labels()[i % 900], all.labels()[i]);
        assertSame(part, part.withShiftedCopies(0));
    }

    @Test
    void theValidationPartIsAStratifiedTenthOfTheTrainingSet() {
        TrainTest holdout = Baselines.holdout(small.train(), Recipes.mlp(10, 1));
        assertEquals(900, holdout.train().size());
        assertEquals(100, holdout.test().size());
        int[] all = small.train().classCounts();
        int[] validation = holdout.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertTrue(Math.abs(validation[c] - all[c] / 10.0) < 1, "class " + c + ": " + validation[c] + " of " + all[c]);
        }
        // The fitting part and the validation part together are exactly the training images, each once.
        int[] train = rowHashes(small.train().images());
        int[] parts = java.util.stream.IntStream.concat(Arrays.stream(rowHashes(holdout.train().images())),
                Arrays.stream(rowHashes(holdout.test().images()))).sorted().toArray();
        assertArrayEquals(train, parts);
    }

    @Test
    void imagesBecomeChannelMajorRows() {
        // [1, 2, 2, 3] NHWC: value = 100 y + 10 x + c
        float[] nhwc = new float[12];
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
                for (int c = 0; c < 3; c++) nhwc[(y * 2 + x) * 3 + c] = 100 * y + 10 * x + c;
        INDArray rows = Baselines.nchwRows(Nd4j.create(nhwc, new long[] {1, 2, 2, 3}, 'c'));
        assertArrayEquals(new long[] {1, 12}, rows.shape());
        assertArrayEquals(new float[] {0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112}, rows.data().asFloat());
    }

    /** Flips mirror whole images left-right, about half of them, the same ones for the same seed and epoch. */
    @Test
    void flipsMirrorAboutHalfTheImagesTheSameOnesForTheSameSeedAndEpoch() {
        int n = 200;
        float[] data = new float[n * 2 * 3 * 2];
        for (int i = 0; i < data.length; i++) data[i] = i;
        INDArray images = Nd4j.create(data, new long[] {n, 2, 3, 2}, 'c');
        INDArray a = Baselines.flipped(images, 1, 1);
        assertEquals(a, Baselines.flipped(images, 1, 1));
        assertNotEquals(a, Baselines.flipped(images, 1, 2));
        int flips = 0;
        for (int i = 0; i < n; i++) {
            INDArray original = images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            INDArray out = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            if (out.equals(original)) continue;
            assertEquals(mirroredRows(original), out, "image " + i);
            flips++;
        }
        assertTrue(flips > 70 && flips < 130, flips + " of " + n + " flipped");
    }

    /**
     * Translations move every image by whole pixels within [-t, t] each way, filling with 0, every
     * move of that square in use; the same moves for the same seed and epoch, others in another epoch.
     */
    @Test
    void translationsMoveEachImageByAtMostTPixelsTheSameWayForTheSameSeedAndEpoch() {
        int n = 300;
        int h = 5;
        int w = 6;
        int c = 2;
        float[] data = new float[n * h * w * c];
        for (int i = 0; i < data.length; i++) data[i] = 1 + i;
        INDArray images = Nd4j.create(data, new long[] {n, h, w, c}, 'c');
        INDArray a = Baselines.translated(images, 2, 1, 1);
        assertEquals(a, Baselines.translated(images, 2, 1, 1));
        assertNotEquals(a, Baselines.translated(images, 2, 1, 2));
        assertNotEquals(a, Baselines.translated(images, 2, 2, 1));
        float[] out = a.data().asFloat();
        Set<String> moves = new HashSet<>();
        for (int i = 0; i < n; i++) {
            List<String> fits = new ArrayList<>();
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    float[] expected = moved(data, i, dx, dy, h, w, c);
                    int from = i * expected.length;
                    if (Arrays.equals(expected, 0, expected.length, out, from, from + expected.length)) fits.add(dx + "," + dy);
                }
            }
            assertEquals(1, fits.size(), "image " + i + " fits the moves " + fits);
            moves.add(fits.get(0));
        }
        assertEquals(25, moves.size(), "moves in use: " + moves);
    }

    /** Image {@code i} of {@code data} ({@code [n, h, w, c]}) moved by dx right and dy down, zeros moved in. */
    private static float[] moved(float[] data, int i, int dx, int dy, int h, int w, int c) {
        float[] image = new float[h * w * c];
        for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
            for (int x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
                for (int k = 0; k < c; k++) image[(y * w + x) * c + k] = data[((i * h + y - dy) * w + x - dx) * c + k];
            }
        }
        return image;
    }

    @Test
    void rejectsATestSetOfAnotherKindAndARecipeForOtherClasses() {
        ImageSet wide = new ImageSet("wide", Nd4j.zeros(DataType.FLOAT, 2, 28, 30, 1), new int[] {0, 1}, 10);
        Recipe mlp = Recipes.mlp(10, 1);
        assertEquals("wide: test image: expected shape [28, 28, 1] but got [28, 30, 1]",
                assertThrows(GlassboxException.class,
                        () -> Baselines.train(mlp, new TrainTest(small.train(), wide), Progress.silent())).getMessage());
        ImageSet fewer = new ImageSet("fewer", Nd4j.zeros(DataType.FLOAT, 2, 28, 28, 1), new int[] {0, 1}, 5);
        assertEquals("fewer: 5 classes but the training set has 10 (expected the same classes)",
                assertThrows(GlassboxException.class,
                        () -> Baselines.train(mlp, new TrainTest(small.train(), fewer), Progress.silent())).getMessage());
        assertEquals("mlp: the output layer scores 7 classes but the data has 10 (expected the same)",
                assertThrows(GlassboxException.class,
                        () -> Baselines.train(Recipes.mlp(7, 1), small, Progress.silent())).getMessage());
    }

    private static INDArray mirroredRows(INDArray image) {
        long h = image.size(0);
        long w = image.size(1);
        INDArray out = image.dup();
        for (long y = 0; y < h; y++)
            for (long x = 0; x < w; x++)
                for (long c = 0; c < image.size(2); c++) out.putScalar(new long[] {y, x, c}, image.getFloat(y, w - 1 - x, c));
        return out;
    }

    /** Logs each task as "name total stepsDone closed", with "ended early" before "closed" when it was. */
    private static final class RecordingProgress implements Progress {
        final List<String> log = new ArrayList<>();

        @Override
        public Task task(String name, long total) {
            long[] done = {0};
            String[] ended = {""};
            return new Task() {
                @Override
                public void step(long units) {
                    done[0] += units;
                }

                @Override
                public void endEarly() {
                    ended[0] = " ended early";
                }

                @Override
                public void close() {
                    log.add(name + " " + total + " " + done[0] + ended[0] + " closed");
                }
            };
        }
    }

    static ImageSet decoy(ImageSet test) {
        SplittableRandom random = new SplittableRandom(99);
        float[] noise = new float[(int) test.images().length()];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextDouble();
        int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = random.nextInt(test.classes());
        return new ImageSet("decoy", Nd4j.create(noise, test.images().shape(), 'c'), labels, test.classes());
    }

    /** A hash of every image's pixels, sorted. */
    private static int[] rowHashes(INDArray images) {
        float[] flat = images.dup('c').data().asFloat();
        int n = (int) images.size(0);
        int d = flat.length / n;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = Arrays.hashCode(Arrays.copyOfRange(flat, i * d, (i + 1) * d));
        Arrays.sort(out);
        return out;
    }
}
