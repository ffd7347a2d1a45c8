package org.glassbox.framework.render;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Renders one small image, {@code [h, w]} or {@code [h, w, 1]} grey or {@code [h, w, 3]} RGB (any
 * float type), as a picture a person can read: scaled to its own range ({@link Scaling}) and enlarged
 * by an integer factor with nearest-neighbour, so each value becomes a {@code scale x scale} block.
 * Row 0 of the array is the top row of the picture and column 0 its left column.
 */
public final class ImageRenderer {
    private ImageRenderer() {
    }

    /** Renders {@code image} enlarged {@code scale} times: a picture of {@code w * scale} by {@code h * scale} pixels. */
    public static BufferedImage render(INDArray image, Scaling scaling, int scale) {
        requireScale(scale);
        Pixels p = Pixels.of("image", image);
        BufferedImage out = new BufferedImage(p.width * scale, p.height * scale, BufferedImage.TYPE_INT_RGB);
        paint(out, 0, 0, p, scaling, scale);
        return out;
    }

    /** Renders {@code image} (as {@link #render}) to the PNG file {@code png}, written to a temporary name and renamed. */
    public static void writePng(Path png, INDArray image, Scaling scaling, int scale) {
        Png.write(png, render(image, scaling, scale));
    }

    static void requireScale(int scale) {
        if (scale < 1) {
            throw new InvalidParameterException("scale", scale, "a positive integer");
        }
    }

    /** Draws {@code p} with its top-left corner at ({@code x0}, {@code y0}) of {@code canvas}. */
    static void paint(BufferedImage canvas, int x0, int y0, Pixels p, Scaling scaling, int scale) {
        int[] levels = scaling.levels(p.values);
        int[] row = new int[p.width * scale];
        for (int y = 0; y < p.height; y++) {
            for (int x = 0; x < p.width; x++) {
                int base = (y * p.width + x) * p.channels;
                int rgb = p.channels == 3
                        ? levels[base] << 16 | levels[base + 1] << 8 | levels[base + 2]
                        : levels[base] * 0x010101;
                Arrays.fill(row, x * scale, (x + 1) * scale, rgb);
            }
            for (int dy = 0; dy < scale; dy++) {
                canvas.setRGB(x0, y0 + y * scale + dy, row.length, 1, row, 0, row.length);
            }
        }
    }

    /** One image's values, C-ordered {@code [height, width, channels]} with 1 or 3 channels. */
    record Pixels(int height, int width, int channels, double[] values) {
        /** Reads and checks {@code image}; {@code what} names it in messages. */
        static Pixels of(String what, INDArray image) {
            long[] s = image.shape();
            boolean ok = s.length == 2 || s.length == 3 && (s[2] == 1 || s[2] == 3);
            if (!ok || image.length() == 0) {
                throw new GlassboxException(what + ": expected shape [h, w], [h, w, 1] or [h, w, 3] but got "
                        + Arrays.toString(s));
            }
            double[] v = image.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    throw new GlassboxException(what + ": expected finite values but found NaN or infinity");
                }
            }
            return new Pixels((int) s[0], (int) s[1], s.length == 3 ? (int) s[2] : 1, v);
        }

        /** The shape as printed in messages. */
        String shape() {
            return channels == 1 ? "[" + height + ", " + width + "]" : "[" + height + ", " + width + ", " + channels + "]";
        }
    }
}
