package org.glassbox.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glassbox.baselines.CpuSetup;
import org.glassbox.baselines.Recipes;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.layer.SparseInput;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.framework.model.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a saved model's inference time goes: each stage's time and the linear readout's over the
 * embedded test digits, in batches of 256 under the threads of {@code --baselines}' throughput
 * ({@link Recipes#THREADS} ND4J threads), stage by stage as {@code Pipeline.transform} runs them
 * (a sparse-coding stage hands its non-zeros to the embedding). Prints, for each of five rounds,
 * images/s and microseconds a digit per stage; the first round warms the JIT compiler up.
 *
 * <pre>
 *   StageTimes MODEL_DIR
 * </pre>
 */
public final class StageTimes {
    private StageTimes() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: StageTimes MODEL_DIR (a model folder written by ./glassbox mnist)");
            System.exit(2);
        }
        Model model = Model.load(Path.of(args[0]));
        List<Layer> stages = model.pipeline().stages();
        Readout linear = model.linearReadout();
        INDArray images = EmbeddedMnist.split().test().images().dup('c');
        long n = images.size(0);
        try (CpuSetup threads = CpuSetup.threads(Recipes.THREADS)) {
            for (int round = 0; round < 5; round++) {
                long[] nanos = new long[stages.size() + 1];
                long start = System.nanoTime();
                for (long from = 0; from < n; from += 256) {
                    INDArray x = images.get(NDArrayIndex.interval(from, Math.min(n, from + 256)), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all());
                    for (int s = 0; s < stages.size(); s++) {
                        long t0 = System.nanoTime();
                        if (stages.get(s) instanceof SparseOutput coder && s + 1 < stages.size()
                                && stages.get(s + 1) instanceof SparseInput reader) {
                            SparseRows codes = coder.encodeSparse(x);
                            long t1 = System.nanoTime();
                            nanos[s] += t1 - t0;
                            x = reader.encodeSparse(codes);
                            nanos[++s] += System.nanoTime() - t1;
                        } else {
                            x = stages.get(s).encode(x);
                            nanos[s] += System.nanoTime() - t0;
                        }
                    }
                    long t0 = System.nanoTime();
                    linear.predict(x);
                    nanos[stages.size()] += System.nanoTime() - t0;
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: %.0f images/s;", round,
                        n / ((System.nanoTime() - start) / 1e9)));
                for (int s = 0; s <= stages.size(); s++) {
                    String id = s < stages.size() ? stages.get(s).id() : "linear";
                    line.append(String.format(Locale.ROOT, " %s %.0f", id, nanos[s] / 1e3 / n));
                }
                System.out.println(line.append(" (microseconds a digit)"));
            }
        }
    }
}
