package org.glassbox.imagenet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * A class tree of real photographs where no labelled natural-image set can be had: class c is one
 * photograph, its images are {@code perPhoto} square crops of {@code size} pixels at seeded random
 * places, written as PNG in their stored pixel format ({@code OUT/<photo name>/crop-<i>.png}).
 * Telling which photograph a crop comes from is a texture and colour task, not object recognition;
 * it gives the convolutional stack real natural-image statistics (Olshausen and Field, Nature 1996:
 * sparse coding of natural image patches learns localised, oriented atoms) and a real decoding
 * path, with a measurable accuracy. The tree is written into a folder the caller provides (the
 * command line's is a {@link org.glassbox.framework.io.RunFolder}, which appears whole or not at all).
 */
public final class PhotoCrops {
    private PhotoCrops() {
    }

    /**
     * Writes the class tree into {@code out}, creating it if needed.
     *
     * @param photos image files, one class each, named by the file name without its extension
     * @param perPhoto crops per photograph, at least 1
     * @param size the side of each crop, at least 1 and at most the shorter side of every photograph
     * @return the number of crops written
     */
    public static int write(List<Path> photos, Path out, int perPhoto, int size, long seed) {
        if (perPhoto < 1) throw new InvalidParameterException("--per-photo", perPhoto, "at least 1");
        if (size < 1) throw new InvalidParameterException("--size", size, "at least 1");
        if (photos.isEmpty()) throw new GlassboxException("no photographs given (expected JPEG or PNG files)");
        List<BufferedImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path photo : photos) {
            BufferedImage image;
            try {
                image = ImageDecoder.read(photo);
            } catch (ImageDecoder.DecodeException e) {
                throw new GlassboxException(photo + ": " + e.reason.text() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            }
            if (Math.min(image.getWidth(), image.getHeight()) < size) {
                throw new GlassboxException(photo + ": " + image.getWidth() + " x " + image.getHeight()
                        + " pixels, smaller than the crop (expected both sides at least " + size + ")");
            }
            String name = photo.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (names.contains(name)) throw new GlassboxException(photo + ": a second photograph named " + name);
            images.add(image);
            names.add(name);
        }
        try {
            for (int c = 0; c < images.size(); c++) {
                BufferedImage image = images.get(c);
                SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + c);
                Path dir = Files.createDirectories(out.resolve(names.get(c)));
                for (int i = 0; i < perPhoto; i++) {
                    int x = rng.nextInt(image.getWidth() - size + 1);
                    int y = rng.nextInt(image.getHeight() - size + 1);
                    Path file = dir.resolve(String.format(Locale.ROOT, "crop-%04d.png", i));
                    if (!ImageIO.write(image.getSubimage(x, y, size, size), "png", file.toFile())) {
                        throw new IOException("no PNG writer for the pixel format of " + photos.get(c));
                    }
                }
            }
        } catch (IOException e) {
            throw new GlassboxException(out + ": cannot write the crops: " + e.getMessage(), e);
        }
        return images.size() * perPhoto;
    }
}
