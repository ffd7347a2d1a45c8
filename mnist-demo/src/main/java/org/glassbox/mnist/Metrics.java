package org.glassbox.mnist;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.glassbox.baselines.Throughput;
import org.glassbox.framework.stats.Comparison;

/**
 * What {@code metrics.json} holds (docs/mnist.md lists every field).
 *
 * @param dataset where the digits came from
 * @param trainSize training images
 * @param testSize test images
 * @param seed the fit's seed
 * @param shifts the readouts also learned from copies of the training images moved by 1 to this many pixels in
 *               each of four directions (0: none)
 * @param layers one entry per sparse-coding layer
 * @param accuracy test accuracy of each readout by name, as a fraction
 * @param seconds wall times
 * @param baselines with {@code --baselines}: the white-box model ({@code glassbox}, its linear
 *                  readout) and the black-box baselines on the same test items; otherwise absent
 * @param mcnemar with {@code --baselines}: McNemar's p-value of {@code glassbox} against each baseline
 * @param throughput with {@code --baselines}: how every model's images per second were measured
 * @param stack the hyperparameters of every stage, as {@code StackDescription} JSON, readable again with {@code --stack}
 */
public record Metrics(String dataset,
                      @JsonProperty("train_size") int trainSize,
                      @JsonProperty("test_size") int testSize,
                      long seed,
                      int shifts,
                      List<LayerMetrics> layers,
                      Map<String, Double> accuracy,
                      Seconds seconds,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<Comparison.Entry> baselines,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> mcnemar,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Throughput.Settings throughput,
                      JsonNode stack) {

    /**
     * One sparse-coding layer, measured on the test set.
     *
     * @param id the layer, such as {@code L1}
     * @param atoms its dictionary size
     * @param meanActiveAtoms mean non-zero coefficients per input vector
     * @param relativeReconstructionError sum ||x - a D||^2 / sum ||x||^2 over all test positions
     */
    public record LayerMetrics(String id, int atoms,
                               @JsonProperty("mean_active_atoms") double meanActiveAtoms,
                               @JsonProperty("relative_reconstruction_error") double relativeReconstructionError) {
    }

    /**
     * Wall-clock seconds.
     *
     * @param fit fitting every stage and readout
     * @param evaluate encoding the test set and scoring it
     * @param total from the start of the command to metrics.json: loading, fitting, evaluating, writing
     *              the model and atlases (the report, written after metrics.json, is not included)
     * @param stages the fit of each stage, in order, then the training features and each readout's
     *               fit (their sum is the fit); null in a metrics.json written before it existed
     */
    public record Seconds(double fit, double evaluate, double total, List<StageSeconds> stages) {
    }

    /** The seconds one step of the fit took: a stage's or readout's id, or {@code train features}. */
    public record StageSeconds(String id, double seconds) {
    }
}
