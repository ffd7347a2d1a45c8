package org.glassbox.bench;

import java.util.concurrent.TimeUnit;
import org.glassbox.framework.linalg.Lapack;
import org.glassbox.framework.linalg.ShiftInvertLanczos;
import org.glassbox.layers.manifold.ManifoldProblem;
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
 * The manifold-embedding eigen-solve S p = mu V p on realistic matrices: S and V from the top-8
 * codes of the whitened 8 x 8 patches of 1,000 real digits against K atoms, over the K' atoms the
 * codes use ({@link ManifoldProblem}), not random SPD matrices. Three solvers: the layer's own
 * ({@link ShiftInvertLanczos#smallest}, the {@link #SMALLEST} smallest pairs), LAPACK's dense
 * reduction for the same pairs ({@link Lapack#smallestGeneralizedEigen}) and all pairs
 * ({@link Lapack#generalizedSymmetricEigen}, dsygvd), all in float64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class EigenBenchmark {
    /** Eigenpairs the smallest-pair solvers compute (as in {@code compare-sklearn.sh}'s first comparison). */
    static final int SMALLEST = 16;

    @Param({"2048", "4096"})
    public int atoms;

    private ManifoldProblem m;

    @Setup(Level.Trial)
    public void setUp() {
        m = ManifoldProblem.build(atoms, 1000);
    }

    @Benchmark
    public Lapack.Eigen allPairsDense() {
        return Lapack.generalizedSymmetricEigen(m.s(), m.v(), m.active());
    }

    @Benchmark
    public Lapack.EigenSubset smallestPairsDense() {
        return Lapack.smallestGeneralizedEigen(m.s(), m.v(), m.active(), SMALLEST);
    }

    @Benchmark
    public Lapack.EigenSubset smallestPairsLanczos() {
        return ShiftInvertLanczos.smallest(m.s(), m.v(), m.active(), SMALLEST);
    }
}
