package org.glassbox.imagenet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/** Writes small real image files for the tests. */
public final class TestImages {
    private TestImages() {
    }

    /** Writes a {@code w x h} RGB image whose pixel (x, y) is {@code rgb.applyAsInt(x, y)} (0xRRGGBB) as PNG or JPEG (by {@code format}). */
    public static Path write(Path file, String format, int w, int h, IntBinaryOperator rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, rgb.applyAsInt(x, y));
        }
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) throw new IllegalStateException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A solid {@code w x h} PNG of colour {@code rgb}. */
    public static Path solidPng(Path file, int w, int h, int rgb) {
        return write(file, "png", w, h, (x, y) -> rgb);
    }

    /** Writes raw bytes. */
    public static Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes text. */
    public static Path text(Path file, String content) {
        return bytes(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The first half of a valid JPEG of noise: a truncated file. */
    public static Path truncatedJpeg(Path file) {
        Path whole = write(file.resolveSibling(file.getFileName() + ".whole.tmp"), "jpg", 64, 48,
                (x, y) -> (x * 7919 + y * 104729) & 0xffffff);
        try {
            byte[] b = Files.readAllBytes(whole);
            Files.delete(whole);
            return bytes(file, java.util.Arrays.copyOf(b, b.length / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Colours of the test classes: red, green, blue, grey. */
    public static final int[] CLASS_COLOURS = {0xc81e1e, 0x1ec81e, 0x1e1ec8, 0x808080};

    /**
     * A class tree under {@code root}: {@code perClass[c]} solid PNGs of colour
     * {@code CLASS_COLOURS[c]} and sizes that vary (w = 20 + i, h = 16 + 2i) in folder
     * {@code class<c>}, named {@code img<i>.png}.
     */
    public static List<Path> classTree(Path root, int... perClass) {
        List<Path> all = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                all.add(solidPng(root.resolve("class" + c).resolve("img" + i + ".png"), 20 + i, 16 + 2 * i,
                        CLASS_COLOURS[c]));
            }
        }
        return all;
    }

    /**
     * A class tree of textured images under {@code root}: class c (folder {@code class<c>}) holds
     * {@code perClass} PNGs of stripes at angle c pi / classes in colour {@code CLASS_COLOURS[c % 4]}
     * on a darker ground, with a phase, a size and pixel noise drawn from {@code seed}, so classes differ
     * in orientation and colour and every image differs from the others.
     */
    public static List<Path> stripes(Path root, int classes, int perClass, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<Path> all = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            double angle = Math.PI * c / classes;
            double cx = Math.cos(angle);
            double cy = Math.sin(angle);
            int colour = CLASS_COLOURS[c % CLASS_COLOURS.length];
            for (int i = 0; i < perClass; i++) {
                double phase = rng.nextDouble(2 * Math.PI);
                int size = 22 + rng.nextInt(8);
                long noiseSeed = rng.nextLong();
                all.add(write(root.resolve("class" + c).resolve("img" + i + ".png"), "png", size, size, (x, y) -> {
                    double v = 0.5 + 0.5 * Math.sin(1.3 * (x * cx + y * cy) + phase);
                    int noise = (int) (new java.util.SplittableRandom(noiseSeed ^ (x * 131L + y)).nextInt(31)) - 15;
                    int r = clamp((int) (v * (colour >> 16 & 0xff)) + noise);
                    int g = clamp((int) (v * (colour >> 8 & 0xff)) + noise);
                    int b = clamp((int) (v * (colour & 0xff)) + noise);
                    return r << 16 | g << 8 | b;
                }));
            }
        }
        return all;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
