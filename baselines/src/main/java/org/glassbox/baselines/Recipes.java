package org.glassbox.baselines;

import java.util.List;

/**
 * The recipes of the baselines the commands train (docs/mnist.md and docs/imagenet.md give the reason
 * for every choice; a run writes each recipe to metrics.json).
 */
public final class Recipes {
    /** ND4J OpenMP threads of every recipe here ({@link CpuSetup} says why one). */
    public static final int THREADS = 1;

    private Recipes() {
    }

    /**
     * LeNet-5 as the Caffe and PyTorch MNIST examples build it, the network of the reference figure
     * of 98.55% on this split (PyTorch; docs/mnist.md): conv 5x5 with 20 maps, max pool 2x2, conv 5x5
     * with 50 maps, max pool 2x2, dense 500, softmax; ReLU, no padding. 431,080 parameters for
     * 28 x 28 x 1 images and 10 classes. Adam at 1e-3, divided by 10 after epoch 10, for at most 15
     * epochs with a patience of 5; batches of 64; dropout 0.5 on the 500 dense units (the output layer's
     * inputs), where 400,500 of the parameters are; every training image moved by up to 2 pixels each
     * way, drawn anew every epoch (LeCun et al. 1998 train LeNet-5 on distorted digits for its best
     * figure).
     */
    public static Recipe lenet5(int classes, long seed) {
        return new Recipe("lenet5", List.of(
                LayerSpec.conv(20, 5, 1, 0),
                LayerSpec.maxPool(2, 2),
                LayerSpec.conv(50, 5, 1, 0),
                LayerSpec.maxPool(2, 2),
                LayerSpec.dense(500),
                LayerSpec.output(classes).withDropout(0.5)),
                Recipe.HE_NORMAL, Recipe.Optimiser.adam(1e-3), new Recipe.Schedule("step", 0.1, 10), 64, 15, 5, 0.1,
                Recipe.UNIT, new Recipe.Augmentation(Recipe.Augmentation.NONE, false, 0, 2), seed, "float32", "enabled",
                THREADS);
    }

    /**
     * The multilayer perceptron with two hidden layers of 300 and 100 ReLU units, the sizes of LeCun
     * et al. (1998)'s 300-100 network: {@code 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10 =
     * 266,610} parameters for 28 x 28 x 1 images.
     */
    public static Recipe mlp(int classes, long seed) {
        return recipe("mlp", List.of(LayerSpec.dense(300), LayerSpec.dense(100), LayerSpec.output(classes)), seed);
    }

    /**
     * A small CNN for RGB crops (3 conv + 2 dense layers): three blocks of conv 3x3 (padding 1, so the
     * map keeps its size) and max pool 2x2 with 32, 64 and 128 maps, then dense 256 and softmax. For
     * 32 x 32 crops: 896 + 18,496 + 73,856 + 524,544 + 257 * classes parameters. It trains on the same
     * crops the white-box stack's training sees (one random crop of each training image, no flips).
     */
    public static Recipe imageCnn(int classes, long seed) {
        return new Recipe("cnn", List.of(
                LayerSpec.conv(32, 3, 1, 1),
                LayerSpec.maxPool(2, 2),
                LayerSpec.conv(64, 3, 1, 1),
                LayerSpec.maxPool(2, 2),
                LayerSpec.conv(128, 3, 1, 1),
                LayerSpec.maxPool(2, 2),
                LayerSpec.dense(256),
                LayerSpec.output(classes)),
                Recipe.HE_NORMAL, Recipe.Optimiser.adam(1e-3), Recipe.Schedule.constant(), 64, 30, 5, 0.1,
                Recipe.UNIT, new Recipe.Augmentation(Recipe.Augmentation.FIXED, false), seed, "float32", "enabled", THREADS);
    }

    /**
     * {@link #imageCnn} named {@code cnn_augmented}, trained on a new random crop and a random left-right
     * flip of every training image each epoch (epoch 1's crops are the white-box stack's).
     */
    public static Recipe imageCnnAugmented(int classes, long seed) {
        return imageCnn(classes, seed).withAugmentation("cnn_augmented",
                new Recipe.Augmentation(Recipe.Augmentation.PER_EPOCH, true));
    }

    private static Recipe recipe(String name, List<LayerSpec> layers, long seed) {
        return new Recipe(name, layers, Recipe.HE_NORMAL, Recipe.Optimiser.adam(1e-3), Recipe.Schedule.constant(),
                64, 30, 3, 0.1, Recipe.UNIT, Recipe.Augmentation.none(), seed, "float32", "enabled", THREADS);
    }
}
