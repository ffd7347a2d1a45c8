package org.glassbox.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock timing of repeated runs: one untimed warm-up, then the median of 3 timed runs, or of
 * 1 when the warm-up took over 5 s (on a shared 2-core machine long runs are few and noisy anyway).
 */
final class Timer {
    private Timer() {
    }

    /** A timed result: the median seconds and the value of the last run. */
    record Timed<T>(double seconds, T value) {
    }

    static <T> Timed<T> median(Supplier<T> work) {
        long w = System.nanoTime();
        T value = work.get();
        int reps = (System.nanoTime() - w) / 1e9 > 5 ? 1 : 3;
        double[] s = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            value = work.get();
            s[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return new Timed<>(s[reps / 2], value);
    }
}
