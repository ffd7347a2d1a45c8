package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.mnist.DefaultStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the command line for bad input. */
class MainTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void missingDataFolderExitsWithTwoAndOneLine() {
        Path missing = tmp.resolve("nowhere");
        Result r = run("mnist", "--out", tmp.resolve("out").toString(), "--data", missing.toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + missing + ": folder not found (expected a folder with the four IDX files "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, "
                + "each optionally .gz)" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void debugAddsTheStackTrace() {
        Result r = run("mnist", "--debug", "--out", tmp.resolve("out").toString(), "--data", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat org.glassbox."), r.err());
    }

    @Test
    void invalidHyperparameterInAStackFileNamesFileAndParameter() throws java.io.IOException {
        Path stack = tmp.resolve("stack.json");
        Files.writeString(stack, "{\"stages\": [{\"id\": \"L1.code\", \"kind\": \"sparse-coding\", \"spec\": "
                + "{\"atomPrefix\": \"L1\", \"atoms\": 0, \"lambda\": 0.5, \"nonNegative\": true, \"encoder\": \"FISTA\", "
                + "\"k\": 1, \"iterations\": 10, \"tolerance\": 0.001, \"epochs\": 1, \"batchSize\": 16, "
                + "\"maxSamples\": 100}}], \"readouts\": []}");
        Result r = run("mnist", "--out", tmp.resolve("out").toString(), "--stack", stack.toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + stack + ": stage \"L1.code\" (sparse-coding): invalid atoms = 0: expected at least 1"
                + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void mnistShiftsAreBoundedByTheImagesBeforeTheFit() {
        Path out = tmp.resolve("out");
        Result r = run("mnist", "--out", out.toString(), "--shifts", "1000");
        assertEquals(2, r.code());
        assertEquals("glassbox: invalid --shifts = 1000: expected at most 27: the images of " + EmbeddedMnist.NAME
                + " are 28 x 28 pixels, and a shift by a full side or more only adds blank copies"
                + System.lineSeparator(), r.err());
        assertFalse(Files.exists(out), "nothing written");
        r = run("mnist", "--out", out.toString(), "--shifts", "-1");
        assertEquals(2, r.code());
        assertEquals("glassbox: invalid --shifts = -1: expected at least 0" + System.lineSeparator(), r.err());
    }

    @Test
    void mnistChecksTheStackAgainstTheDataAndBaselinesBeforeTheFit() throws java.io.IOException {
        Path out = tmp.resolve("out");
        StackDescription defaults = DefaultStack.defaults(10);
        Path stack = tmp.resolve("knn-only.json");
        Files.writeString(stack, new StackDescription(defaults.stages(),
                List.of(new StackDescription.ReadoutStage("knn", KnnSpec.defaults(10).withK(8001)))).toJson().toString());
        Result r = run("mnist", "--out", out.toString(), "--stack", stack.toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + EmbeddedMnist.NAME + ": stage \"knn\" (knn-readout): invalid k = 8001: expected at "
                + "most the 8000 training samples" + System.lineSeparator(), r.err());
        r = run("mnist", "--out", out.toString(), "--stack", stack.toString(), "--baselines");
        assertEquals(2, r.code());
        assertEquals("glassbox: --baselines compares the readout named \"linear\"; the stack has none"
                + System.lineSeparator(), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void factorsCropsAndImagenetOptionsAreCheckedBeforeAnyFileIsRead() {
        String missing = tmp.resolve("missing.txt").toString();
        String out = tmp.resolve("out").toString();
        String[][] cases = {
                {"factors", "--vectors", missing, "--out", out, "--factors", "0"},
                {"factors", "--vectors", missing, "--out", out, "--factors", "46341"},
                {"factors", "--vectors", missing, "--out", out, "--top", "0"},
                {"crops", "--out", out, "--per-photo", "0", missing},
                {"crops", "--out", out, "--size", "-3", missing},
                {"crops", "--out", out, "--test-fraction", "1", missing},
                {"crops", "--out", out, "--test-per-photo", "0", missing},
                {"imagenet", "--data", missing, "--out", out, "--readout-crops", "0"}};
        String[] messages = {
                "invalid --factors = 0: expected between 1 and 46340",
                "invalid --factors = 46341: expected between 1 and 46340",
                "invalid --top = 0: expected at least 1",
                "invalid --per-photo = 0: expected at least 1",
                "invalid --size = -3: expected at least 1",
                "invalid --test-fraction = 1.0: expected at least 0 and below 1",
                "invalid --test-per-photo = 0: expected at least 1 when --test-fraction > 0",
                "invalid --readout-crops = 0: expected between 1 and 64"};
        for (int i = 0; i < cases.length; i++) {
            Result r = run(cases[i]);
            assertEquals(2, r.code(), messages[i]);
            assertEquals("glassbox: " + messages[i] + System.lineSeparator(), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void unknownOptionIsAUsageErrorWithCodeTwo() {
        Result r = run("mnist", "--out", tmp.toString(), "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("Unknown option: '--bogus'"), r.err());
    }

    @Test
    void imagenetWithAMissingDataFolderExitsWithTwoAndWritesNothing() {
        Path missing = tmp.resolve("nowhere");
        Result r = run("imagenet", "--data", missing.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + missing + ": folder not found (expected an ILSVRC-2012 folder with train/ and val/, "
                + "or one folder per class, each holding .jpg, .jpeg or .png images)" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void imagenetRefusesAStackWithBranchesNamingTheFile() throws java.io.IOException {
        Path stack = Files.writeString(tmp.resolve("branched.json"), DefaultStack.defaults(10).toJson().toString());
        Result r = run("imagenet", "--data", tmp.toString(), "--out", tmp.resolve("out").toString(),
                "--stack", stack.toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + stack + ": \"branches\": the imagenet command fits stacks without branches "
                + "(this one has 1)" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void imagenetRefusesACropLargerThanTheScaledImage() {
        Result r = run("imagenet", "--data", tmp.toString(), "--out", tmp.resolve("out").toString(), "--crop", "40");
        assertEquals(2, r.code());
        assertEquals("glassbox: invalid --resize = 36: expected at least the crop, 40" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }
}
