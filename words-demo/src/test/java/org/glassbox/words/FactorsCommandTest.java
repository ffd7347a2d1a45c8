package org.glassbox.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code factors --vectors}: what a fit says about the lines it skipped, and the words it needs. */
class FactorsCommandTest {
    @TempDir
    Path dir;

    /** The outcome of one run: exit code, standard output, standard error and the exception it ended with. */
    record Run(int exit, String out, String err, List<Exception> thrown) {
    }

    /** Runs the command with picocli, keeping the exception as the launcher's handler would see it (exit 2). */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<Exception> thrown = new ArrayList<>();
        CommandLine cmd = new CommandLine(new FactorsCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            thrown.add(ex);
            return 2;
        });
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString(), thrown);
    }

    /** {@code n} words of dimension 4 with distinct values, one line each. */
    private static String vectors(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format(Locale.ROOT, "w%d %d %d %d %d%n", i, i % 7, (i * 3) % 5 - 2, i % 2, 1 + i % 3));
        }
        return s.toString();
    }

    @Test
    void fewerWordsThanFactorsIsRefusedBeforeFitting() throws IOException {
        Path file = Files.writeString(dir.resolve("two.txt"), vectors(2), StandardCharsets.UTF_8);
        Path out = dir.resolve("fit");
        Run r = run("--vectors", file.toString(), "--out", out.toString(), "--factors", "20");
        assertEquals(2, r.exit());
        assertEquals(1, r.thrown().size());
        assertEquals(org.glassbox.framework.error.GlassboxException.class, r.thrown().get(0).getClass());
        assertEquals(file + ": 2 valid words read (--words 50000), too few for --factors 20 (expected more words than "
                + "factors)", r.thrown().get(0).getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void asManyWordsAsFactorsIsRefusedToo() throws IOException {
        Path file = Files.writeString(dir.resolve("twenty.txt"), vectors(30), StandardCharsets.UTF_8);
        Run r = run("--vectors", file.toString(), "--out", dir.resolve("fit").toString(), "--factors", "20",
                "--words", "20");
        assertEquals(file + ": 20 valid words read (--words 20), too few for --factors 20 (expected more words than "
                + "factors)", r.thrown().get(0).getMessage());
    }

    /** A word2vec header the reader does not take as one (three numbers) is one skipped line, printed; the fit goes on. */
    @Test
    void skippedLinesAreCountedAndShownAndTheFitGoesOn() throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.txt"), "30 4 extra\n" + vectors(30), StandardCharsets.UTF_8);
        Path out = dir.resolve("fit");
        Run r = run("--vectors", file.toString(), "--out", out.toString(), "--factors", "3", "--iterations", "5");
        assertEquals(0, r.exit(), r.err() + r.thrown());
        assertEquals("glassbox: skipped 1 bad line(s) of " + file + ", the first:\n"
                + "  " + file + " line 1: expected 4 values after the word but found 2\n", r.err());
        assertTrue(r.out().startsWith("30 words x 4 dimensions from " + file), r.out());
        assertTrue(Files.isRegularFile(out.resolve("factors.json")));
    }
}
