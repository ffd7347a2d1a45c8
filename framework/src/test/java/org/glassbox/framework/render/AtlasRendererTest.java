package org.glassbox.framework.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AtlasRendererTest {
    @TempDir
    Path dir;

    private static int grey(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        assertEquals(rgb, r * 0x010101, "pixel " + x + "," + y + " is grey");
        return r;
    }

    /** Asserts that the scale x scale block of value (row, col) of the cell at (x0, y0) is {@code level}. */
    private static void assertBlock(BufferedImage image, int x0, int y0, int scale, int row, int col, int level) {
        for (int dy = 0; dy < scale; dy++)
            for (int dx = 0; dx < scale; dx++)
                assertEquals(level, grey(image, x0 + col * scale + dx, y0 + row * scale + dy),
                        "value (" + row + ", " + col + ") at offset " + dx + "," + dy);
    }

    @Test
    void atlasPngHasTheExpectedSizeAndEachAtomItsOwnRange() throws IOException {
        // a 2 x 3 atom; the second one is the same atom 100 times larger, the third its negative
        INDArray atom = Nd4j.createFromArray(new float[][] {{0, 1, -2}, {2, 4, -4}});
        List<INDArray> images = new ArrayList<>(List.of(atom, atom.mul(100), atom.neg()));
        images.add(Nd4j.zeros(DataType.FLOAT, 2, 3));
        images.add(Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 1}}));
        Path png = dir.resolve("atlas.png");
        int scale = 4;
        AtlasRenderer.writePng(png, images, 3, scale, Scaling.SYMMETRIC);
        BufferedImage read = ImageIO.read(png.toFile());
        // 3 columns of 3 * 4 pixels and 4 separators; 2 rows of 2 * 4 pixels and 3 separators
        assertEquals(3 * 12 + 4, read.getWidth());
        assertEquals(2 * 8 + 3, read.getHeight());
        // symmetric scaling, m = 4: v -> round(255 * (0.5 + v / 8))
        int[][] levels = {{128, 159, 64}, {191, 255, 0}};
        for (int cell = 0; cell < 2; cell++) {
            int x0 = 1 + cell * 13;
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 3; c++) assertBlock(read, x0, 1, scale, r, c, levels[r][c]);
        }
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++) assertBlock(read, 27, 1, scale, r, c, 255 - levels[r][c] + (levels[r][c] == 128 ? 1 : 0));
        assertBlock(read, 1, 10, scale, 1, 2, 128); // all zeros: mid grey
        assertBlock(read, 14, 10, scale, 0, 0, 255); // a constant positive image: white
        int separator = AtlasRenderer.SEPARATOR_RGB;
        for (int x = 0; x < read.getWidth(); x++) {
            assertEquals(separator, read.getRGB(x, 0) & 0xffffff, "top frame at x " + x);
            assertEquals(separator, read.getRGB(x, 9) & 0xffffff, "row separator at x " + x);
        }
        for (int y = 0; y < read.getHeight(); y++) assertEquals(separator, read.getRGB(13, y) & 0xffffff);
        assertEquals(separator, read.getRGB(30, 14) & 0xffffff, "the empty last cell");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void rowsRunDownAndColumnsAcross() {
        INDArray image = Nd4j.createFromArray(new float[][] {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}});
        BufferedImage out = ImageRenderer.render(image, Scaling.MIN_MAX, 2);
        assertEquals(8, out.getWidth());
        assertEquals(6, out.getHeight());
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) assertBlock(out, 0, 0, 2, r, c, (int) Math.round(255 * (r * 4 + c) / 11.0));
    }

    @Test
    void rgbImagesKeepTheirChannelsAndOneScale() {
        INDArray image = Nd4j.create(new float[] {2, 0, -2, 1, 1, 1}, new long[] {1, 2, 3}, 'c');
        BufferedImage out = ImageRenderer.render(image, Scaling.SYMMETRIC, 1);
        assertEquals(0xff8000, out.getRGB(0, 0) & 0xffffff);
        assertEquals(0xbfbfbf, out.getRGB(1, 0) & 0xffffff, "1 of max 2: round(255 * 0.75)");
        BufferedImage grey = ImageRenderer.render(Nd4j.createFromArray(new float[] {-1, 3}).reshape(1, 2, 1), Scaling.MIN_MAX, 1);
        assertEquals(0x000000, grey.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, grey.getRGB(1, 0) & 0xffffff);
        BufferedImage constant = ImageRenderer.render(Nd4j.ones(DataType.FLOAT, 2, 2), Scaling.MIN_MAX, 1);
        assertEquals(0x808080, constant.getRGB(1, 1) & 0xffffff);
    }

    @Test
    void writesASingleImage() throws IOException {
        Path png = dir.resolve("sub/one.png");
        ImageRenderer.writePng(png, Nd4j.createFromArray(new float[][] {{-1, 1}}), Scaling.SYMMETRIC, 3);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(6, read.getWidth());
        assertEquals(3, read.getHeight());
        assertEquals(0, grey(read, 2, 2));
        assertEquals(255, grey(read, 3, 0));
    }

    @Test
    void badInputGetsOneClearMessage() {
        INDArray ok = Nd4j.zeros(DataType.FLOAT, 2, 2);
        assertEquals("atlas: no images to render (expected at least one)", assertThrows(GlassboxException.class,
                () -> AtlasRenderer.render(List.of(), 2, 1, Scaling.SYMMETRIC)).getMessage());
        assertEquals("atlas image 1: expected shape [2, 2] like image 0 but got [3, 2]", assertThrows(GlassboxException.class,
                () -> AtlasRenderer.render(List.of(ok, Nd4j.zeros(DataType.FLOAT, 3, 2)), 2, 1, Scaling.SYMMETRIC)).getMessage());
        assertEquals("atlas image 0: expected shape [h, w], [h, w, 1] or [h, w, 3] but got [2, 2, 2]",
                assertThrows(GlassboxException.class, () -> AtlasRenderer.render(
                        List.of(Nd4j.zeros(DataType.FLOAT, 2, 2, 2)), 2, 1, Scaling.SYMMETRIC)).getMessage());
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 2, 2);
        nan.putScalar(1, Float.NaN);
        assertEquals("image: expected finite values but found NaN or infinity", assertThrows(GlassboxException.class,
                () -> ImageRenderer.render(nan, Scaling.MIN_MAX, 1)).getMessage());
        assertEquals("invalid scale = 0: expected a positive integer", assertThrows(InvalidParameterException.class,
                () -> ImageRenderer.render(ok, Scaling.MIN_MAX, 0)).getMessage());
        assertEquals("invalid columns = 0: expected a positive integer", assertThrows(InvalidParameterException.class,
                () -> AtlasRenderer.render(List.of(ok), 0, 1, Scaling.MIN_MAX)).getMessage());
        assertEquals(3, AtlasRenderer.defaultColumns(9));
        assertEquals(4, AtlasRenderer.defaultColumns(10));
    }
}
