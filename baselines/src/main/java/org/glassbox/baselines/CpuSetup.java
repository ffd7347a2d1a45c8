package org.glassbox.baselines;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's OpenMP thread count for a stretch of work, restored afterwards: {@code try (CpuSetup s =
 * CpuSetup.threads(1)) { ... }}. ND4J runs its own loops (im2col, pooling, activations, the updater)
 * on OpenMP threads and its matrix products in OpenBLAS, whose threads this does not change.
 *
 * <p>Why one thread for the Deeplearning4j baselines on a small shared CPU (docs/performance.md,
 * "Deeplearning4j on 2 cores"): on this project's 2-core machine the per-batch OpenMP loops of a LeNet-5 step are
 * short, so two OpenMP threads spend their time waking and waiting at barriers; under load from other
 * processes a waiting thread whose partner is descheduled spins, and a step took 2.5 to 3.5 times as
 * long with two threads as with one. Deeplearning4j's performance
 * guide names the OpenMP thread count as the setting to lower when the cores are shared.
 */
public final class CpuSetup implements AutoCloseable {
    private final int previousThreads;
    private final int previousMasterThreads;

    private CpuSetup(int threads) {
        Environment env = Nd4j.getEnvironment();
        previousThreads = env.maxThreads();
        previousMasterThreads = env.maxMasterThreads();
        env.setMaxThreads(threads);
        env.setMaxMasterThreads(threads);
    }

    /** Sets ND4J's OpenMP threads to {@code threads} until {@link #close}. */
    public static CpuSetup threads(int threads) {
        return new CpuSetup(threads);
    }

    /** ND4J's OpenMP threads now. */
    public static int current() {
        return Nd4j.getEnvironment().maxThreads();
    }

    @Override
    public void close() {
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(previousThreads);
        env.setMaxMasterThreads(previousMasterThreads);
    }
}
