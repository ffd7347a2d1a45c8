package org.glassbox.mnist;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.glassbox.baselines.ComparisonTable;

/** The one-screen summary printed at the end of {@code ./glassbox mnist}. */
final class Summary {
    private Summary() {
    }

    static void print(Metrics m, Path out, PrintWriter console) {
        console.println();
        console.println("Glassbox MNIST: " + m.dataset());
        console.printf("  data      %,d train / %,d test, seed %d%s%n", m.trainSize(), m.testSize(), m.seed(),
                m.shifts() == 0 ? "" : "; readouts also on " + 4 * m.shifts()
                        + " shifted copies of each training image (a kNN readout keeps the originals alone)");
        for (Metrics.LayerMetrics l : m.layers()) {
            console.printf("  %-9s %,d atoms, %.2f active per input, test reconstruction error %.1f%%%n",
                    l.id(), l.atoms(), l.meanActiveAtoms(), 100 * l.relativeReconstructionError());
        }
        for (Map.Entry<String, Double> a : m.accuracy().entrySet()) {
            console.printf("  %-9s test accuracy %.2f%%%n", a.getKey(), 100 * a.getValue());
        }
        if (m.baselines() != null) {
            console.println("  comparison on the same test items:");
            ComparisonTable.print(m.baselines(), m.mcnemar(), m.throughput(), "    ", console);
        }
        console.printf("  time      fit %.1f s, evaluate %.1f s, total %.1f s%n",
                m.seconds().fit(), m.seconds().evaluate(), m.seconds().total());
        boolean parts = m.layers().stream().anyMatch(l -> l.id().equals("L2"));
        console.println("  wrote     " + out.resolve("model") + "/, atlas-L1.png, " + (parts ? "atlas-L2.png, " : "")
                + "metrics.json" + (Files.isDirectory(out.resolve("report")) ? ", report/index.html" : ""));
        console.flush();
    }
}
