package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The encoders' rates against ND4J's float32 gemm, measured so that a shared, loaded machine
 * disturbs the ratio as little as possible: every round times each encoder once and the gemm
 * anchor once, one after the other, on the same 1,024 real whitened patches ({@link PatchData});
 * after {@code ROUNDS} rounds each one's fastest time is kept (the run least disturbed by other
 * processes). Counting as in {@link EncoderBenchmark}: 2 n d K for the correlation product of
 * every encoder; coordinate descent adds its own Gram-row work ({@link WorkingSetLasso.Result#flops()}).
 * The 1-sparse search ({@link AtomSearch}, built once) computes only part of the product, so its
 * rate is product-equivalent: above 1 it is faster than the product alone.
 *
 * <pre>
 *   OPENBLAS_THREAD_TIMEOUT=4 java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.glassbox.layers.sparse.InterleavedRates SIDE ATOMS ROUNDS
 * </pre>
 *
 * prints one line per encoder: fastest milliseconds per 1,024 rows, median, GFLOP/s at the
 * fastest, and that rate over the gemm anchor's at its fastest. The environment variable is the
 * one the {@code ./glassbox} launcher sets; the header line echoes it.
 */
public final class InterleavedRates {
    private InterleavedRates() {
    }

    public static void main(String[] args) {
        int side = Integer.parseInt(args[0]);
        int atoms = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int rows = 1024;
        double lambda = 0.5;
        Pipeline whitener = PatchData.whitener(side);
        INDArray x = PatchData.whitenedPatches(whitener, rows, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        int d = side * side;
        long product = 2L * rows * d * atoms;
        INDArray out = Nd4j.createUninitialized(x.dataType(), rows, atoms);
        WorkingSetLasso lasso = new WorkingSetLasso(dict, lambda, false, 1000, 1e-4);
        Map<String, ToLongFunction<Void>> work = new LinkedHashMap<>();
        work.put("gemm [1024, d] x [d, K]", v -> {
            Nd4j.gemm(x, dict, out, false, true, 1.0, 0.0);
            return product;
        });
        work.put("threshold", v -> {
            CorrelationEncoders.threshold(x, dict, lambda, false);
            return product;
        });
        work.put("top-k (k = 16)", v -> {
            CorrelationEncoders.topK(x, dict, 16, false);
            return product;
        });
        AtomSearch search = new AtomSearch(dict, false);
        work.put("1-sparse (search, product-equivalent)", v -> {
            search.encode(x);
            return product;
        });
        work.put("coordinate descent (gap 1e-4)", v -> lasso.solve(x).flops());
        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, Long> flops = new LinkedHashMap<>();
        for (String name : work.keySet()) seconds.put(name, new double[rounds]);
        for (int r = -2; r < rounds; r++) {
            for (Map.Entry<String, ToLongFunction<Void>> e : work.entrySet()) {
                long t0 = System.nanoTime();
                long f = e.getValue().applyAsLong(null);
                double s = (System.nanoTime() - t0) / 1e9;
                if (r >= 0) {
                    seconds.get(e.getKey())[r] = s;
                    flops.put(e.getKey(), f);
                }
            }
        }
        System.out.printf(Locale.ROOT, "d = %d, K = %d, %d rows, %d rounds, OPENBLAS_THREAD_TIMEOUT=%s%n", d, atoms, rows, rounds,
                System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT", "unset"));
        double anchor = Double.NaN;
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            double[] s = e.getValue().clone();
            Arrays.sort(s);
            double gflops = flops.get(e.getKey()) / s[0] / 1e9;
            if (Double.isNaN(anchor)) {
                anchor = gflops;
            }
            System.out.printf(Locale.ROOT, "%-32s fastest %8.2f ms  median %8.2f ms  %7.2f GFLOP/s  %5.1f%% of gemm%n",
                    e.getKey(), 1e3 * s[0], 1e3 * s[s.length / 2], gflops, 100 * gflops / anchor);
        }
    }
}
