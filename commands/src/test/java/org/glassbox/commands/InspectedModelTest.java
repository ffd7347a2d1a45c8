package org.glassbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link InspectedModel#load} finds the model folder inside a run folder. */
class InspectedModelTest {
    @TempDir
    Path tmp;

    @Test
    void modelFolderLinkedOutsideTheRunFolderIsRefused() throws IOException {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Path model = Files.createSymbolicLink(run.resolve("model"), elsewhere);
        var e = assertThrows(GlassboxException.class, () -> InspectedModel.load(run, null, Progress.silent()));
        assertEquals(model + ": leads outside the folder " + run + " (to " + elsewhere.toRealPath()
                + "): a symbolic link or '..' must not leave it", e.getMessage());
    }
}
