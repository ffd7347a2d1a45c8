package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of {@code ./glassbox topology} for a bad image folder or size. */
class TopologyCommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void anImageFolderWithoutImagesExitsWithTwoAndOneLine() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("photos").resolve("cats"));
        MainTest.Result r = MainTest.run("topology", "--data", data.getParent().toString(), "--scramble", "1",
                "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: " + data.getParent() + ": no images in any of its 1 class folders (expected one folder "
                + "per class, each holding .jpg, .jpeg or .png images)" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aSizeTooSmallExitsWithTwoAndOneLine() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("photos").resolve("cats"));
        MainTest.Result r = MainTest.run("topology", "--data", data.getParent().toString(), "--size", "2",
                "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals("glassbox: invalid --size = 2: expected a side of 4 to 64 pixels" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
