package org.glassbox.imagenet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.glassbox.baselines.Throughput;
import org.glassbox.framework.stats.Comparison;

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
 * @param baselines with {@code --baselines}: the stack ({@code glassbox}, its linear readout) and the
 *                  black-box CNNs on the same test images, as in the mnist command's metrics.json;
 *                  otherwise absent
 * @param mcnemar with {@code --baselines}: McNemar's p-value of {@code glassbox} against each baseline
 * @param throughput with {@code --baselines}: how every model's images per second were measured
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
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<Comparison.Entry> baselines,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> mcnemar,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Throughput.Settings throughput,
                              JsonNode stack) {

    /**
     * @param shorterSide the shorter side after scaling
     * @param crop the side of the square crop (random for training, centred for testing)
     * @param readoutCrops crops of each training image the readouts learned from ({@code --readout-crops})
     */
    public record Image(@JsonProperty("shorter_side") int shorterSide, int crop,
                        @JsonProperty("readout_crops") int readoutCrops) {
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
