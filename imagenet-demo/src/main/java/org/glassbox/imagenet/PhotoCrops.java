package org.glassbox.imagenet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
 * A labelled image set made of real photographs where no labelled natural-image set can be had:
 * class c is one photograph, its images are square crops of {@code size} pixels at seeded random
 * places, written as PNG in their stored pixel format. Telling which photograph a crop comes from is
 * a texture and colour task, not object recognition; it gives the convolutional stack real
 * natural-image statistics (Olshausen and Field, Nature 1996: sparse coding of natural image patches
 * learns localised, oriented atoms) and a real decoding path, with a measurable accuracy.
 *
 * <p>The split is made by place, so that no test crop shares a pixel with a training crop of the
 * same photograph (random crops of one photograph split at random overlap, and a nearest-neighbour
 * match of shared pixels then passes for recognition). With a test fraction f &gt; 0, each
 * photograph of width W is cut at the column b = W - round(f W): the training crops
 * ({@code OUT/train/<photo>/crop-<i>.png}) lie in columns [0, b), the test crops
 * ({@code OUT/val/<photo>/crop-<i>.png}) in columns [b, W); {@code imagenet} reads train/ and val/
 * as its training and test sets. With f = 0 the crops form one class tree ({@code OUT/<photo>/...})
 * and any split of it is by file. Every crop's place is listed in {@code OUT/crops.csv}
 * ({@code split,class,file,x,y,size}). The set is written into a folder the caller provides (the
 * command line's is a {@link org.glassbox.framework.io.RunFolder}, which appears whole or not at
 * all).
 */
public final class PhotoCrops {
    /** The file listing every crop's place. */
    public static final String PLACES = "crops.csv";

    /**
     * What to cut: {@code perPhoto} training crops (all crops when {@code testFraction} is 0) and
     * {@code testPerPhoto} test crops per photograph, squares of {@code size} pixels, the test crops
     * from the right {@code testFraction} of each photograph's width, places drawn from {@code seed}.
     */
    public record Plan(int perPhoto, int testPerPhoto, int size, double testFraction, long seed) {
        public Plan {
            if (perPhoto < 1) throw new InvalidParameterException("--per-photo", perPhoto, "at least 1");
            if (size < 1) throw new InvalidParameterException("--size", size, "at least 1");
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new InvalidParameterException("--test-fraction", testFraction, "at least 0 and below 1");
            }
            if (testFraction > 0 && testPerPhoto < 1) {
                throw new InvalidParameterException("--test-per-photo", testPerPhoto, "at least 1 when --test-fraction > 0");
            }
        }

        /** The first test column of a photograph {@code width} pixels wide: width - round(testFraction width). */
        int boundary(int width) {
            return width - (int) Math.round(testFraction * width);
        }
    }

    private PhotoCrops() {
    }

    /**
     * Writes the crops into {@code out}, creating it if needed. Every photograph is read and checked
     * before anything is written.
     *
     * @param photos image files, one class each, named by the file name without its extension
     * @return the number of crops written
     */
    public static int write(List<Path> photos, Path out, Plan plan) {
        if (photos.isEmpty()) throw new GlassboxException("no photographs given (expected JPEG or PNG files)");
        List<BufferedImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path photo : photos) {
            BufferedImage image = read(photo);
            checkSize(photo, image, plan);
            String name = photo.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (names.contains(name)) throw new GlassboxException(photo + ": a second photograph named " + name);
            images.add(image);
            names.add(name);
        }
        int written = 0;
        try (Writer places = Files.newBufferedWriter(Files.createDirectories(out).resolve(PLACES), StandardCharsets.UTF_8)) {
            places.write("split,class,file,x,y,size\n");
            for (int c = 0; c < images.size(); c++) {
                BufferedImage image = images.get(c);
                SplittableRandom rng = new SplittableRandom(plan.seed() * 1_000_003L + c);
                if (plan.testFraction() == 0) {
                    written += cut(image, 0, image.getWidth(), plan.perPhoto(), plan.size(), rng, out, "", names.get(c), places);
                } else {
                    int b = plan.boundary(image.getWidth());
                    written += cut(image, 0, b, plan.perPhoto(), plan.size(), rng, out, "train", names.get(c), places);
                    written += cut(image, b, image.getWidth(), plan.testPerPhoto(), plan.size(), rng, out, "val",
                            names.get(c), places);
                }
            }
        } catch (IOException e) {
            throw new GlassboxException(out + ": cannot write the crops: " + e.getMessage(), e);
        }
        return written;
    }

    private static BufferedImage read(Path photo) {
        try {
            return ImageDecoder.read(photo);
        } catch (ImageDecoder.DecodeException e) {
            throw new GlassboxException(photo + ": " + e.reason.text() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** Refuses a photograph too small for a crop in each of its parts. */
    private static void checkSize(Path photo, BufferedImage image, Plan plan) {
        int w = image.getWidth();
        int h = image.getHeight();
        int b = plan.boundary(w);
        int narrowest = plan.testFraction() == 0 ? w : Math.min(b, w - b);
        if (h < plan.size() || narrowest < plan.size()) {
            String parts = plan.testFraction() == 0 ? ""
                    : ", whose training part is " + b + " and test part " + (w - b) + " pixels wide at --test-fraction "
                            + plan.testFraction();
            throw new GlassboxException(photo + ": " + w + " x " + h + " pixels" + parts
                    + ", too small for crops of " + plan.size() + " (expected each part at least " + plan.size()
                    + " pixels wide and the photograph at least " + plan.size() + " high)");
        }
    }

    /** Cuts {@code count} crops from columns [from, to) of {@code image} into {@code out/split/name/}. */
    private static int cut(BufferedImage image, int from, int to, int count, int size, SplittableRandom rng, Path out,
            String split, String name, Writer places) throws IOException {
        Path dir = Files.createDirectories(split.isEmpty() ? out.resolve(name) : out.resolve(split).resolve(name));
        for (int i = 0; i < count; i++) {
            int x = from + rng.nextInt(to - from - size + 1);
            int y = rng.nextInt(image.getHeight() - size + 1);
            String file = String.format(Locale.ROOT, "crop-%04d.png", i);
            if (!ImageIO.write(image.getSubimage(x, y, size, size), "png", dir.resolve(file).toFile())) {
                throw new IOException("no PNG writer for the pixel format of the photograph " + name);
            }
            places.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d%n", split.isEmpty() ? "all" : split, name, file,
                    x, y, size));
        }
        return count;
    }
}
