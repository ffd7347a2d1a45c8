package org.glassbox.framework.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.framework.error.GlassboxException;

/**
 * Several classifiers compared on the same test items: the part of metrics.json under
 * {@code "baselines"} (one {@link Entry} per model) and {@code "mcnemar"} (the two-sided McNemar
 * p-value of the reference model against every other model, by name; see {@link McNemar}).
 * Serialised by Jackson as
 *
 * <pre>
 * {"baselines": [{"name": "lenet5", "accuracy": 0.985, "ci95": [0.979, 0.989], "seconds_train": 61.2,
 *                 "images_per_second": 9100.0, "parameters": 61706,
 *                 "train_images_per_second": 700.0, "recipe": {...}, "training": {...}}, ...],
 *  "mcnemar": {"lenet5": 0.41, "mlp": 0.0003}}
 * </pre>
 *
 * @param baselines one entry per model, in the order given
 * @param mcnemar the reference model's p-value against each other model, keyed by that model's name
 */
public record Comparison(List<Entry> baselines, Map<String, Double> mcnemar) {
    /**
     * One model's line of the comparison.
     *
     * @param name the model's name
     * @param accuracy the fraction of test items classified correctly
     * @param ci95 the 95% Wilson interval of the accuracy, {@code [low, high]} (see {@link Wilson})
     * @param secondsTrain wall-clock seconds of training
     * @param imagesPerSecond inference throughput on the test set
     * @param parameters the number of learned parameters
     * @param trainImagesPerSecond training images per second of training steps; absent for a model not
     *     trained in steps
     * @param recipe the hyperparameters that reproduce the model; absent if the run gave none
     * @param training how training went (epochs run, the kept epoch, validation accuracies); absent if
     *     the run gave none
     */
    public record Entry(String name, double accuracy, double[] ci95,
                        @JsonProperty("seconds_train") double secondsTrain,
                        @JsonProperty("images_per_second") double imagesPerSecond,
                        long parameters,
                        @JsonInclude(JsonInclude.Include.NON_NULL)
                        @JsonProperty("train_images_per_second") Double trainImagesPerSecond,
                        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode recipe,
                        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode training) {
    }

    public Comparison {
        baselines = List.copyOf(baselines);
        mcnemar = Collections.unmodifiableMap(new LinkedHashMap<>(mcnemar));
    }

    /**
     * Compares {@code runs} on the test items whose true classes are {@code labels}: every run's
     * accuracy with its 95% Wilson interval, and McNemar's test of the run named {@code reference}
     * against each other run.
     *
     * @param runs the models, each with one prediction per test item; names must be distinct
     * @param labels the true class of every test item
     * @param reference the name of the model tested against all others, for example {@code "glassbox"};
     *     {@code null} for no McNemar tests
     * @throws GlassboxException if a run's predictions do not match {@code labels} in length, two runs
     *     share a name, there are no runs, or no run is named {@code reference}
     */
    public static Comparison of(List<ClassifierRun> runs, int[] labels, String reference) {
        if (runs.isEmpty()) throw new GlassboxException("no models to compare (expected at least one run)");
        Set<String> names = new LinkedHashSet<>();
        ClassifierRun ref = null;
        List<Entry> entries = new ArrayList<>();
        for (ClassifierRun run : runs) {
            if (!names.add(run.name())) {
                throw new GlassboxException("two models are named \"" + run.name() + "\" (expected distinct names)");
            }
            if (run.predictions().length != labels.length) {
                throw new GlassboxException(run.name() + ": " + run.predictions().length + " predictions but "
                        + labels.length + " test labels (expected one prediction per test item)");
            }
            if (run.name().equals(reference)) ref = run;
            int correct = Accuracy.correct(run.predictions(), labels);
            entries.add(new Entry(run.name(), (double) correct / labels.length,
                    Wilson.ci95(correct, labels.length).toArray(),
                    run.secondsTrain(), run.imagesPerSecond(), run.parameters(), run.trainImagesPerSecond(),
                    run.recipe(), run.training()));
        }
        Map<String, Double> p = new LinkedHashMap<>();
        if (reference != null) {
            if (ref == null) {
                throw new GlassboxException("no model named \"" + reference + "\" among " + names
                        + " (expected the reference model of the McNemar tests)");
            }
            for (ClassifierRun run : runs) {
                if (run != ref) p.put(run.name(), McNemar.test(ref.predictions(), run.predictions(), labels).pValue());
            }
        }
        return new Comparison(entries, p);
    }
}
