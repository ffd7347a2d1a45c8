package org.glassbox.imagenet;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one image file into a fixed-size RGB map ({@link Preprocess}). The format is found from
 * the content, not the name (ILSVRC-2012 holds a PNG named .JPEG), by the ImageIO readers on the
 * class path: the JDK's JPEG and PNG readers, and TwelveMonkeys' JPEG reader, which also decodes
 * CMYK and YCCK JPEGs with correct colours (the JDK's reader returns wrong colours for them).
 *
 * <p>Colours: 8- and 16-bit grey, grey + alpha, RGB and RGBA images are read from their stored
 * samples (a grey value g gives r = g = b = g, with no colour-space conversion, as other image
 * libraries do); palette images and other colour models go through {@link BufferedImage#getRGB}
 * (sRGB). Alpha is dropped. Values are sample / (2^bits - 1).
 *
 * <p>A file is refused (and skipped by the caller) when no reader recognises it, when decoding
 * throws, when the JPEG decoder warns that the file is truncated (the JDK decoder otherwise fills
 * the missing part with grey), or when it has more than {@link #MAX_PIXELS} pixels. Other decoder
 * warnings, such as "extraneous bytes before marker", which some ILSVRC-2012 JPEGs give, are
 * accepted.
 *
 * <p>Thread-safe: every call uses its own reader.
 */
final class ImageDecoder {
    /** The largest image decoded, in pixels (2^26, about 67 megapixels: at most about 270 MB per decoding thread). */
    static final long MAX_PIXELS = 1L << 26;

    private ImageDecoder() {
    }

    /** A file that cannot be turned into an image, and why. */
    static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;
        final SkipLog.Reason reason;

        DecodeException(SkipLog.Reason reason, String detail) {
            super(detail);
            this.reason = reason;
        }
    }

    /**
     * Decodes {@code file}, scales and crops it as {@code pre} says, and writes the
     * {@code [height, width, 3]} result into {@code out} (row-major, values in [0, 1]). A random
     * crop's place, and for {@link Preprocess.Crop#RANDOM_MIRRORED} then the coin of its mirroring, are
     * drawn from {@code seed} and the file's {@link #cropKey}.
     */
    static void decode(Path file, Preprocess pre, long seed, float[] out) throws DecodeException {
        BufferedImage image = read(file);
        Resampler.RgbRows rows = rows(image);
        int[] scaled = Resampler.scaledSize(rows.width(), rows.height(), pre.shorterSide());
        int spareH = scaled[0] - pre.height();
        int spareW = scaled[1] - pre.width();
        int top = spareH / 2;
        int left = spareW / 2;
        boolean mirror = false;
        if (pre.crop() != Preprocess.Crop.CENTRE) {
            SplittableRandom rng = cropRandom(seed, file);
            top = rng.nextInt(spareH + 1);
            left = rng.nextInt(spareW + 1);
            mirror = pre.crop() == Preprocess.Crop.RANDOM_MIRRORED && rng.nextBoolean();
        }
        Resampler.resizeCrop(rows, scaled[0], scaled[1], top, left, pre.height(), pre.width(), out);
        if (mirror) mirrorRows(out, pre.height(), pre.width());
    }

    /** Reverses the pixel order of each row of the {@code [height, width, 3]} map {@code map}. */
    static void mirrorRows(float[] map, int height, int width) {
        for (int y = 0; y < height; y++) {
            int row = y * width * 3;
            for (int a = 0, b = width - 1; a < b; a++, b--) {
                for (int c = 0; c < 3; c++) {
                    float t = map[row + 3 * a + c];
                    map[row + 3 * a + c] = map[row + 3 * b + c];
                    map[row + 3 * b + c] = t;
                }
            }
        }
    }

    /**
     * The identity of a file for random crops: its folder's name and its own name
     * ({@code n01440764/n01440764_10026.JPEG}), so the crop does not change when the data set
     * moves or when a subset of it is used.
     */
    static String cropKey(Path file) {
        Path parent = file.getParent();
        return (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/") + file.getFileName();
    }

    /** The generator of {@code file}'s random crop: seeded by {@code seed} and a 64-bit FNV-1a hash of its {@link #cropKey}. */
    static SplittableRandom cropRandom(long seed, Path file) {
        long h = 0xcbf29ce484222325L;
        for (byte b : cropKey(file).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(h * 0x9E3779B97F4A7C15L + seed);
    }

    /** Reads {@code file} whole, refusing what the class comment says. */
    static BufferedImage read(Path file) throws DecodeException {
        if (!Files.isReadable(file)) {
            throw new DecodeException(SkipLog.Reason.UNREADABLE, null);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new DecodeException(SkipLog.Reason.UNREADABLE, null);
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DecodeException(SkipLog.Reason.CORRUPT, "no image reader recognises its content");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DecodeException(SkipLog.Reason.TOO_LARGE, reader.getWidth(0) + " x " + reader.getHeight(0)
                            + " pixels (at most " + MAX_PIXELS + " pixels are decoded)");
                }
                BufferedImage image = reader.read(0);
                for (String w : warnings) {
                    String lower = w.toLowerCase(Locale.ROOT);
                    if (lower.contains("truncated") || lower.contains("premature end")) {
                        throw new DecodeException(SkipLog.Reason.CORRUPT, "truncated (" + w + ")");
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DecodeException(SkipLog.Reason.CORRUPT, message(e));
        } catch (RuntimeException e) {
            // Decoders signal some damaged streams with unchecked exceptions.
            throw new DecodeException(SkipLog.Reason.CORRUPT, message(e));
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code BYTE_VALUE[v] = v / 255f}: 8-bit samples to [0, 1], exactly as the division. */
    private static final float[] BYTE_VALUE = new float[256];

    static {
        for (int v = 0; v < 256; v++) BYTE_VALUE[v] = v / 255f;
    }

    /** The rows of {@code image} as RGB in [0, 1], read as the class comment says. */
    static Resampler.RgbRows rows(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int width = image.getWidth();
        int height = image.getHeight();
        boolean plain = !(cm instanceof IndexColorModel) && !cm.isAlphaPremultiplied();
        ColorSpace cs = cm.getColorSpace();
        boolean grey = plain && cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        boolean rgb = plain && cs.isCS_sRGB() && cm.getNumColorComponents() == 3;
        if ((grey || rgb) && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            // The common case (JPEG: 3 bytes BGR or 1 byte grey per pixel): read the bytes directly.
            byte[] data = bytes.getData();
            int base = bytes.getOffset();
            int pixelStride = sm.getPixelStride();
            int scanline = sm.getScanlineStride();
            int[] band = sm.getBandOffsets();
            int r = band[0];
            int g = grey ? band[0] : band[1];
            int b = grey ? band[0] : band[2];
            return new Rows(width, height) {
                @Override
                public void row(int y, float[] out) {
                    int p = base + y * scanline;
                    for (int x = 0; x < width; x++, p += pixelStride) {
                        out[3 * x] = BYTE_VALUE[data[p + r] & 0xff];
                        out[3 * x + 1] = BYTE_VALUE[data[p + g] & 0xff];
                        out[3 * x + 2] = BYTE_VALUE[data[p + b] & 0xff];
                    }
                }
            };
        }
        if (grey) {
            float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            return new Rows(width, height) {
                private final int[] samples = new int[width];

                @Override
                public void row(int y, float[] out) {
                    raster.getSamples(0, y, width, 1, 0, samples);
                    for (int x = 0; x < width; x++) {
                        float v = samples[x] / max;
                        out[3 * x] = v;
                        out[3 * x + 1] = v;
                        out[3 * x + 2] = v;
                    }
                }
            };
        }
        if (rgb) {
            int bands = raster.getNumBands();
            float[] max = new float[3];
            for (int b = 0; b < 3; b++) max[b] = (1 << raster.getSampleModel().getSampleSize(b)) - 1;
            return new Rows(width, height) {
                private final int[] samples = new int[width * bands];

                @Override
                public void row(int y, float[] out) {
                    raster.getPixels(0, y, width, 1, samples);
                    for (int x = 0; x < width; x++) {
                        for (int b = 0; b < 3; b++) out[3 * x + b] = samples[bands * x + b] / max[b];
                    }
                }
            };
        }
        return new Rows(width, height) {
            private final int[] argb = new int[width];

            @Override
            public void row(int y, float[] out) {
                image.getRGB(0, y, width, 1, argb, 0, width);
                for (int x = 0; x < width; x++) {
                    int p = argb[x];
                    out[3 * x] = ((p >> 16) & 0xff) / 255f;
                    out[3 * x + 1] = ((p >> 8) & 0xff) / 255f;
                    out[3 * x + 2] = (p & 0xff) / 255f;
                }
            }
        };
    }

    private abstract static class Rows implements Resampler.RgbRows {
        private final int width;
        private final int height;

        Rows(int width, int height) {
            this.width = width;
            this.height = height;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public int height() {
            return height;
        }
    }
}
