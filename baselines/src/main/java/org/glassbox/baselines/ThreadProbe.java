package org.glassbox.baselines;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The measurement behind {@link Recipes#THREADS}: in one JVM, the LeNet-5 recipe's training steps and
 * inference on the embedded digits, alternating between 1 and 2 ND4J OpenMP threads round after round,
 * so both settings see the same changing load. Prints one line per round and setting, then the median
 * of each.
 *
 * <pre>
 *   java -cp "cli/target/classes:$(cat cli/target/classpath.txt)" org.glassbox.baselines.ThreadProbe [rounds] [steps]
 * </pre>
 *
 * (the {@code ./glassbox} launcher's environment, {@code OPENBLAS_THREAD_TIMEOUT=4}, should be set the
 * same way). Defaults: 4 rounds, 30 training steps of 64 images and 2,000 images classified in
 * batches of 256 per round and setting.
 */
public final class ThreadProbe {
    private ThreadProbe() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        ImageSet train = EmbeddedMnist.split().train();
        Recipe recipe = Recipes.lenet5(10, 1);
        INDArray x = Baselines.nchwRows(train.images());
        INDArray y = Baselines.oneHot(train.labels(), 10);
        MultiLayerNetwork net = new MultiLayerNetwork(recipe.network(train.shape()));
        net.init();
        int batch = recipe.batchSize();
        System.out.printf("ThreadProbe: LeNet-5 recipe, %d rounds, %d steps of %d images, 2000 images classified in "
                + "batches of 256; OpenBLAS threads %d, OPENBLAS_THREAD_TIMEOUT=%s%n", rounds, steps, batch,
                Throughput.Settings.currentBlasThreads(), System.getenv("OPENBLAS_THREAD_TIMEOUT"));
        int[] settings = {1, 2};
        double[][] train1 = new double[settings.length][rounds];
        double[][] infer1 = new double[settings.length][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int s = 0; s < settings.length; s++) {
                try (CpuSetup threads = CpuSetup.threads(settings[s])) {
                    long start = System.nanoTime();
                    for (int step = 0; step < steps; step++) {
                        long from = (long) step * batch % (x.size(0) - batch);
                        net.fit(x.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all()),
                                y.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all()));
                    }
                    double trainRate = (double) steps * batch / ((System.nanoTime() - start) / 1e9);
                    start = System.nanoTime();
                    for (long from = 0; from < 2000; from += 256) {
                        net.output(x.get(NDArrayIndex.interval(from, Math.min(2000, from + 256)), NDArrayIndex.all()), false);
                    }
                    double inferRate = 2000 / ((System.nanoTime() - start) / 1e9);
                    if (round < 0) continue;
                    train1[s][round] = trainRate;
                    infer1[s][round] = inferRate;
                    System.out.printf("round %d  ND4J threads %d  train %7.0f images/s  inference %7.0f images/s%n",
                            round + 1, settings[s], trainRate, inferRate);
                }
            }
        }
        for (int s = 0; s < settings.length; s++) {
            System.out.printf("median   ND4J threads %d  train %7.0f images/s  inference %7.0f images/s   (train %s)%n",
                    settings[s], Throughput.median(train1[s]), Throughput.median(infer1[s]), Arrays.toString(
                            Arrays.stream(train1[s]).mapToLong(Math::round).toArray()));
        }
    }
}
