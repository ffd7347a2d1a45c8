package org.glassbox.baselines;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.stats.Comparison;

/** The comparison as the commands print it at the end of a run with {@code --baselines}. */
public final class ComparisonTable {
    private ComparisonTable() {
    }

    /**
     * Prints one line per model (accuracy, Wilson interval, training seconds, training and test images
     * per second, parameters, McNemar p against the white-box model), then how the speeds were measured
     * and each baseline's epochs; every line starts with {@code indent}.
     */
    public static void print(List<Comparison.Entry> entries, Map<String, Double> mcnemar, Throughput.Settings throughput,
                             String indent, PrintWriter console) {
        console.printf("%s%-14s %9s %17s %9s %9s %9s %11s %9s%n", indent, "model", "accuracy", "95% interval", "train s",
                "train i/s", "test i/s", "parameters", "McNemar p");
        for (Comparison.Entry e : entries) {
            Double p = mcnemar.get(e.name());
            console.printf("%s%-14s %8.2f%% [%6.2f%%, %6.2f%%] %9.1f %9s %9.0f %11d %9s%n", indent, e.name(),
                    100 * e.accuracy(), 100 * e.ci95()[0], 100 * e.ci95()[1], e.secondsTrain(),
                    e.trainImagesPerSecond() == null ? "-" : String.format("%.0f", e.trainImagesPerSecond()),
                    e.imagesPerSecond(), e.parameters(), p == null ? "-" : String.format("%.3g", p));
        }
        if (throughput != null) {
            console.printf("%simages/s: %d images per pass, test batches of %d, training at each recipe's batch, "
                            + "ND4J threads %d, OpenBLAS threads %d, median of %d rounds after a warm-up%n", indent,
                    throughput.images(), throughput.inferenceBatch(), throughput.nd4jThreads(), throughput.blasThreads(),
                    throughput.rounds());
        }
        for (Comparison.Entry e : entries) {
            JsonNode t = e.training();
            if (t == null) continue;
            console.printf("%s%s: %d epochs, kept epoch %d (validation accuracy %.2f%%)%n", indent, e.name(),
                    t.path("epochs").asInt(), t.path("best_epoch").asInt(), 100 * t.path("best_validation_accuracy").asDouble());
        }
    }
}
