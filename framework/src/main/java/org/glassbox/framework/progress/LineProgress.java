package org.glassbox.framework.progress;

import java.io.PrintStream;

/**
 * Progress for logs and pipes, where a redrawn bar would fill the file: one line per quarter of
 * each task and one when it ends, such as {@code L1.code: 392/392 (100%) in 12.3 s, 31.9/s}; a task
 * ended early ({@link Task#endEarly}) ends with the units it did, such as {@code linear L-BFGS:
 * 412/2000 (20%) in 30.2 s, 13.6/s}.
 */
public final class LineProgress implements Progress {
    private final PrintStream out;

    /** Writes to {@code out}. */
    public LineProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public Task task(String name, long total) {
        long start = System.nanoTime();
        return new Task() {
            private long done;
            private int quartersShown;
            private boolean ended;

            @Override
            public void step(long units) {
                done += units;
                int quarters = total <= 0 ? 0 : (int) Math.min(3, 4 * done / total);
                if (quarters > quartersShown) {
                    quartersShown = quarters;
                    line();
                }
            }

            @Override
            public void endEarly() {
                if (ended) return;
                ended = true;
                line();
            }

            @Override
            public void close() {
                if (ended) return;
                ended = true;
                done = Math.max(done, total);
                line();
            }

            private void line() {
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("%s: %d/%d (%d%%) in %.1f s, %.1f/s%n", name, done, total,
                        total <= 0 ? 100 : 100 * done / total, seconds, seconds > 0 ? done / seconds : 0.0);
                out.flush();
            }
        };
    }
}
