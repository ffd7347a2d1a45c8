package org.glassbox.framework.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFolderTest {
    @TempDir
    Path dir;

    /** Writes a tiny IDX set: {@code n} images of 4 x 3 pixels whose value is (i + pixel) mod 256. */
    static void writeSet(Path dir, String prefix, int n, int labels, boolean gzip) throws IOException {
        String gz = gzip ? ".gz" : "";
        byte[] pixels = new byte[n * 12];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i % 256);
        byte[] lab = new byte[labels];
        for (int i = 0; i < labels; i++) lab[i] = (byte) (i % 10);
        try (OutputStream out = IdxFormat.create(dir.resolve(prefix + "-images-idx3-ubyte" + gz))) {
            IdxFormat.writeImages(out, n, 4, 3, pixels);
        }
        try (OutputStream out = IdxFormat.create(dir.resolve(prefix + "-labels-idx1-ubyte" + gz))) {
            IdxFormat.writeLabels(out, lab);
        }
    }

    @Test
    void readsPlainAndGzippedFolders() throws IOException {
        writeSet(dir, "train", 12, 12, true);
        writeSet(dir, "t10k", 5, 5, false);
        TrainTest tt = IdxFolder.read(dir);
        assertEquals(12, tt.train().size());
        assertEquals(5, tt.test().size());
        assertArrayEquals(new long[] {12, 4, 3, 1}, tt.train().images().shape());
        assertEquals(13 / 255f, tt.train().images().getFloat(1, 0, 1, 0), 1e-7);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, tt.test().labels());
    }

    @Test
    void missingFolder() {
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.read(dir.resolve("none")));
        assertEquals(dir.resolve("none") + ": folder not found (expected a folder with the four IDX files "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, "
                + "each optionally .gz)", e.getMessage());
    }

    @Test
    void missingFile() throws IOException {
        writeSet(dir, "train", 3, 3, false);
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.read(dir));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": file not found (expected t10k-images-idx3-ubyte or "
                + "t10k-images-idx3-ubyte.gz in " + dir + ")", e.getMessage());
    }

    @Test
    void badMagicNumber() throws IOException {
        writeSet(dir, "train", 3, 3, false);
        writeSet(dir, "t10k", 3, 3, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Files.copy(dir.resolve("t10k-images-idx3-ubyte"), labels, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.read(dir));
        assertEquals(labels + ": bad IDX magic number 0x00000803 (expected 0x00000801 for a label file)", e.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        writeSet(dir, "train", 3, 3, false);
        writeSet(dir, "t10k", 3, 3, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(b, b.length - 7));
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.read(dir));
        assertEquals(images + ": truncated IDX file: expected 36 bytes of image data but found 29", e.getMessage());
    }

    @Test
    void labelCountDiffersFromImageCount() throws IOException {
        writeSet(dir, "train", 4, 3, false);
        writeSet(dir, "t10k", 3, 3, false);
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.read(dir));
        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": 3 labels but train-images-idx3-ubyte holds 4 images "
                + "(expected one label per image)", e.getMessage());
    }
    /** Two classes of 2 x 2 images whose pixels are k / 255. */
    private static ImageSet bytesSet(String name, int n, int offset) {
        float[] pixels = new float[n * 4];
        for (int i = 0; i < pixels.length; i++) pixels[i] = ((i * 37 + offset) % 256) / 255f;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 2;
        return ImageSet.of(name, pixels, new MapShape(2, 2, 1), labels, 2);
    }

    @Test
    void writtenFoldersAreReadBackPixelForPixel() throws IOException {
        TrainTest data = new TrainTest(bytesSet("train", 7, 0), bytesSet("test", 3, 5));
        IdxFolder.write(data, dir);
        TrainTest back = IdxFolder.read(dir);
        assertArrayEquals(data.train().images().data().asFloat(), back.train().images().data().asFloat());
        assertArrayEquals(data.test().images().data().asFloat(), back.test().images().data().asFloat());
        assertArrayEquals(data.train().labels(), back.train().labels());
        assertArrayEquals(data.test().labels(), back.test().labels());
        assertArrayEquals(new long[] {3, 2, 2, 1}, back.test().images().shape());
    }

    @Test
    void writingReplacesNothingAndRefusesWhatIdxCannotHold() throws IOException {
        Path existing = Files.writeString(dir.resolve("t10k-labels-idx1-ubyte.gz"), "mine");
        TrainTest data = new TrainTest(bytesSet("train", 4, 0), bytesSet("test", 2, 1));
        var e = assertThrows(GlassboxException.class, () -> IdxFolder.write(data, dir));
        assertEquals(existing + ": exists already (nothing is replaced)", e.getMessage());
        assertEquals("mine", Files.readString(existing));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing was written before the refusal");
        }
        float[] bright = new float[4];
        bright[2] = 1.5f;
        ImageSet out = ImageSet.of("bright", bright, new MapShape(2, 2, 1), new int[] {0}, 2);
        e = assertThrows(GlassboxException.class, () -> IdxFolder.write(new TrainTest(out, out), dir.resolve("x")));
        assertEquals("bright: pixel 2 is 1.5 (IDX files hold pixels in [0, 1] as bytes)", e.getMessage());
        ImageSet colour = ImageSet.of("colour", new float[12], new MapShape(2, 2, 3), new int[] {0}, 2);
        e = assertThrows(GlassboxException.class, () -> IdxFolder.write(new TrainTest(colour, colour), dir));
        assertEquals("colour: IDX files hold one channel, but the images have 3", e.getMessage());
    }
}
