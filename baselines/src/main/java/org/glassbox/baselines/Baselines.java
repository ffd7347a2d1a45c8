package org.glassbox.baselines;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.Accuracy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a black-box baseline from its {@link Recipe} with Deeplearning4j on exactly the pixels and
 * split the white-box model sees, and tests it.
 *
 * <p>Training: a stratified {@link Recipe#validationFraction()} of the training set
 * ({@link StratifiedSplit}, seeded with the recipe's seed) is held out; the network is trained with
 * Adam on the rest in mini-batches, shuffled every epoch by a {@link SplittableRandom} seeded with the
 * same seed, at the learning rate the recipe's schedule gives each epoch; after each epoch its accuracy
 * on the held-out part is measured. Training stops after {@link Recipe#patience()} epochs in a row
 * without a strictly higher validation accuracy, or after {@link Recipe#maxEpochs()}, and the weights of
 * the best epoch are kept (early stopping, Prechelt 1998, "Early stopping - but when?", in Neural
 * Networks: Tricks of the Trade, LNCS 1524). The test set is used only after training, once, for
 * predictions. Everything runs with {@link Recipe#threads()} ND4J threads ({@link CpuSetup}).
 *
 * <p>Pixels: the {@code [n, height, width, channels]} (NHWC) images are converted to rows
 * {@code [n, channels * height * width]} in channel-major (NCHW) order, the layout Deeplearning4j's
 * convolutions expect; the MLP reads the same rows. A recipe with {@code standardised} input scales
 * them by the training part's per-channel mean and standard deviation ({@link InputScaling}), the
 * same numbers for the validation and test images.
 */
public final class Baselines {
    /** Images per forward pass when predicting (validation and test). */
    static final int PREDICT_BATCH = 500;

    private Baselines() {
    }

    /**
     * Trains {@code recipe} on {@code data.train()} (minus the validation part) and predicts
     * {@code data.test()}.
     *
     * @throws GlassboxException if the test images differ from the training images in shape or classes,
     *     or the recipe's output layer scores another number of classes
     */
    public static BaselineResult train(Recipe recipe, TrainTest data, Progress progress) {
        checkSameKind(data, recipe);
        TrainTest split = holdout(data.train(), recipe);
        // only the training part gets shifted copies, after the validation part was held out
        ImageSet fit = split.train().withShiftedCopies(recipe.augmentation().shifts());
        return train(recipe, TrainingData.fixed(fit), split.test(), data.test(), progress);
    }

    /**
     * Trains {@code recipe} on {@code fit}, stopping early on {@code validation}, and predicts {@code test}.
     * {@code validation} must come from the training data, never from the test set.
     */
    public static BaselineResult train(Recipe recipe, TrainingData fit, ImageSet validation, ImageSet test,
                                       Progress progress) {
        if (recipe.classes() != fit.classes()) {
            throw new GlassboxException(recipe.name() + ": the output layer scores " + recipe.classes()
                    + " classes but the data has " + fit.classes() + " (expected the same)");
        }
        try (CpuSetup threads = CpuSetup.threads(recipe.threads())) {
            long start = System.nanoTime();
            InputScaling scaling = recipe.input().equals(Recipe.STANDARDISED) ? InputScaling.of(fit.images(1))
                    : InputScaling.NONE;
            INDArray y = oneHot(fit.labels(), fit.classes());
            INDArray validationRows = scaling.apply(nchwRows(validation.images()));
            int n = fit.size();
            int batch = recipe.batchSize();
            int batches = (n + batch - 1) / batch;

            MultiLayerNetwork net = new MultiLayerNetwork(recipe.network(fit.shape()));
            net.init();
            SplittableRandom order = new SplittableRandom(recipe.seed());
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) rows[i] = i;
            EarlyStopping stopping = new EarlyStopping(recipe.patience(), recipe.maxEpochs());
            INDArray best = null;
            INDArray epochImages = null;
            INDArray x = null;
            try (Progress.Task task = progress.task(recipe.name(), (long) recipe.maxEpochs() * batches)) {
                while (stopping.goOn()) {
                    int epoch = stopping.epochs() + 1;
                    INDArray images = fit.images(epoch);
                    if (images != epochImages || recipe.augmentation().redrawnEachEpoch()) {
                        epochImages = images;
                        x = scaling.apply(nchwRows(augmented(images, recipe, epoch)));
                    }
                    net.setLearningRate(recipe.schedule().rate(recipe.optimiser().learningRate(), epoch));
                    shuffle(rows, order);
                    for (int b = 0; b < batches; b++) {
                        int[] picked = Arrays.copyOfRange(rows, b * batch, Math.min(n, (b + 1) * batch));
                        net.fit(Nd4j.pullRows(x, 1, picked), Nd4j.pullRows(y, 1, picked));
                        task.step(1);
                    }
                    if (stopping.record(Accuracy.of(predict(net, validationRows), validation.labels()))) {
                        best = net.params().dup();
                    }
                }
                if (stopping.epochs() < recipe.maxEpochs()) task.endEarly();
            }
            net.setParams(best);
            double secondsTrain = (System.nanoTime() - start) / 1e9;
            int[] predictions = predict(net, scaling.apply(nchwRows(test.images())));
            return new BaselineResult(recipe, net, scaling, predictions, Accuracy.of(predictions, test.labels()),
                    secondsTrain, stopping.epochs(), stopping.bestEpoch(), stopping.bestAccuracy(), stopping.history());
        }
    }

    /**
     * The training set's split into the part the network learns from ({@code train()}) and the
     * stratified part held out for early stopping ({@code test()}), both drawn from {@code train} only.
     */
    public static TrainTest holdout(ImageSet train, Recipe recipe) {
        return StratifiedSplit.split(train, recipe.validationFraction(), recipe.seed());
    }

    /** Images {@code [n, h, w, c]} as rows {@code [n, c * h * w]} in NCHW order, float32, C order. */
    public static INDArray nchwRows(INDArray nhwc) {
        long n = nhwc.size(0);
        return nhwc.permute(0, 3, 1, 2).castTo(DataType.FLOAT).dup('c')
                .reshape('c', n, nhwc.size(1) * nhwc.size(2) * nhwc.size(3));
    }

    /** The most probable class of every row (the lowest among ties), predicted in batches of {@link #PREDICT_BATCH}. */
    public static int[] predict(MultiLayerNetwork net, INDArray rows) {
        int n = (int) rows.size(0);
        int[] out = new int[n];
        for (int from = 0; from < n; from += PREDICT_BATCH) {
            int to = Math.min(n, from + PREDICT_BATCH);
            INDArray batch = from == 0 && to == n ? rows : rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            argmax(net.output(batch, false), out, from);
        }
        return out;
    }

    /** Writes the argmax of each row of {@code probabilities} to {@code out} from {@code offset}. */
    static void argmax(INDArray probabilities, int[] out, int offset) {
        int rows = (int) probabilities.size(0);
        int classes = (int) probabilities.size(1);
        float[] p = probabilities.dup('c').data().asFloat();
        for (int i = 0; i < rows; i++) {
            int arg = 0;
            for (int k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + arg]) arg = k;
            out[offset + i] = arg;
        }
    }

    /** Epoch {@code epoch}'s images after the recipe's flips and translations, in that order. */
    static INDArray augmented(INDArray nhwc, Recipe recipe, int epoch) {
        Recipe.Augmentation a = recipe.augmentation();
        INDArray out = a.flips() ? flipped(nhwc, recipe.seed(), epoch) : nhwc;
        return a.translate() > 0 ? translated(out, a.translate(), recipe.seed(), epoch) : out;
    }

    /**
     * {@code nhwc} with each image moved by dx pixels right and dy pixels down, dx and dy drawn
     * uniformly from [-t, t] for image i in epoch e by a generator seeded by the seed and e (the same
     * moves in every run), the pixels moved in from outside the image 0: out(y, x) = in(y - dy, x - dx).
     */
    static INDArray translated(INDArray nhwc, int t, long seed, int epoch) {
        int n = (int) nhwc.size(0);
        int h = (int) nhwc.size(1);
        int w = (int) nhwc.size(2);
        int c = (int) nhwc.size(3);
        float[] in = nhwc.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        SplittableRandom move = new SplittableRandom((seed * 0x9E3779B97F4A7C15L + epoch) ^ 0xD1B54A32D192ED03L);
        int image = h * w * c;
        for (int i = 0; i < n; i++) {
            int dx = move.nextInt(-t, t + 1);
            int dy = move.nextInt(-t, t + 1);
            int x0 = Math.max(0, dx);
            int x1 = Math.min(w, w + dx);
            if (x1 <= x0) continue;
            for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                System.arraycopy(in, i * image + ((y - dy) * w + x0 - dx) * c, out, i * image + (y * w + x0) * c,
                        (x1 - x0) * c);
            }
        }
        return Nd4j.create(out, new long[] {n, h, w, c}, 'c');
    }

    /**
     * {@code nhwc} with each image mirrored left-right with probability 1/2, the coin of image i in
     * epoch e drawn from a generator seeded by the seed and e (the same images flip in every run).
     */
    static INDArray flipped(INDArray nhwc, long seed, int epoch) {
        int n = (int) nhwc.size(0);
        int h = (int) nhwc.size(1);
        int w = (int) nhwc.size(2);
        int c = (int) nhwc.size(3);
        float[] data = nhwc.castTo(DataType.FLOAT).dup('c').data().asFloat();
        SplittableRandom coin = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int image = h * w * c;
        for (int i = 0; i < n; i++) {
            if (!coin.nextBoolean()) continue;
            for (int y = 0; y < h; y++) {
                int row = i * image + y * w * c;
                for (int x = 0; x < w / 2; x++) {
                    int a = row + x * c;
                    int b = row + (w - 1 - x) * c;
                    for (int k = 0; k < c; k++) {
                        float t = data[a + k];
                        data[a + k] = data[b + k];
                        data[b + k] = t;
                    }
                }
            }
        }
        return Nd4j.create(data, new long[] {n, h, w, c}, 'c');
    }

    static INDArray oneHot(int[] labels, int classes) {
        float[] data = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) data[i * classes + labels[i]] = 1f;
        return Nd4j.create(data, new long[] {labels.length, classes}, 'c');
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkSameKind(TrainTest data, Recipe recipe) {
        ImageSet train = data.train();
        ImageSet test = data.test();
        long[] trainImage = Arrays.copyOfRange(train.images().shape(), 1, 4);
        long[] testImage = Arrays.copyOfRange(test.images().shape(), 1, 4);
        if (!Arrays.equals(trainImage, testImage)) {
            throw new ShapeMismatchException(test.name() + ": test image", trainImage, testImage);
        }
        if (train.classes() != test.classes()) {
            throw new GlassboxException(test.name() + ": " + test.classes() + " classes but the training set has "
                    + train.classes() + " (expected the same classes)");
        }
    }
}
