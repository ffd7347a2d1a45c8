package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model subcommands (predict and the inspection commands) are registered and report bad input with exit code 2 and one line. */
class InspectCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void missingModelFolderExitsWithTwo() {
        Path missing = tmp.resolve("no-model");
        String expected = "glassbox: " + missing + ": model folder not found (expected a folder holding manifest.json)"
                + System.lineSeparator();
        for (String[] args : new String[][] {
                {"explain", "--model", missing.toString(), "--index", "0", "--json"},
                {"ablate", "--model", missing.toString(), "--atoms", "L1/a0", "--json"},
                {"report", "--model", missing.toString()},
                {"inspect", "--model", missing.toString(), "--out", tmp.resolve("export").toString()},
                {"predict", "--model", missing.toString(), "--out", tmp.resolve("p.csv").toString()}}) {
            MainTest.Result r = MainTest.run(args);
            assertEquals(2, r.code(), args[0]);
            assertEquals(expected, r.err(), args[0]);
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedBeforeTheModelIsRead() {
        String missing = tmp.resolve("no-model").toString();
        String[][] cases = {
                {"explain", "--model", missing, "--index", "-1"},
                {"ablate", "--model", missing, "--sweep", "0"},
                {"ablate", "--model", missing, "--atoms", "L1/a0", "--count", "0"},
                {"ablate", "--model", missing, "--top-for-class", "-1"}};
        String[] messages = {
                "invalid --index = -1: expected at least 0",
                "invalid --sweep = 0: expected at least 1",
                "invalid --count = 0: expected at least 1",
                "invalid --top-for-class = -1: expected at least 0"};
        for (int i = 0; i < cases.length; i++) {
            MainTest.Result r = MainTest.run(cases[i]);
            assertEquals(2, r.code(), messages[i]);
            assertEquals("glassbox: " + messages[i] + System.lineSeparator(), r.err());
        }
    }
}
