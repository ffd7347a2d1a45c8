package org.glassbox.baselines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.stats.ClassifierRun;

/**
 * A trained baseline: the network with its best epoch's weights, its predictions on the test set and
 * how training went.
 *
 * @param recipe how it was trained
 * @param network the network, holding the weights of the best validation epoch
 * @param scaling what the network's input pixels are shifted and scaled by
 * @param predictions the predicted class of every test image, in test-set order
 * @param accuracy the fraction of test images classified correctly
 * @param secondsTrain wall-clock seconds from building the network to restoring its best epoch's
 *     weights: every epoch's training steps and validation pass (and, for per-epoch crops, decoding them)
 * @param epochsTrained the epochs that ran before early stopping or the limit
 * @param bestEpoch the epoch (1-based) whose weights were kept: the first with the best validation accuracy
 * @param bestValidationAccuracy the validation accuracy of that epoch
 * @param validationAccuracy the validation accuracy after each epoch, {@code [epochsTrained]}
 */
public record BaselineResult(Recipe recipe, MultiLayerNetwork network, InputScaling scaling, int[] predictions,
                             double accuracy,
                             double secondsTrain, int epochsTrained, int bestEpoch, double bestValidationAccuracy,
                             double[] validationAccuracy) {
    /** The model's name, {@link Recipe#name()}. */
    public String name() {
        return recipe.name();
    }

    /** Learned parameters (weights and biases). */
    public long parameters() {
        return network.numParams();
    }

    /**
     * How training went, as metrics.json writes it under the baseline's {@code "training"}:
     * {@code {"epochs": 14, "best_epoch": 11, "best_validation_accuracy": 0.986, "validation_accuracy": [...]}},
     * with standardised input also {@code "input_mean"} and {@code "input_std"}, one number per channel.
     */
    public JsonNode training() {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("epochs", epochsTrained);
        t.put("best_epoch", bestEpoch);
        t.put("best_validation_accuracy", bestValidationAccuracy);
        t.set("validation_accuracy", Json.MAPPER.valueToTree(validationAccuracy));
        if (!scaling.isNone()) {
            t.set("input_mean", Json.MAPPER.valueToTree(scaling.mean()));
            t.set("input_std", Json.MAPPER.valueToTree(scaling.std()));
        }
        return t;
    }

    /** This baseline as one run of a {@link org.glassbox.framework.stats.Comparison}, with its measured {@code rates}. */
    public ClassifierRun run(Throughput.Rates rates) {
        return new ClassifierRun(name(), predictions, secondsTrain, rates.inference(), parameters(), rates.train(),
                recipe.toJson(), training());
    }
}
