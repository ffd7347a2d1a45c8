package org.glassbox.framework.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on standard error, drawn by the {@code me.tongfei:progressbar} library, for a
 * person at a terminal. {@link #forStandardError()} picks {@link LineProgress} instead when
 * standard error is not a terminal (a log file, a pipe, CI).
 */
public final class ConsoleProgress implements Progress {
    /** A bar when a person watches a terminal, otherwise a few lines per task. */
    public static Progress forStandardError() {
        return System.console() != null ? new ConsoleProgress() : new LineProgress(System.err);
    }

    @Override
    public Task task(String name, long total) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(String.format("%-14s", name))
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .continuousUpdate()
                .build();
        return new Task() {
            private boolean ended;

            @Override
            public void step(long units) {
                bar.stepBy(units);
            }

            @Override
            public void endEarly() {
                if (ended) return;
                ended = true;
                bar.close();
            }

            @Override
            public void close() {
                if (ended) return;
                ended = true;
                bar.stepTo(total);
                bar.close();
            }
        };
    }
}
