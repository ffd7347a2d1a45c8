package org.glassbox.bench;

import java.util.concurrent.TimeUnit;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * One epoch of online dictionary learning (Mairal et al. 2010) through the layer's public fit
 * ({@link SparseCodingSpec#fit}, the default coordinate-descent encoder, mini-batches of 256) on
 * {@code samples} real whitened 8 x 8 patches ({@link PatchData}). The time includes the fit's
 * initialisation and its final usage pass, which encodes every sample once more with the final
 * dictionary: one epoch plus one encoding pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class DictionaryLearningBenchmark {
    @Param({"1024"})
    public int atoms;

    @Param({"4096"})
    public int samples;

    @Param({"0.5"})
    public double lambda;

    private MapSource source;

    @Setup(Level.Trial)
    public void setUp() {
        INDArray x = PatchData.whitenedPatches(PatchData.whitener(8), samples, 31L);
        source = MapSource.of(x.reshape('c', samples, 1, 1, x.size(1)));
    }

    @Benchmark
    public SparseCodingLayer oneEpoch() {
        SparseCodingSpec spec = SparseCodingSpec.of("L1", atoms, lambda).withEpochs(1).withMaxSamples(samples);
        return spec.fit("L1.code", source, FitContext.silent(5L));
    }
}
