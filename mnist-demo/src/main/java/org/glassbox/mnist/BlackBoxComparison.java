package org.glassbox.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.baselines.BaselineResult;
import org.glassbox.baselines.Baselines;
import org.glassbox.baselines.Recipe;
import org.glassbox.baselines.Recipes;
import org.glassbox.baselines.Throughput;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.ClassifierRun;
import org.glassbox.framework.stats.Comparison;
import org.glassbox.framework.layer.Readout;

/**
 * Trains the Deeplearning4j baselines (LeNet-5 and a two-hidden-layer MLP, {@link Recipes}) on the same
 * split as the white-box model and compares all three on the same test items: accuracy with its Wilson
 * 95% interval, McNemar's test of the white-box model against each baseline, training time, training
 * and inference throughput measured the same way for every model ({@link Throughput}), parameter
 * count, and each model's recipe.
 */
final class BlackBoxComparison {
    private BlackBoxComparison() {
    }

    /** The comparison and how its speeds were measured. */
    record Outcome(Comparison comparison, Throughput.Settings throughput) {
    }

    /**
     * Compares the white-box model (the stack's {@code linear} readout, whose test predictions are
     * {@code predictions}, fitted in {@code fitSeconds}) with the default baselines. With
     * {@code --shifts N} the baselines' training part holds the same shifted copies the readouts learn
     * from ({@link Recipe#withShifts}).
     */
    static Outcome run(Pipeline pipeline, Readout linear, int[] predictions, double fitSeconds, MnistRun.Options options,
                       TrainTest split, Progress progress) {
        int classes = split.train().classes();
        return run(pipeline, linear, predictions, fitSeconds, options, split,
                List.of(Recipes.lenet5(classes, options.seed()).withShifts(options.shifts()),
                        Recipes.mlp(classes, options.seed()).withShifts(options.shifts())), progress);
    }

    /** The same with the given baseline recipes. */
    static Outcome run(Pipeline pipeline, Readout linear, int[] predictions, double fitSeconds, MnistRun.Options options,
                       TrainTest split, List<Recipe> recipes, Progress progress) {
        List<BaselineResult> trained = new ArrayList<>();
        for (Recipe r : recipes) trained.add(Baselines.train(r, split, progress));

        List<Throughput.Subject> subjects = new ArrayList<>();
        subjects.add(Throughput.of("glassbox", batch -> linear.predict(pipeline.transform(batch))));
        for (BaselineResult b : trained) subjects.add(Throughput.of(b));
        Throughput.Settings settings = Throughput.Settings.of(split.test().size(), Recipes.THREADS);
        Map<String, Throughput.Rates> rates = Throughput.measure(subjects, split.train(), split.test(), settings, progress);

        List<ClassifierRun> runs = new ArrayList<>();
        runs.add(new ClassifierRun("glassbox", predictions, fitSeconds, rates.get("glassbox").inference(),
                pipeline.parameterCount(linear), null, glassboxRecipe(options), null));
        for (BaselineResult b : trained) runs.add(b.run(rates.get(b.name())));
        return new Outcome(Comparison.of(runs, split.test().labels(), "glassbox"), settings);
    }

    /** The white-box model's hyperparameters: the stack, the readout compared, the seed and the shifts. */
    static JsonNode glassboxRecipe(MnistRun.Options options) {
        ObjectNode recipe = Json.MAPPER.createObjectNode();
        recipe.put("readout", MnistRun.GLASSBOX_READOUT);
        recipe.put("seed", options.seed());
        recipe.put("shifts", options.shifts());
        recipe.set("stack", options.stack().toJson());
        return recipe;
    }
}
