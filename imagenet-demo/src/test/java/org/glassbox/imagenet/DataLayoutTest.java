package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLayoutTest {
    @TempDir
    Path root;

    private final List<String> lines = new ArrayList<>();
    private final SkipLog log = new SkipLog(lines::add);

    @Test
    void classTreeIsSplitStratifiedAndReproducibly() {
        TestImages.classTree(root, 10, 10, 5);
        DataLayout.Found found = DataLayout.read(root, null, 0.2, 7, log);

        assertArrayEquals(new int[] {8, 8, 4}, found.train().classCounts());
        assertArrayEquals(new int[] {2, 2, 1}, found.test().classCounts());
        Set<Path> union = new HashSet<>(found.train().files());
        union.addAll(found.test().files());
        assertEquals(25, union.size());
        DataLayout.Found again = DataLayout.read(root, null, 0.2, 7, log);
        assertEquals(found.test().files(), again.test().files());
        DataLayout.Found other = DataLayout.read(root, null, 0.2, 8, log);
        assertNotEquals(found.test().files(), other.test().files());
        assertTrue(found.layout().startsWith("class tree " + root), found.layout());
    }

    @Test
    void ilsvrcLayoutWithFlatValAndDefaultLabelFile() {
        TestImages.classTree(root.resolve("train"), 2, 2);
        TestImages.solidPng(root.resolve("val/a.JPEG"), 3, 3, 0);
        TestImages.solidPng(root.resolve("val/b.JPEG"), 3, 3, 0);
        TestImages.text(root.resolve("val.txt"), "a.JPEG 1\nb.JPEG class0\n");

        DataLayout.Found found = DataLayout.read(root, null, 0.2, 1, log);

        assertEquals(4, found.train().size());
        assertEquals(List.of("class0", "class1"), found.test().classes());
        assertArrayEquals(new int[] {1, 0}, found.test().labels());
        assertEquals("ILSVRC-2012 layout: " + root.resolve("train") + ", " + root.resolve("val") + " labelled by "
                + root.resolve("val.txt"), found.layout());
    }

    @Test
    void ilsvrcLayoutWithValAsClassTreeUsesTrainingClassIds() {
        TestImages.classTree(root.resolve("train"), 2, 2, 2);
        TestImages.solidPng(root.resolve("val/class2/z.png"), 3, 3, 0);
        TestImages.solidPng(root.resolve("val/class0/y.png"), 3, 3, 0);

        DataLayout.Found found = DataLayout.read(root, null, 0.2, 1, log);

        assertEquals(List.of("class0", "class1", "class2"), found.test().classes());
        assertArrayEquals(new int[] {0, 2}, found.test().labels());
    }

    @Test
    void flatValWithoutLabelFileIsAnError() {
        TestImages.classTree(root.resolve("train"), 1);
        TestImages.solidPng(root.resolve("val/a.JPEG"), 3, 3, 0);
        GlassboxException e = assertThrows(GlassboxException.class, () -> DataLayout.read(root, null, 0.2, 1, log));
        assertEquals(root.resolve("val") + ": a folder of images without a label file (expected --val-labels FILE, or one of "
                + "val.txt, val_labels.txt, LOC_val_solution.csv in " + root + ")", e.getMessage());
    }

    @Test
    void missingDataFolderIsNamed() {
        Path missing = root.resolve("imagenet");
        GlassboxException e = assertThrows(GlassboxException.class, () -> DataLayout.read(missing, null, 0.2, 1, log));
        assertEquals(missing + ": folder not found (expected an ILSVRC-2012 folder with train/ and val/, or one folder per "
                + "class, each holding .jpg, .jpeg or .png images)", e.getMessage());
    }

    @Test
    void invalidTestFractionIsNamed() {
        TestImages.classTree(root, 2);
        GlassboxException e = assertThrows(GlassboxException.class, () -> DataLayout.read(root, null, 1.0, 1, log));
        assertEquals("invalid testFraction = 1.0: expected a fraction in (0, 1)", e.getMessage());
    }
}
