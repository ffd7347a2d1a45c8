package org.glassbox.framework.progress;

/**
 * Reports the progress of long work. {@link #task} opens one counted task; the command line shows
 * it as a progress bar, tests use {@link #silent()}.
 */
public interface Progress {
    /** Starts a task of {@code total} units named {@code name}; close it when the task ends. */
    Task task(String name, long total);

    /** One counted task. */
    interface Task extends AutoCloseable {
        /** Marks {@code units} more units done. */
        void step(long units);

        /**
         * Marks the task as ending before its total, as an iterative solver does when it converges
         * first: a progress that reports counts ends it here with the units done, where
         * {@link #close} shows the total, and closing afterwards adds nothing. By default nothing
         * happens and {@link #close} ends the task.
         */
        default void endEarly() {
        }

        @Override
        void close();
    }

    /** Reports nothing. */
    static Progress silent() {
        return (name, total) -> new Task() {
            @Override
            public void step(long units) {
            }

            @Override
            public void close() {
            }
        };
    }
}
