package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFolderTreeTest {
    @TempDir
    Path root;

    private final List<String> lines = new ArrayList<>();
    private final SkipLog log = new SkipLog(lines::add);

    @Test
    void readsClassesAndFilesInNameOrderSkippingWrongExtensionsAndEmptyClasses() throws Exception {
        TestImages.solidPng(root.resolve("n02/b.png"), 4, 4, 0);
        TestImages.solidPng(root.resolve("n02/a.JPEG"), 4, 4, 0);
        TestImages.solidPng(root.resolve("n02/deeper/c.jpg"), 4, 4, 0);
        TestImages.text(root.resolve("n02/notes.txt"), "not an image");
        TestImages.text(root.resolve("n02/.DS_Store"), "hidden");
        Files.createDirectories(root.resolve("n01"));
        TestImages.solidPng(root.resolve("n03/x.png"), 4, 4, 0);
        TestImages.text(root.resolve("README"), "a plain file in the root");

        ImageFiles files = ClassFolderTree.read(root, log);

        assertEquals(List.of("n02", "n03"), files.classes());
        assertEquals(List.of(root.resolve("n02/a.JPEG"), root.resolve("n02/b.png"), root.resolve("n02/deeper/c.jpg"),
                root.resolve("n03/x.png")), files.files());
        assertArrayEquals(new int[] {0, 0, 0, 1}, files.labels());
        assertEquals(List.of("skipped " + root.resolve("n01") + ": empty class folder, class skipped",
                "skipped " + root.resolve("n02/notes.txt") + ": not a .jpg, .jpeg or .png file"), sorted(lines));
        assertEquals(1, log.count(SkipLog.Reason.EMPTY_CLASS));
        assertEquals(1, log.count(SkipLog.Reason.WRONG_EXTENSION));
        assertEquals(List.of("n01", "n02", "n03"), ClassFolderTree.classFolders(root));
    }

    @Test
    void aClassFolderHoldingOnlyWrongExtensionsIsEmpty() {
        TestImages.text(root.resolve("a/readme.md"), "x");
        TestImages.solidPng(root.resolve("b/1.png"), 2, 2, 0);

        ImageFiles files = ClassFolderTree.read(root, log);

        assertEquals(List.of("b"), files.classes());
        assertEquals(List.of("skipped " + root.resolve("a/readme.md") + ": not a .jpg, .jpeg or .png file",
                "skipped " + root.resolve("a") + ": empty class folder, class skipped"), lines);
    }

    @Test
    void missingFolderIsNamed() {
        Path missing = root.resolve("nowhere");
        GlassboxException e = assertThrows(GlassboxException.class, () -> ClassFolderTree.read(missing, log));
        assertEquals(missing + ": folder not found (expected one folder per class, each holding .jpg, .jpeg or .png images)",
                e.getMessage());
    }

    @Test
    void folderWithNoClassFoldersIsNamed() {
        TestImages.solidPng(root.resolve("loose.png"), 2, 2, 0);
        GlassboxException e = assertThrows(GlassboxException.class, () -> ClassFolderTree.read(root, log));
        assertEquals(root + ": no class folders (expected one folder per class, each holding .jpg, .jpeg or .png images)",
                e.getMessage());
    }

    @Test
    void folderWhoseClassFoldersAreAllEmptyIsNamed() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        GlassboxException e = assertThrows(GlassboxException.class, () -> ClassFolderTree.read(root, log));
        assertEquals(root + ": no images in any of its 2 class folders (expected one folder per class, each holding "
                + ".jpg, .jpeg or .png images)", e.getMessage());
        assertEquals(2, log.count(SkipLog.Reason.EMPTY_CLASS));
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        java.util.Collections.sort(s);
        return s;
    }
}
