package org.glassbox.framework.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeNameTest {
    static final String EXPECTED = "expected 1 to 100 characters from A-Z, a-z, 0-9, '.', '-' and '_', not starting with '.'";

    @TempDir
    Path tmp;

    @Test
    void acceptsTheIdsAndArrayNamesInUse() {
        for (String name : List.of("L1.code", "L2.pool", "pixels_knn", "linear", "C1-code", "dictionary", "L1.code.usage.npy",
                "x".repeat(100))) {
            assertEquals(name, SafeName.check("id", name));
        }
    }

    @Test
    void refusesEveryNameThatIsNotOneHarmlessPathComponent() {
        for (String name : List.of("", ".", "..", ".hidden", "../../evil", "a/b", "a\\b", "/tmp/x", "C:x", "a b", "é",
                "a\nb", "a\0b")) {
            var e = assertThrows(GlassboxException.class, () -> SafeName.check("id", name), name);
            assertEquals("invalid id = '" + name + "': " + EXPECTED, e.getMessage());
        }
        var e = assertThrows(GlassboxException.class, () -> SafeName.check("id", null));
        assertEquals("invalid id = null: " + EXPECTED, e.getMessage());
    }

    @Test
    void aTooLongNameIsShownCut() {
        var e = assertThrows(GlassboxException.class, () -> SafeName.check("array name", "a".repeat(5000)));
        assertEquals("invalid array name = '" + "a".repeat(100) + "...' (5000 characters): " + EXPECTED, e.getMessage());
    }

    @Test
    void insideAcceptsARelativeFolderSuchAsDot() {
        // the working directory of a test is its module folder; "." normalises to the empty path
        Path file = SafeName.inside(Path.of("."), "pom.xml");
        assertEquals(Path.of(".", "pom.xml"), file);
        assertTrue(Files.isRegularFile(file));
        assertEquals(Path.of("src/..", "pom.xml"), SafeName.inside(Path.of("src/.."), "pom.xml"));
    }

    @Test
    void insideRefusesAPathThatLeavesTheFolderAndReturnsAMissingOneAsIs() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("folder"));
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "x");
        var e = assertThrows(GlassboxException.class, () -> SafeName.inside(folder, "../outside.txt"));
        assertEquals(folder.resolve("../outside.txt") + ": leads outside the folder " + folder + " (to "
                + outside.toRealPath() + "): a symbolic link or '..' must not leave it", e.getMessage());
        assertEquals(folder.resolve("missing.txt"), SafeName.inside(folder, "missing.txt"));
        Files.createSymbolicLink(folder.resolve("inner-link"), Files.writeString(folder.resolve("inner.txt"), "y"));
        assertEquals(folder.resolve("inner-link"), SafeName.inside(folder, "inner-link"), "a link inside the folder is fine");
    }
}
