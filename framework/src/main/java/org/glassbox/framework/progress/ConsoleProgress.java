package org.glassbox.framework.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on standard error, drawn by the {@code me.tongfei:progressbar} library. */
public final class ConsoleProgress implements Progress {
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
            @Override
            public void step(long units) {
                bar.stepBy(units);
            }

            @Override
            public void close() {
                bar.stepTo(total);
                bar.close();
            }
        };
    }
}
