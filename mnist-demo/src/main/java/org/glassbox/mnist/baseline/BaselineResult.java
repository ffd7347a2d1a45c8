package org.glassbox.mnist.baseline;

import org.glassbox.framework.stats.ClassifierRun;

/**
 * A trained black-box baseline's outcome on the test set.
 *
 * @param name {@code "lenet5"} or {@code "mlp"}
 * @param predictions the predicted class of every test image, in test-set order
 * @param accuracy the fraction of test images classified correctly
 * @param secondsTrain wall-clock seconds from building the network to restoring its best epoch's
 *     weights, validation passes included
 * @param imagesPerSecond test images classified per second (one timed pass over the test set after
 *     one untimed warm-up batch)
 * @param parameters the number of learned parameters (weights and biases)
 * @param epochsTrained the passes over the training part that ran before early stopping or the limit
 * @param bestEpoch the epoch (1-based) whose weights were kept: the first with the best validation accuracy
 * @param bestValidationAccuracy the validation accuracy of that epoch
 * @param validationAccuracy the validation accuracy after each epoch, {@code [epochsTrained]}
 */
public record BaselineResult(String name, int[] predictions, double accuracy, double secondsTrain,
                             double imagesPerSecond, long parameters, int epochsTrained, int bestEpoch,
                             double bestValidationAccuracy, double[] validationAccuracy) {
    /** This result as one run of a {@link org.glassbox.framework.stats.Comparison}. */
    public ClassifierRun run() {
        return new ClassifierRun(name, predictions, secondsTrain, imagesPerSecond, parameters);
    }
}
