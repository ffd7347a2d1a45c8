package org.glassbox.framework.render;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An atlas: many small images of one shape ({@code [h, w]} or {@code [h, w, 1]} grey,
 * {@code [h, w, 3]} RGB) in a grid, in the order given, row by row (image i in row
 * {@code i / columns}, column {@code i % columns}). Each image is scaled to its own range
 * ({@link Scaling}; {@link Scaling#SYMMETRIC} for atoms, so 0 is mid grey) and enlarged
 * {@code scale} times with nearest-neighbour ({@link ImageRenderer}). Cells are separated, and the
 * grid framed, by lines {@value #SEPARATOR} pixel wide in the colour {@link #SEPARATOR_RGB}, which no
 * grey level takes; cells past the last image are left in that colour.
 *
 * <p>With {@code c = min(columns, count)} columns and {@code r = ceil(count / c)} rows, the picture
 * is {@code c * w * scale + c + 1} pixels wide and {@code r * h * scale + r + 1} high.
 */
public final class AtlasRenderer {
    /** The width in pixels of the lines between and around cells. */
    public static final int SEPARATOR = 1;
    /** The colour of the separator lines, 0xRRGGBB: a dark blue. */
    public static final int SEPARATOR_RGB = 0x304880;

    private AtlasRenderer() {
    }

    /** About square: {@code ceil(sqrt(count))} columns (1 for an empty list). */
    public static int defaultColumns(int count) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(count)));
    }

    /**
     * Renders {@code images} (at least one, all of one shape, finite) in {@code columns} columns,
     * each enlarged {@code scale} times.
     */
    public static BufferedImage render(List<INDArray> images, int columns, int scale, Scaling scaling) {
        if (columns < 1) throw new InvalidParameterException("columns", columns, "a positive integer");
        ImageRenderer.requireScale(scale);
        if (images.isEmpty()) {
            throw new GlassboxException("atlas: no images to render (expected at least one)");
        }
        ImageRenderer.Pixels[] pixels = new ImageRenderer.Pixels[images.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = ImageRenderer.Pixels.of("atlas image " + i, images.get(i));
            if (pixels[i].height() != pixels[0].height() || pixels[i].width() != pixels[0].width()
                    || pixels[i].channels() != pixels[0].channels()) {
                throw new GlassboxException("atlas image " + i + ": expected shape " + pixels[0].shape()
                        + " like image 0 but got " + Arrays.toString(images.get(i).shape()));
            }
        }
        int cols = Math.min(columns, pixels.length);
        int rows = (pixels.length + cols - 1) / cols;
        int cellW = pixels[0].width() * scale;
        int cellH = pixels[0].height() * scale;
        BufferedImage out = new BufferedImage(cols * (cellW + SEPARATOR) + SEPARATOR,
                rows * (cellH + SEPARATOR) + SEPARATOR, BufferedImage.TYPE_INT_RGB);
        int[] fill = new int[out.getWidth()];
        Arrays.fill(fill, SEPARATOR_RGB);
        for (int y = 0; y < out.getHeight(); y++) out.setRGB(0, y, fill.length, 1, fill, 0, fill.length);
        for (int i = 0; i < pixels.length; i++) {
            int x0 = SEPARATOR + (i % cols) * (cellW + SEPARATOR);
            int y0 = SEPARATOR + (i / cols) * (cellH + SEPARATOR);
            ImageRenderer.paint(out, x0, y0, pixels[i], scaling, scale);
        }
        return out;
    }

    /** Renders the atlas (as {@link #render}) to the PNG file {@code png}, written to a temporary name and renamed. */
    public static void writePng(Path png, List<INDArray> images, int columns, int scale, Scaling scaling) {
        Png.write(png, render(images, columns, scale, scaling));
    }
}
