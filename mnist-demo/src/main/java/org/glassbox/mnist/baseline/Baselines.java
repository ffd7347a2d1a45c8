package org.glassbox.mnist.baseline;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.Accuracy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Black-box baselines trained with Deeplearning4j on exactly the pixels and split the white-box
 * model sees: a LeNet-5 CNN and a two-hidden-layer MLP (shapes in {@link Architectures}).
 *
 * <p>Training: a stratified {@link BaselineOptions#validationFraction()} of the training set
 * ({@link StratifiedSplit}, seeded with {@link BaselineOptions#seed()}) is held out; the network is
 * trained with Adam on the rest in mini-batches, shuffled every epoch by a {@link SplittableRandom}
 * seeded with the same seed; after each epoch its accuracy on the held-out part is measured. Training
 * stops after {@link BaselineOptions#patience()} epochs in a row without a strictly higher validation
 * accuracy, or after {@link BaselineOptions#maxEpochs()}, and the weights of the best epoch are kept
 * (early stopping, Prechelt 1998, "Early stopping - but when?", in Neural Networks: Tricks of the
 * Trade, LNCS 1524). The test set is used only after training, once, for predictions and throughput.
 *
 * <p>Pixels: the {@code [n, height, width, channels]} (NHWC) images are converted once to rows
 * {@code [n, channels * height * width]} in channel-major (NCHW) order, the layout Deeplearning4j's
 * convolutions expect; the MLP reads the same rows.
 */
public final class Baselines {
    /** Images per forward pass when predicting. */
    static final int PREDICT_BATCH = 500;

    private Baselines() {
    }

    /** Trains and tests LeNet-5 ({@link Architectures#lenet5}); the result is named {@code "lenet5"}. */
    public static BaselineResult lenet5(TrainTest data, BaselineOptions options, Progress progress) {
        checkSameKind(data);
        return train("lenet5", Architectures.lenet5(data.train().shape(), data.train().classes(), options.seed(),
                options.learningRate()), data, options, progress);
    }

    /** Trains and tests the 300-100 MLP ({@link Architectures#mlp}); the result is named {@code "mlp"}. */
    public static BaselineResult mlp(TrainTest data, BaselineOptions options, Progress progress) {
        checkSameKind(data);
        return train("mlp", Architectures.mlp(data.train().shape(), data.train().classes(), options.seed(),
                options.learningRate()), data, options, progress);
    }

    /**
     * The training set's split into the part the network learns from ({@code train()}) and the
     * stratified part held out for early stopping ({@code test()}), both drawn from {@code train} only.
     */
    static TrainTest holdout(ImageSet train, BaselineOptions options) {
        return StratifiedSplit.split(train, options.validationFraction(), options.seed());
    }

    /** Images {@code [n, h, w, c]} as rows {@code [n, c * h * w]} in NCHW order, float32, C order. */
    static INDArray nchwRows(INDArray nhwc) {
        long n = nhwc.size(0);
        return nhwc.permute(0, 3, 1, 2).dup('c').reshape('c', n, nhwc.size(1) * nhwc.size(2) * nhwc.size(3));
    }

    private static BaselineResult train(String name, MultiLayerConfiguration conf, TrainTest data,
                                        BaselineOptions options, Progress progress) {
        long start = System.nanoTime();
        TrainTest split = holdout(data.train(), options);
        INDArray x = nchwRows(split.train().images());
        INDArray y = oneHot(split.train().labels(), split.train().classes());
        INDArray validation = nchwRows(split.test().images());
        int[] validationLabels = split.test().labels();
        int n = split.train().size();
        int batches = (n + options.batchSize() - 1) / options.batchSize();

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        EarlyStopping stopping = new EarlyStopping(options.patience(), options.maxEpochs());
        INDArray best = null;
        try (Progress.Task task = progress.task(name, (long) options.maxEpochs() * batches)) {
            while (stopping.goOn()) {
                shuffle(order, random);
                for (int b = 0; b < batches; b++) {
                    int[] rows = Arrays.copyOfRange(order, b * options.batchSize(),
                            Math.min(n, (b + 1) * options.batchSize()));
                    net.fit(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows));
                    task.step(1);
                }
                if (stopping.record(Accuracy.of(predict(net, validation), validationLabels))) {
                    best = net.params().dup();
                }
            }
        }
        net.setParams(best);
        double secondsTrain = (System.nanoTime() - start) / 1e9;

        INDArray test = nchwRows(data.test().images());
        predict(net, test.get(NDArrayIndex.interval(0, Math.min(PREDICT_BATCH,
                data.test().size())), NDArrayIndex.all()));
        long inferStart = System.nanoTime();
        int[] predictions = predict(net, test);
        double inferSeconds = (System.nanoTime() - inferStart) / 1e9;
        return new BaselineResult(name, predictions, Accuracy.of(predictions, data.test().labels()), secondsTrain,
                predictions.length / inferSeconds, net.numParams(), stopping.epochs(), stopping.bestEpoch(),
                stopping.bestAccuracy(), stopping.history());
    }

    /** The most probable class of every row, predicted in batches of {@link #PREDICT_BATCH}. */
    static int[] predict(MultiLayerNetwork net, INDArray rows) {
        int n = (int) rows.size(0);
        int[] out = new int[n];
        for (int from = 0; from < n; from += PREDICT_BATCH) {
            int to = Math.min(n, from + PREDICT_BATCH);
            INDArray probabilities = net.output(rows.get(NDArrayIndex.interval(from, to),
                    NDArrayIndex.all()), false);
            int classes = (int) probabilities.size(1);
            float[] p = probabilities.dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                int arg = 0;
                for (int k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + arg]) arg = k;
                out[from + i] = arg;
            }
        }
        return out;
    }

    private static INDArray oneHot(int[] labels, int classes) {
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

    private static void checkSameKind(TrainTest data) {
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
