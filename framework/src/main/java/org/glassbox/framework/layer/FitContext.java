package org.glassbox.framework.layer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.glassbox.framework.progress.Progress;

/**
 * What one fit shares across its stages: the seed (recorded in the model's provenance) and the
 * progress reporter. Each stage draws its randomness from {@link #random(String)}, which depends
 * only on the seed and the stage id, so a stage's result does not depend on how much randomness
 * earlier stages used: same seed, same data, same thread count, the same model.
 */
public record FitContext(long seed, Progress progress) {
    /** A context that reports no progress. */
    public static FitContext silent(long seed) {
        return new FitContext(seed, Progress.silent());
    }

    /** A generator seeded by the fit's seed and {@code stageId}, the same on every call. */
    public SplittableRandom random(String stageId) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (byte b : stageId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }
}
