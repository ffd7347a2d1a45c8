package org.glassbox.layers.sparse;

import java.util.concurrent.TimeUnit;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The encoders on a batch of real whitened patches ({@link PatchData}: 8 x 8 patches, d = 64,
 * against K = 1,024 atoms; 12 x 12 patches, d = 144, against K = 4,096), with ND4J's float32
 * matrix product at the same shapes as the anchor, in the same run. The dictionary is K whitened
 * patches sampled from other positions, unit-normed.
 *
 * <p>Each benchmark adds the floating-point operations it performed to the auxiliary counter
 * {@code flop}, which JMH reports as a rate (flop/s; {@code bench/jmh_summary.py} prints GFLOP/s).
 * Counting, 2 flops per multiply-add, element-wise work not counted:
 * <ul>
 * <li>coordinate descent ({@link WorkingSetLasso}, the layer's default LASSO encoder, bound to the
 *     dictionary once in the set-up): the solver's own count, {@link WorkingSetLasso.Result#flops()}:
 *     2 n d K for X D^T plus the Gram-row work of its coordinate updates and optimality checks;</li>
 * <li>FISTA: 2 n d K for X D^T once, plus 2 m K K per iteration for the product Y G over the m rows
 *     still running (the solver's own count, {@link Fista.Result#flops()});</li>
 * <li>threshold, top-k (k = 16), 1-sparse: 2 n d K for X D^T (the 1-sparse search, {@link AtomSearch},
 * computes only part of it: its rate is product-equivalent);</li>
 * <li>gemmCorrelation: [n, d] x [d, K]^T, 2 n d K; gemmGram: [n, K] x [K, K], 2 n K K.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class EncoderBenchmark {
    /** Patch side x atoms: d = side^2. */
    @Param({"8x1024", "12x4096"})
    public String shape;

    /** The LASSO weight and threshold (whitened patches have mean norm about 3 at 8 x 8). */
    @Param({"0.5"})
    public double lambda;

    /** Rows per batch (FISTA solves blocks of 1,024). */
    @Param({"1024"})
    public int rows;

    /** FISTA's stopping tolerance on the relative step (1e-4 reached equal objective with lasso_cd) and iteration cap. */
    @Param({"1e-4"})
    public double tolerance;

    /** Coordinate descent's tolerance on the relative duality gap (the layer's default is 1e-4). */
    @Param({"1e-4"})
    public double gapTolerance;

    private INDArray x;
    private INDArray dict;
    private AtomSearch search;
    private INDArray denseCodes;
    private INDArray gram;
    private INDArray corrOut;
    private INDArray gramOut;
    private Fista fista;
    private WorkingSetLasso lasso;
    private int d;
    private int atoms;

    /** The flops of the calls in one measurement iteration, reported by JMH as a rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public long flop;

        @Setup(Level.Iteration)
        public void reset() {
            flop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int side = Integer.parseInt(p[0]);
        atoms = Integer.parseInt(p[1]);
        Pipeline whitener = PatchData.whitener(side);
        x = PatchData.whitenedPatches(whitener, rows, 1L);
        dict = PatchData.benchmarkDictionary(whitener, atoms);
        search = new AtomSearch(dict, false);
        d = side * side;
        fista = new Fista(dict, lambda, false, 200, tolerance);
        lasso = new WorkingSetLasso(dict, lambda, false, 1000, gapTolerance);
        denseCodes = Nd4j.rand(DataType.FLOAT, rows, atoms);
        gram = Nd4j.gemm(dict, dict, false, true);
        corrOut = Nd4j.create(DataType.FLOAT, rows, atoms);
        gramOut = Nd4j.create(DataType.FLOAT, rows, atoms);
    }

    @Benchmark
    public INDArray fista(Flops f) {
        Fista.Result r = fista.solve(x, null);
        f.flop += r.flops();
        return r.codes();
    }

    @Benchmark
    public INDArray coordinateDescent(Flops f) {
        WorkingSetLasso.Result r = lasso.solve(x);
        f.flop += r.flops();
        return r.codes();
    }

    @Benchmark
    public INDArray threshold(Flops f) {
        f.flop += 2L * rows * d * atoms;
        return CorrelationEncoders.threshold(x, dict, lambda, false);
    }

    @Benchmark
    public INDArray topK(Flops f) {
        f.flop += 2L * rows * d * atoms;
        return CorrelationEncoders.topK(x, dict, 16, false);
    }

    @Benchmark
    public INDArray oneSparse(Flops f) {
        f.flop += 2L * rows * d * atoms;
        return search.encode(x).dense();
    }

    @Benchmark
    public INDArray gemmCorrelation(Flops f) {
        f.flop += 2L * rows * d * atoms;
        return Nd4j.gemm(x, dict, corrOut, false, true, 1.0, 0.0);
    }

    @Benchmark
    public INDArray gemmGram(Flops f) {
        f.flop += 2L * rows * atoms * atoms;
        return Nd4j.gemm(denseCodes, gram, gramOut, false, false, 1.0, 0.0);
    }
}
