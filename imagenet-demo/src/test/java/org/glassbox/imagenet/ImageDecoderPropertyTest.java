package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageDecoder#decode} fed seeded random bytes, random truncations and random single-byte
 * mutations of small real PNG (RGB and grey) and JPEG files: each must decode to finite values
 * in [0, 1] or throw {@link ImageDecoder.DecodeException} (the file is then skipped), never
 * another Throwable. Case i is drawn from {@code new SplittableRandom(i)}.
 */
class ImageDecoderPropertyTest {
    static final int CASES = 300;

    @TempDir
    Path dir;

    @Test
    void decoderGivesPixelsInRangeOrADecodeException() throws IOException {
        BufferedImage grey = new BufferedImage(7, 5, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 2, 0, 200);
        ImageIO.write(grey, "png", dir.resolve("grey.png").toFile());
        List<byte[]> valid = List.of(
                Files.readAllBytes(TestImages.write(dir.resolve("rgb.png"), "png", 8, 6, (x, y) -> x * 30 << 16 | y * 40)),
                Files.readAllBytes(dir.resolve("grey.png")),
                Files.readAllBytes(TestImages.write(dir.resolve("a.jpg"), "jpg", 16, 8, (x, y) -> (x * 7919 + y * 104729) & 0xffffff)));
        Preprocess pre = new Preprocess(4, 4, 4, Preprocess.Crop.CENTRE);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            SplittableRandom rng = new SplittableRandom(i);
            byte[] base = valid.get(rng.nextInt(valid.size()));
            String kind;
            byte[] b;
            switch (rng.nextInt(3)) {
                case 0 -> {
                    b = new byte[rng.nextInt(2 * base.length + 1)];
                    rng.nextBytes(b);
                    int k = rng.nextInt(Math.min(b.length, base.length) + 1);
                    System.arraycopy(base, 0, b, 0, k);
                    kind = "random bytes after " + k + " valid ones";
                }
                case 1 -> {
                    b = Arrays.copyOf(base, rng.nextInt(base.length));
                    kind = "cut to " + b.length + " bytes";
                }
                default -> {
                    b = base.clone();
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 + rng.nextInt(255));
                    kind = "byte " + at + " changed";
                }
            }
            Path f = Files.write(dir.resolve("case.img"), b);
            String name = "case " + i + " (" + kind + ")";
            float[] out = new float[4 * 4 * 3];
            try {
                ImageDecoder.decode(f, pre, 1, out);
                for (float v : out) assertTrue(v >= 0f && v <= 1f, name + ": value " + v);
                decoded++;
            } catch (ImageDecoder.DecodeException e) {
                refused++;
            } catch (Throwable t) {
                fail(name + " threw " + t, t);
            }
        }
        assertTrue(decoded > 10 && refused > 10, "decoded " + decoded + ", refused " + refused);
    }
}
