package org.glassbox.bench.common;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock timing of repeated runs: one untimed warm-up, then the median of at least
 * {@link #MIN_RUNS} timed runs, more while the timed runs have taken less than
 * {@link #MIN_TIMED_SECONDS} in all, at most {@link #MAX_RUNS}; or of 1 run when the warm-up
 * took over {@link #LONG_RUN_SECONDS} (on a shared 2-core machine long runs are few and noisy
 * anyway). A run of 25 ms thus gets 21 timed runs and one of 0.4 s gets 5: a single slow run,
 * which this machine's load produces often, does not decide a short measurement.
 * bench/compare_sklearn.py times scikit-learn's side by the same rule.
 */
public final class Timer {
    static final int MIN_RUNS = 3;
    static final int MAX_RUNS = 21;
    static final double MIN_TIMED_SECONDS = 2;
    static final double LONG_RUN_SECONDS = 5;

    private Timer() {
    }

    /** A timed result: the median seconds, how many timed runs it is the median of, and the value of the last run. */
    public record Timed<T>(double seconds, int runs, T value) {
    }

    public static <T> Timed<T> median(Supplier<T> work) {
        long w = System.nanoTime();
        T value = work.get();
        boolean longRun = (System.nanoTime() - w) / 1e9 > LONG_RUN_SECONDS;
        double[] s = new double[MAX_RUNS];
        int runs = 0;
        double spent = 0;
        do {
            long t0 = System.nanoTime();
            value = work.get();
            s[runs] = (System.nanoTime() - t0) / 1e9;
            spent += s[runs++];
        } while (!longRun && (runs < MIN_RUNS || (runs < MAX_RUNS && spent < MIN_TIMED_SECONDS)));
        Arrays.sort(s, 0, runs);
        double median = runs % 2 == 1 ? s[runs / 2] : (s[runs / 2 - 1] + s[runs / 2]) / 2;
        return new Timed<>(median, runs, value);
    }
}
