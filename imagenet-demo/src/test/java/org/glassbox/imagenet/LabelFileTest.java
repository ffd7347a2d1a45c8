package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFileTest {
    @TempDir
    Path root;

    private final List<String> lines = new ArrayList<>();
    private final SkipLog log = new SkipLog(lines::add);
    /** Training classes: n03 was an empty folder, so it is in the index names but not a class. */
    private final List<String> classes = List.of("n01", "n02", "n04");
    private final List<String> indexNames = List.of("n01", "n02", "n03", "n04");
    private Path val;

    @BeforeEach
    void images() {
        val = root.resolve("val");
        for (int i = 1; i <= 4; i++) TestImages.solidPng(val.resolve("v" + i + ".JPEG"), 3, 3, 0);
    }

    @Test
    void filenameSynsetLines() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG n02\nv2.JPEG n01\n\n# comment\nv3.JPEG n04\nv4.JPEG n01\n");
        ImageFiles files = LabelFile.read(val, labels, classes, indexNames, log);
        assertEquals(classes, files.classes());
        assertEquals(List.of(val.resolve("v1.JPEG"), val.resolve("v2.JPEG"), val.resolve("v3.JPEG"), val.resolve("v4.JPEG")),
                files.files());
        assertArrayEquals(new int[] {1, 0, 2, 0}, files.labels());
        assertEquals(List.of(), lines);
    }

    @Test
    void filenameIndexLinesReferToAllTrainingFoldersAndSkipImagesOfEmptyClasses() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG 1\nv2.JPEG 0\nv3.JPEG 3\nv4.JPEG 2\n");
        ImageFiles files = LabelFile.read(val, labels, classes, indexNames, log);
        assertArrayEquals(new int[] {1, 0, 2}, files.labels());
        assertEquals(List.of("skipped " + val.resolve("v4.JPEG") + ": its class folder was empty and skipped: n03"), lines);
    }

    @Test
    void kaggleCsvWithHeaderBoxesAndNoExtensions() {
        Path labels = TestImages.text(root.resolve("LOC_val_solution.csv"),
                "ImageId,PredictionString\nv2,n04 1 2 3 4 n04 5 6 7 8\nv1,n01 0 0 2 2\nv3,n02 1 1 2 2\nv4,n02 1 1 2 2\n");
        ImageFiles files = LabelFile.read(val, labels, classes, indexNames, log);
        assertArrayEquals(new int[] {0, 2, 1, 1}, files.labels());
    }

    @Test
    void unlabelledImagesMissingFilesAndWrongExtensionsAreLoggedAndSkipped() {
        TestImages.text(val.resolve("notes.txt"), "x");
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG n01\nv9.JPEG n02\nv2.JPEG n02\nv3.JPEG n04\n");
        ImageFiles files = LabelFile.read(val, labels, classes, indexNames, log);
        assertEquals(3, files.size());
        assertEquals(List.of(
                "skipped " + val.resolve("notes.txt") + ": not a .jpg, .jpeg or .png file",
                "skipped " + val.resolve("v4.JPEG") + ": not listed in the label file",
                "skipped " + val.resolve("v9.JPEG") + ": listed in the label file but not found: val.txt line 2"), lines);
    }

    @Test
    void malformedLineIsAnErrorNamingFileAndLine() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG n01\nv2.JPEG\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> LabelFile.read(val, labels, classes, indexNames, log));
        assertEquals(labels + " line 2: expected '<image file> <class name or 0-based class index>' but got 'v2.JPEG'",
                e.getMessage());
    }

    @Test
    void unknownClassIsAnError() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG n99\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> LabelFile.read(val, labels, classes, indexNames, log));
        assertEquals(labels + " line 1: unknown class 'n99' (expected a class folder name of the training set, such as n01, "
                + "or a class index 0..3)", e.getMessage());
    }

    @Test
    void indexOutOfRangeIsAnError() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG 4\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> LabelFile.read(val, labels, classes, indexNames, log));
        assertEquals(labels + " line 1: class index 4 is outside 0..3", e.getMessage());
    }

    @Test
    void fileListedTwiceIsAnError() {
        Path labels = TestImages.text(root.resolve("val.txt"), "v1.JPEG n01\nv2.JPEG n01\nv1.JPEG n02\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> LabelFile.read(val, labels, classes, indexNames, log));
        assertEquals(labels + " line 3: v1.JPEG is listed twice (first on line 1)", e.getMessage());
    }

    @Test
    void missingLabelFileIsNamed() {
        Path labels = root.resolve("nope.txt");
        GlassboxException e = assertThrows(GlassboxException.class, () -> LabelFile.read(val, labels, classes, indexNames, log));
        assertEquals(labels + ": label file not found (expected lines '<image file> <class name or 0-based class index>')",
                e.getMessage());
    }
}
