package org.glassbox.mnist;

import java.util.List;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.ClassifierRun;
import org.glassbox.framework.stats.Comparison;
import org.glassbox.mnist.baseline.BaselineOptions;
import org.glassbox.mnist.baseline.BaselineResult;
import org.glassbox.mnist.baseline.Baselines;

/**
 * Trains the Deeplearning4j baselines (LeNet-5 and a two-hidden-layer MLP) on the same split as
 * the white-box model and compares all three on the same test items: accuracy with its Wilson
 * 95% interval, McNemar's test of the white-box model against each baseline, training time,
 * inference throughput and parameter count.
 */
final class BlackBoxComparison {
    private BlackBoxComparison() {
    }

    static Comparison run(ClassifierRun glassbox, TrainTest split, long seed, Progress progress) {
        BaselineOptions options = BaselineOptions.defaults().withSeed(seed);
        BaselineResult lenet = Baselines.lenet5(split, options, progress);
        BaselineResult mlp = Baselines.mlp(split, options, progress);
        return Comparison.of(List.of(glassbox, lenet.run(), mlp.run()), split.test().labels(), "glassbox");
    }
}
