package org.glassbox.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrambledMnistRunTest {
    @TempDir
    Path dir;

    private MnistRun.Options options(boolean baselines) {
        return new MnistRun.Options(dir.resolve("out"), null, 1, DefaultStack.defaults(10), baselines, 0, false, null, 2000);
    }

    @Test
    void aScrambleWithoutRecoveryAndRecoveryWithoutAScrambleAreRefusedBeforeAnyWork() {
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> ScrambledMnistRun.run(options(false), 3L, false, Progress.silent(), quiet));
        assertEquals("--scramble SEED and --recover-topology go together: the stack is fitted on the scrambled images "
                + "put back on the grid recovered from them", e.getMessage());
        assertThrows(GlassboxException.class, () -> ScrambledMnistRun.run(options(false), null, true, Progress.silent(), quiet));
        assertThrows(GlassboxException.class, () -> ScrambledMnistRun.run(options(true), 3L, true, Progress.silent(), quiet));
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
