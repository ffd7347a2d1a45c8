package org.glassbox.imagenet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What {@code ./glassbox imagenet} writes to {@code metrics.json} (docs/imagenet.md lists every field).
 *
 * @param dataset the data folder
 * @param layout how the training and test images were found ({@link DataLayout.Found#layout()})
 * @param classes the number of classes
 * @param trainSize training images that decoded
 * @param testSize test images that decoded
 * @param skipped files left out, by reason ({@link SkipLog#countsByName()})
 * @param seed the fit's seed
 * @param image the preprocessing of every image
 * @param accuracy top-1 test accuracy of each readout by name, as a fraction
 * @param resumedStages stages read from the checkpoint instead of fitted in this process (0 without {@code --resume})
 * @param seconds wall times of this process
 * @param stack the hyperparameters of every stage, readable again with {@code --stack}
 */
public record ImagenetMetrics(String dataset, String layout, int classes,
                              @JsonProperty("train_size") int trainSize,
                              @JsonProperty("test_size") int testSize,
                              Map<String, Integer> skipped,
                              long seed,
                              Image image,
                              Map<String, Double> accuracy,
                              @JsonProperty("resumed_stages") int resumedStages,
                              Seconds seconds,
                              JsonNode stack) {

    /**
     * @param shorterSide the shorter side after scaling
     * @param crop the side of the square crop (random for training, centred for testing)
     */
    public record Image(@JsonProperty("shorter_side") int shorterSide, int crop) {
    }

    /**
     * Wall-clock seconds of this process.
     *
     * @param fit fitting the stages, encoding the training set and fitting the readouts
     * @param evaluate encoding and scoring the test set
     * @param total from the start to metrics.json (the report, written after it, is not included)
     */
    public record Seconds(double fit, double evaluate, double total) {
    }
}
