package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class GreyImageFolderTest {
    @TempDir
    Path dir;

    private static final PrintWriter QUIET = new PrintWriter(Writer.nullWriter());

    /** Writes {@code image} ({@code [h][w]} 0xRRGGBB) as a PNG. */
    static void png(Path file, int[][] rgb) throws IOException {
        BufferedImage img = new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[0].length; x++) img.setRGB(x, y, rgb[y][x]);
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static int[][] solid(int h, int w, int rgb) {
        int[][] a = new int[h][w];
        for (int[] row : a) java.util.Arrays.fill(row, rgb);
        return a;
    }

    @Test
    void coloursBecomeTheirLuminanceAtTheGivenSize() throws IOException {
        int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0x336699};
        for (int c = 0; c < colours.length; c++) {
            for (int i = 0; i < 5; i++) png(dir.resolve("c" + c).resolve(i + ".png"), solid(10, 14, colours[c]));
        }
        TrainTest split = GreyImageFolder.read(dir, 6, 1);
        assertEquals(16, split.train().size());
        assertEquals(4, split.test().size());
        assertArrayEquals(new long[] {16, 6, 6, 1}, split.train().images().shape());
        for (int i = 0; i < split.train().size(); i++) {
            int rgb = colours[split.train().labels()[i]];
            double expected = 0.299 * (rgb >> 16 & 0xff) / 255 + 0.587 * (rgb >> 8 & 0xff) / 255 + 0.114 * (rgb & 0xff) / 255;
            INDArray image = split.train().images().slice(i);
            assertEquals(expected, image.minNumber().doubleValue(), 1e-5, "image " + i);
            assertEquals(expected, image.maxNumber().doubleValue(), 1e-5, "image " + i);
        }
    }

    @Test
    void aScrambledImageFolderIsRecoveredExactly() throws Exception {
        int side = 12;
        INDArray field = SyntheticField.images(2000, side, side, 0.05, 8);
        double lo = field.minNumber().doubleValue();
        double hi = field.maxNumber().doubleValue();
        for (int k = 0; k < 2000; k++) {
            int[][] rgb = new int[side][side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = (int) Math.round(255 * (field.getDouble(k, y, x, 0) - lo) / (hi - lo));
                    rgb[y][x] = v << 16 | v << 8 | v;
                }
            }
            png(dir.resolve("field").resolve("class" + k % 2).resolve(k + ".png"), rgb);
        }
        Path out = dir.resolve("out");
        TopologyRun.Metrics m = TopologyRun.run(new TopologyRun.Options(out, dir.resolve("field"), side, 5L, null, 1, false),
                Progress.silent(), QUIET);
        assertEquals(1600, m.trainSize());
        assertEquals(400, m.testSize());
        assertEquals(side, m.height());
        assertEquals(side, m.width());
        assertEquals(1.0, m.layout().neighbours4());
        assertEquals(1.0, m.layout().neighbours8());
        assertEquals(1.0, m.layout().spearman(), 1e-12);
        JsonNode json = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(1.0, json.get("neighbours_4").asDouble());
        assertArrayEquals(Scramble.permutation(side * side, 5), Scramble.read(out.resolve("scramble.npy"), side * side));
        assertTrue(Files.isRegularFile(out.resolve("layout.png")));
        assertTrue(Files.isRegularFile(out.resolve("unscrambled.png")));
    }

    @Test
    void anImageFolderWithoutImagesIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("cats"));
        Files.createDirectories(data.resolve("dogs"));
        Files.writeString(data.resolve("dogs").resolve("notes.txt"), "no image");
        Path out = dir.resolve("out");
        GlassboxException e = assertThrows(GlassboxException.class, () -> TopologyRun.run(
                new TopologyRun.Options(out, data, null, 1L, null, 1, false), Progress.silent(), QUIET));
        assertEquals(data + ": no images in any of its 2 class folders (expected one folder per class, each holding "
                + ".jpg, .jpeg or .png images)", e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aFolderWithNeitherIdxFilesNorClassFoldersIsRefused() throws IOException {
        Path data = Files.createDirectories(dir.resolve("empty"));
        GlassboxException e = assertThrows(GlassboxException.class, () -> TopologyRun.run(
                new TopologyRun.Options(dir.resolve("out"), data, null, 1L, null, 1, false), Progress.silent(), QUIET));
        assertEquals(data + ": neither IDX files (train-images-idx3-ubyte, ...) nor class folders (expected an IDX "
                + "folder or an image folder with one sub-folder per class)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aSizeOutsideFourToSixtyFourIsRefused() {
        for (int size : new int[] {3, 65}) {
            GlassboxException e = assertThrows(GlassboxException.class,
                    () -> new TopologyRun.Options(dir.resolve("out"), dir, size, 1L, null, 1, false));
            assertEquals("invalid --size = " + size + ": expected a side of 4 to 64 pixels", e.getMessage());
        }
    }

    @Test
    void aSizeForTheEmbeddedDigitsIsRefused() {
        GlassboxException e = assertThrows(GlassboxException.class, () -> TopologyRun.run(
                new TopologyRun.Options(dir.resolve("out"), null, 20, 1L, null, 1, false), Progress.silent(), QUIET));
        assertEquals("--size 20 is for image folders: the embedded digits keep their own size", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aSizeForAnIdxFolderIsRefused() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        Files.write(idx.resolve("train-images-idx3-ubyte"), new byte[0]);
        GlassboxException e = assertThrows(GlassboxException.class, () -> TopologyRun.run(
                new TopologyRun.Options(dir.resolve("out"), idx, 20, 1L, null, 1, false), Progress.silent(), QUIET));
        assertEquals("--size 20 is for image folders: " + idx + " is an IDX folder, whose images keep their own size",
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
