package org.glassbox.framework.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-file output rule: each refusal with its message, and what passes. */
class OutputFileTest {
    @TempDir
    Path tmp;

    @Test
    void aNewFileOutsideTheInputsPassesAsItsResolvedPath() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertEquals(real.toRealPath().resolve("p.csv"), OutputFile.check(link.resolve("p.csv"), false,
                Arrays.asList(tmp.resolve("model"), null)));
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        Path file = Files.writeString(tmp.resolve("p.csv"), "mine");
        GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFile.check(file, false, List.of()));
        assertEquals(file + ": --out exists; choose a new file name, or pass --force to replace it", e.getMessage());
        assertEquals(file.toRealPath(), OutputFile.check(file, true, List.of()));
        assertEquals("mine", Files.readString(file), "checking writes nothing");
    }

    @Test
    void aFolderAndAFileInsideAnInputAreRefusedEvenWithForce() throws IOException {
        Path model = Files.createDirectory(tmp.resolve("model"));
        Path link = Files.createSymbolicLink(tmp.resolve("alias"), model);
        GlassboxException e = assertThrows(GlassboxException.class, () -> OutputFile.check(model, true, List.of()));
        assertEquals(model + ": --out is a folder (expected a file to write)", e.getMessage());
        Path inside = link.resolve("manifest.json");
        e = assertThrows(GlassboxException.class, () -> OutputFile.check(inside, true, List.of(model)));
        assertEquals(inside + ": --out is inside the input " + model + " (choose a file outside the command's inputs)",
                e.getMessage());
    }
}
