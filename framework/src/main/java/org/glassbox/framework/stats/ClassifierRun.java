package org.glassbox.framework.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * One trained classifier's outcome on a test set, the input of a {@link Comparison}.
 *
 * @param name the model's name, for example {@code "glassbox"}, {@code "lenet5"}, {@code "mlp"}
 * @param predictions the predicted class of every test item, in test-set order
 * @param secondsTrain wall-clock seconds of training
 * @param imagesPerSecond inference throughput on the test set
 * @param parameters the number of learned parameters
 * @param trainImagesPerSecond training images per second of training steps (forward, backward and update),
 *     or null for a model not trained in steps
 * @param recipe the hyperparameters that reproduce the model, or null
 * @param training how training went (such as the epochs run and the validation accuracy of each), or null
 */
public record ClassifierRun(String name, int[] predictions, double secondsTrain, double imagesPerSecond,
                            long parameters, Double trainImagesPerSecond, JsonNode recipe, JsonNode training) {
    /** A run without a training rate, recipe or training record. */
    public ClassifierRun(String name, int[] predictions, double secondsTrain, double imagesPerSecond, long parameters) {
        this(name, predictions, secondsTrain, imagesPerSecond, parameters, null, null, null);
    }

    public ClassifierRun {
        if (name == null || name.isBlank()) throw new InvalidParameterException("name", name, "a non-empty model name");
        if (predictions == null || predictions.length == 0) {
            throw new InvalidParameterException("predictions", predictions == null ? null : "[]",
                    "at least one test prediction");
        }
        if (!(secondsTrain >= 0 && Double.isFinite(secondsTrain))) {
            throw new InvalidParameterException("secondsTrain", secondsTrain, "a finite time of at least 0");
        }
        if (!(imagesPerSecond > 0 && Double.isFinite(imagesPerSecond))) {
            throw new InvalidParameterException("imagesPerSecond", imagesPerSecond, "a finite positive rate");
        }
        if (parameters < 0) throw new InvalidParameterException("parameters", parameters, "a count of at least 0");
        if (trainImagesPerSecond != null && !(trainImagesPerSecond > 0 && Double.isFinite(trainImagesPerSecond))) {
            throw new InvalidParameterException("trainImagesPerSecond", trainImagesPerSecond, "a finite positive rate or null");
        }
    }
}
