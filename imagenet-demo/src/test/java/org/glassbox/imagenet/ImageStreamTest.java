package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageStreamTest {
    @TempDir
    Path root;

    private final List<String> lines = new ArrayList<>();
    private final SkipLog log = new SkipLog(lines::add);
    private final Preprocess centre = new Preprocess(12, 10, 10, Preprocess.Crop.CENTRE);

    /** Three classes of solid colours, plus a corrupt file, a truncated JPEG, a wrong extension and an empty class. */
    private ImageFiles messyTree() {
        TestImages.classTree(root, 4, 3, 5);
        TestImages.bytes(root.resolve("class1/broken.jpg"), "definitely not a jpeg".getBytes());
        TestImages.truncatedJpeg(root.resolve("class2/cut.jpeg"));
        TestImages.text(root.resolve("class0/labels.csv"), "a,b");
        root.resolve("class3").toFile().mkdirs();
        return ClassFolderTree.read(root, log);
    }

    @Test
    void badFilesAreNamedCountedAndSkippedAndLabelsStayAligned() {
        ImageFiles files = messyTree();
        assertEquals(14, files.size());
        ImageStream stream = ImageStream.open(files, centre, StreamOptions.of(3, 1), log, Progress.silent());

        assertEquals(12, stream.samples());
        assertEquals(new MapShape(10, 10, 3), stream.shape());
        assertEquals(List.of(
                "skipped " + root.resolve("class0/labels.csv") + ": not a .jpg, .jpeg or .png file",
                "skipped " + root.resolve("class3") + ": empty class folder, class skipped",
                "skipped " + root.resolve("class1/broken.jpg") + ": corrupt or not a JPEG/PNG image: "
                        + "no image reader recognises its content"), lines.subList(0, 3));
        assertTrue(lines.get(3).startsWith("skipped " + root.resolve("class2/cut.jpeg")
                + ": corrupt or not a JPEG/PNG image: truncated ("), lines.get(3));
        assertEquals(4, lines.size());
        assertEquals(2, log.count(SkipLog.Reason.CORRUPT));

        ImageSet set = stream.load();
        assertArrayEquals(new int[] {4, 3, 5}, set.classCounts());
        for (int i = 0; i < set.size(); i++) {
            int rgb = TestImages.CLASS_COLOURS[set.labels()[i]];
            assertEquals(((rgb >> 16) & 0xff) / 255f, set.images().getFloat(i, 5, 5, 0), 1e-6f, "image " + i);
            assertEquals((rgb & 0xff) / 255f, set.images().getFloat(i, 5, 5, 2), 1e-6f, "image " + i);
        }
    }

    @Test
    void batchesCoverEverySampleOnceWithTheirOffsets() {
        TestImages.classTree(root, 4, 3);
        ImageStream stream = ImageStream.open(ClassFolderTree.read(root, log), centre, new StreamOptions(2, 2, 1), log,
                Progress.silent());
        List<long[]> seen = new ArrayList<>();
        List<INDArray> copies = new ArrayList<>();
        stream.forEachBatch(3, (batch, offset) -> {
            seen.add(new long[] {offset, batch.size(0)});
            copies.add(batch.dup());
            assertArrayEquals(new long[] {batch.size(0), 10, 10, 3}, batch.shape());
        });
        assertEquals(List.of("[0, 3]", "[3, 3]", "[6, 1]"), seen.stream().map(java.util.Arrays::toString).toList());
        INDArray all = stream.load().images();
        for (int b = 0; b < copies.size(); b++) {
            long off = seen.get(b)[0];
            for (int k = 0; k < copies.get(b).size(0); k++) {
                assertEquals(all.slice(off + k), copies.get(b).slice(k), "sample " + (off + k));
            }
        }
    }

    @Test
    void randomCropsAreIdenticalAcrossThreadCountsAndPasses() {
        for (int i = 0; i < 9; i++) {
            final int k = i;
            TestImages.write(root.resolve("c" + (i % 3) + "/img" + i + ".png"), "png", 30 + 3 * i, 24 + i,
                    (x, y) -> (x * 9 + y * 5 + k * 31) % 256 << 16 | (x * y) % 256 << 8 | (k * 17) % 256);
        }
        ImageFiles files = ClassFolderTree.read(root, log);
        Preprocess random = new Preprocess(20, 16, 16, Preprocess.Crop.RANDOM);
        ImageStream one = ImageStream.open(files, random, new StreamOptions(1, 1, 42), log, Progress.silent());
        ImageStream four = ImageStream.open(files, random, new StreamOptions(4, 3, 42), log, Progress.silent());
        INDArray a = one.load().images();
        assertEquals(a, four.load().images());
        assertEquals(a, four.load().images());
        ImageStream otherSeed = ImageStream.open(files, random, new StreamOptions(4, 3, 43), log, Progress.silent());
        assertTrue(!a.equals(otherSeed.load().images()), "another seed gave the same crops");
    }

    @Test
    void theQueueNeverHoldsMoreThanItsCapacity() {
        TestImages.classTree(root, 6, 6);
        ImageStream stream = ImageStream.open(ClassFolderTree.read(root, log), centre, new StreamOptions(4, 2, 1), log,
                Progress.silent());
        stream.forEachBatch(5, (batch, offset) -> { });
        assertEquals(2, stream.peakQueued());
    }

    @Test
    void progressCountsEveryImageOfEveryPass() {
        TestImages.classTree(root, 3, 2);
        List<String> events = new ArrayList<>();
        Progress recording = (name, total) -> new Progress.Task() {
            long done;

            @Override
            public void step(long units) {
                done += units;
            }

            @Override
            public void close() {
                events.add(name + " " + done + "/" + total);
            }
        };
        ImageStream stream = ImageStream.open(ClassFolderTree.read(root, log), centre, StreamOptions.of(2, 1), log, recording);
        stream.forEachBatch(2, (batch, offset) -> { });
        assertEquals(List.of("check images 5/5", "decode images 5/5"), events);
    }

    @Test
    void noDecodableImageIsAnError() {
        TestImages.bytes(root.resolve("a/x.png"), new byte[] {1, 2, 3});
        ImageFiles files = ClassFolderTree.read(root, log);
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> ImageStream.open(files, centre, StreamOptions.of(1, 1), log, Progress.silent()));
        assertEquals(root + ": none of its 1 image files could be decoded (expected JPEG or PNG images)", e.getMessage());
    }

    @Test
    void invalidPreprocessingIsNamed() {
        assertEquals("invalid shorterSide = 200: expected at least the crop size max(height, width) = 224",
                assertThrows(GlassboxException.class, () -> new Preprocess(200, 224, 224, Preprocess.Crop.CENTRE)).getMessage());
        assertEquals("invalid height = 0: expected a positive number of pixels",
                assertThrows(GlassboxException.class, () -> new Preprocess(256, 0, 224, Preprocess.Crop.CENTRE)).getMessage());
    }
}
