package org.glassbox.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every model's speed measured the same way in one process, after all of them are trained: the
 * same images, the same batch size, the same threads, a warm JVM. One untimed warm-up round, then
 * {@link Settings#rounds()} timed rounds; in each round every model in turn classifies the same
 * {@link Settings#images()} test images in batches of {@link Settings#inferenceBatch()}, and each model
 * trained in steps takes steps over as many training images at its recipe's batch size, on a copy of
 * the network (the compared weights do not change). Taking the models in turn within each round
 * spreads the changing load of a shared machine over all of them; each rate is the median of its
 * rounds.
 */
public final class Throughput {
    private Throughput() {
    }

    /**
     * How the speeds were measured (written to metrics.json).
     *
     * @param images test images classified per pass, and training images per pass of steps
     * @param inferenceBatch images per forward pass when classifying
     * @param rounds timed rounds after the warm-up round; each rate is the median over them
     * @param nd4jThreads ND4J's OpenMP threads during the measurement
     * @param blasThreads OpenBLAS's threads
     */
    public record Settings(int images, @JsonProperty("inference_batch") int inferenceBatch, int rounds,
                           @JsonProperty("nd4j_threads") int nd4jThreads,
                           @JsonProperty("blas_threads") int blasThreads) {
        public Settings {
            if (images < 1) throw new InvalidParameterException("images", images, "at least 1");
            if (inferenceBatch < 1) throw new InvalidParameterException("inferenceBatch", inferenceBatch, "at least 1");
            if (rounds < 1) throw new InvalidParameterException("rounds", rounds, "at least 1");
            if (nd4jThreads < 1) throw new InvalidParameterException("nd4jThreads", nd4jThreads, "at least 1");
        }

        /**
         * Up to 2,000 images, batches of 256 (the white-box pipeline's batch), 3 rounds, {@code threads}
         * ND4J threads and OpenBLAS's current thread count.
         */
        public static Settings of(int availableImages, int threads) {
            return new Settings(Math.min(2000, availableImages), 256, 3, threads, currentBlasThreads());
        }

        /** OpenBLAS's thread count as ND4J reports it. */
        static int currentBlasThreads() {
            Object t = Nd4j.getExecutioner().getEnvironmentInformation().get("blas.threads");
            return t == null ? 0 : Integer.parseInt(t.toString());
        }
    }

    /** A model whose speed is measured. */
    public interface Subject {
        /** The model's name. */
        String name();

        /** The class of each image of {@code nhwc}, {@code [n, height, width, channels]}. */
        int[] predict(INDArray nhwc);

        /** Images per training step, or 0 for a model not trained in steps. */
        default int trainBatch() {
            return 0;
        }

        /** One training step on {@code nhwc} with {@code oneHot} labels, on a copy of the model. */
        default void trainStep(INDArray nhwc, INDArray oneHot) {
            throw new UnsupportedOperationException(name() + " is not trained in steps");
        }
    }

    /** A model not trained in steps (such as the white-box stack) that classifies with {@code predict}. */
    public static Subject of(String name, Function<INDArray, int[]> predict) {
        return new Subject() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int[] predict(INDArray nhwc) {
                return predict.apply(nhwc);
            }
        };
    }

    /** A trained baseline; its training steps run on a copy of its network, made once. */
    public static Subject of(BaselineResult baseline) {
        return new Subject() {
            private MultiLayerNetwork copy;

            @Override
            public String name() {
                return baseline.name();
            }

            @Override
            public int[] predict(INDArray nhwc) {
                int[] out = new int[(int) nhwc.size(0)];
                Baselines.argmax(baseline.network().output(baseline.scaling().apply(Baselines.nchwRows(nhwc)), false),
                        out, 0);
                return out;
            }

            @Override
            public int trainBatch() {
                return baseline.recipe().batchSize();
            }

            @Override
            public void trainStep(INDArray nhwc, INDArray oneHot) {
                if (copy == null) copy = baseline.network().clone();
                copy.fit(baseline.scaling().apply(Baselines.nchwRows(nhwc)), oneHot);
            }
        };
    }

    /**
     * One model's rates.
     *
     * @param inference test images classified per second
     * @param train training images per second of training steps, or null for a model not trained in steps
     */
    public record Rates(double inference, Double train) {
    }

    /**
     * Measures every subject on the first {@code settings.images()} images of {@code test} (inference)
     * and of {@code train} (training steps), under {@code settings.nd4jThreads()} ND4J threads.
     */
    public static Map<String, Rates> measure(List<Subject> subjects, ImageSet train, ImageSet test, Settings settings,
                                             Progress progress) {
        int images = Math.min(settings.images(), Math.min(train.size(), test.size()));
        INDArray testImages = first(test.images(), images);
        INDArray trainImages = first(train.images(), images);
        INDArray trainLabels = Baselines.oneHot(Arrays.copyOf(train.labels(), images), train.classes());
        Map<String, double[]> inference = new LinkedHashMap<>();
        Map<String, double[]> training = new LinkedHashMap<>();
        for (Subject s : subjects) {
            inference.put(s.name(), new double[settings.rounds()]);
            if (s.trainBatch() > 0) training.put(s.name(), new double[settings.rounds()]);
        }
        try (CpuSetup threads = CpuSetup.threads(settings.nd4jThreads());
             Progress.Task task = progress.task("throughput", (long) (settings.rounds() + 1) * subjects.size())) {
            for (int round = 0; round <= settings.rounds(); round++) {
                for (Subject s : subjects) {
                    double inferRate = images / time(() -> classify(s, testImages, settings.inferenceBatch()));
                    if (round > 0) inference.get(s.name())[round - 1] = inferRate;
                    if (s.trainBatch() > 0) {
                        double trainRate = images / time(() -> steps(s, trainImages, trainLabels));
                        if (round > 0) training.get(s.name())[round - 1] = trainRate;
                    }
                    task.step(1);
                }
            }
        }
        Map<String, Rates> rates = new LinkedHashMap<>();
        for (Subject s : subjects) {
            rates.put(s.name(), new Rates(median(inference.get(s.name())),
                    training.containsKey(s.name()) ? median(training.get(s.name())) : null));
        }
        return rates;
    }

    private static void classify(Subject s, INDArray images, int batch) {
        long n = images.size(0);
        for (long from = 0; from < n; from += batch) {
            s.predict(rows(images, from, Math.min(n, from + batch)));
        }
    }

    private static void steps(Subject s, INDArray images, INDArray labels) {
        long n = images.size(0);
        int batch = s.trainBatch();
        for (long from = 0; from < n; from += batch) {
            long to = Math.min(n, from + batch);
            s.trainStep(rows(images, from, to), labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
    }

    private static INDArray first(INDArray images, int n) {
        return rows(images, 0, n).dup('c');
    }

    private static INDArray rows(INDArray images, long from, long to) {
        List<org.nd4j.linalg.indexing.INDArrayIndex> index = new ArrayList<>();
        index.add(NDArrayIndex.interval(from, to));
        for (int d = 1; d < images.rank(); d++) index.add(NDArrayIndex.all());
        return images.get(index.toArray(new org.nd4j.linalg.indexing.INDArrayIndex[0]));
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
