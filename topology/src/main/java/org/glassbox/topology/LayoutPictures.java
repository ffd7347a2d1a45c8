package org.glassbox.topology;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.glassbox.framework.render.Png;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The pictures of a recovered layout. */
public final class LayoutPictures {
    /** Pixels per cell in {@code layout.png}. */
    static final int LAYOUT_SCALE = 12;
    /** Pixels per image pixel in {@code unscrambled.png}. */
    static final int IMAGE_SCALE = 3;
    /** Gap between panels. */
    static final int GAP = 8;
    static final Color BACKGROUND = new Color(0x30, 0x48, 0x80);
    static final Color CONSTANT = new Color(0x80, 0x80, 0x80);

    private LayoutPictures() {
    }

    /**
     * {@code layout.png}: left, the true grid with each cell coloured by its position (red grows
     * to the right, green downwards); right, the recovered grid with each cell in the colour of the
     * true position of the pixel placed there, so that a right answer shows the same smooth colour
     * field (maybe rotated or flipped) and each misplaced pixel a speck. Pixels left out (constant)
     * are grey on both sides.
     *
     * @param trueCell for each input pixel, its true cell
     * @param layout the recovered layout of the input pixels
     * @param constant whether each input pixel was left out
     */
    public static void writeLayout(Path png, int[] trueCell, Layout layout, boolean[] constant) {
        int h = layout.height();
        int w = layout.width();
        int s = LAYOUT_SCALE;
        BufferedImage picture = new BufferedImage(2 * w * s + 3 * GAP, h * s + 2 * GAP, BufferedImage.TYPE_INT_RGB);
        fill(picture, BACKGROUND);
        int[] pixelAtTrue = Scramble.inverse(trueCell);
        for (int cell = 0; cell < h * w; cell++) {
            int r = cell / w;
            int c = cell % w;
            int truePixel = pixelAtTrue[cell];
            Color left = constant[truePixel] ? CONSTANT : colour(cell, h, w);
            block(picture, GAP + c * s, GAP + r * s, s, left);
            int pixel = layout.pixelAt()[cell];
            Color right = constant[pixel] ? CONSTANT : colour(trueCell[pixel], h, w);
            block(picture, 2 * GAP + w * s + c * s, GAP + r * s, s, right);
        }
        Png.write(png, picture);
    }

    /**
     * {@code unscrambled.png}: one row per image: the image as the model sees it (scrambled), put
     * back on the recovered grid, and the original.
     */
    public static void writeExamples(Path png, INDArray scrambled, INDArray recovered, INDArray original, int count) {
        int n = (int) Math.min(count, scrambled.size(0));
        int h = (int) scrambled.size(1);
        int w = (int) scrambled.size(2);
        int s = IMAGE_SCALE;
        BufferedImage picture = new BufferedImage(3 * w * s + 4 * GAP, n * (h * s + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        fill(picture, BACKGROUND);
        INDArray[] sets = {scrambled, recovered, original};
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                double[] v = sets[k].get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).castTo(DataType.DOUBLE)
                        .mean(2).reshape((long) h * w).toDoubleVector();
                for (int p = 0; p < h * w; p++) {
                    int g = (int) Math.round(255 * Math.max(0, Math.min(1, v[p])));
                    block(picture, GAP + k * (w * s + GAP) + (p % w) * s, GAP + i * (h * s + GAP) + (p / w) * s, s,
                            new Color(g, g, g));
                }
            }
        }
        Png.write(png, picture);
    }

    static Color colour(int cell, int h, int w) {
        double y = h > 1 ? (double) (cell / w) / (h - 1) : 0;
        double x = w > 1 ? (double) (cell % w) / (w - 1) : 0;
        return new Color((int) Math.round(40 + 215 * x), (int) Math.round(40 + 215 * y),
                (int) Math.round(230 - 150 * (x + y) / 2));
    }

    private static void fill(BufferedImage picture, Color c) {
        block(picture, 0, 0, Math.max(picture.getWidth(), picture.getHeight()), c);
    }

    private static void block(BufferedImage picture, int x0, int y0, int size, Color c) {
        int rgb = c.getRGB();
        for (int y = y0; y < Math.min(y0 + size, picture.getHeight()); y++) {
            for (int x = x0; x < Math.min(x0 + size, picture.getWidth()); x++) picture.setRGB(x, y, rgb);
        }
    }
}
