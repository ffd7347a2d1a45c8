package org.glassbox.imagenet;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.glassbox.framework.progress.Progress;

/**
 * A child JVM for {@link ImagenetRunTest}: runs {@code ImagenetRun} with the test's options on
 * {@code args[0]} (data) into {@code args[1]} (out), to be killed part-way.
 */
public final class RunChild {
    private RunChild() {
    }

    public static void main(String[] args) {
        ImagenetRun.run(ImagenetRunTest.options(Path.of(args[0]), Path.of(args[1]), false), Progress.silent(),
                new SkipLog(s -> { }), new PrintWriter(System.out, true));
    }
}
