package org.glassbox.mnist.baseline;

import org.glassbox.framework.error.InvalidParameterException;

/**
 * How a black-box baseline is trained: mini-batch Adam (Kingma and Ba 2015) on the training set minus
 * a stratified validation part, with early stopping on the validation accuracy.
 *
 * @param seed the seed of the weight initialisation, the validation split and the batch order
 * @param maxEpochs the most passes over the training part
 * @param patience stop after this many epochs in a row without a new best validation accuracy
 * @param batchSize training images per Adam step
 * @param learningRate Adam's step size
 * @param validationFraction the fraction of the training set held out, per class, for early stopping
 */
public record BaselineOptions(long seed, int maxEpochs, int patience, int batchSize, double learningRate,
                              double validationFraction) {
    public BaselineOptions {
        if (maxEpochs < 1) throw new InvalidParameterException("maxEpochs", maxEpochs, "at least 1");
        if (patience < 1) throw new InvalidParameterException("patience", patience, "at least 1");
        if (batchSize < 1) throw new InvalidParameterException("batchSize", batchSize, "at least 1");
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new InvalidParameterException("learningRate", learningRate, "a finite positive step size");
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new InvalidParameterException("validationFraction", validationFraction, "a fraction in (0, 1)");
        }
    }

    /**
     * Seed 1, at most 30 epochs, patience 3, batches of 64, learning rate 0.001 (Adam's default), 10% of
     * the training set held out for validation.
     */
    public static BaselineOptions defaults() {
        return new BaselineOptions(1, 30, 3, 64, 1e-3, 0.1);
    }

    /** A copy with another seed. */
    public BaselineOptions withSeed(long newSeed) {
        return new BaselineOptions(newSeed, maxEpochs, patience, batchSize, learningRate, validationFraction);
    }

    /** A copy with another epoch limit. */
    public BaselineOptions withMaxEpochs(int newMaxEpochs) {
        return new BaselineOptions(seed, newMaxEpochs, patience, batchSize, learningRate, validationFraction);
    }

    /** A copy with another patience. */
    public BaselineOptions withPatience(int newPatience) {
        return new BaselineOptions(seed, maxEpochs, newPatience, batchSize, learningRate, validationFraction);
    }

    /** A copy with another batch size. */
    public BaselineOptions withBatchSize(int newBatchSize) {
        return new BaselineOptions(seed, maxEpochs, patience, newBatchSize, learningRate, validationFraction);
    }

    /** A copy with another learning rate. */
    public BaselineOptions withLearningRate(double newLearningRate) {
        return new BaselineOptions(seed, maxEpochs, patience, batchSize, newLearningRate, validationFraction);
    }

    /** A copy with another validation fraction. */
    public BaselineOptions withValidationFraction(double newValidationFraction) {
        return new BaselineOptions(seed, maxEpochs, patience, batchSize, learningRate, newValidationFraction);
    }
}
