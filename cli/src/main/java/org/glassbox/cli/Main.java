package org.glassbox.cli;

import java.io.PrintWriter;
import org.glassbox.framework.error.GlassboxException;
import picocli.CommandLine;

/**
 * The {@code ./glassbox} entry point. A {@link GlassboxException} (bad input: a missing or corrupt
 * file, a wrong shape, an invalid hyperparameter) prints one line, {@code glassbox: <message>},
 * and exits with code 2, with a stack trace only under {@code --debug}; usage errors exit 2 too.
 * Any other exception is a bug: it prints its stack trace and exits with code 1.
 */
public final class Main {
    /** Exit code of bad input and usage errors. */
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code, writing to {@code out} and {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        GlassboxCommand root = new GlassboxCommand();
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = root.debug;
            if (ex instanceof GlassboxException) {
                err.println("glassbox: " + ex.getMessage());
                if (debug) ex.printStackTrace(err);
                err.flush();
                return BAD_INPUT;
            }
            err.println("glassbox: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cmd.execute(args);
    }
}
