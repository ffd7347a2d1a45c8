package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    /** Decodes a square {@code size x size} image at its own size: no scaling, the crop is the whole image. */
    private static float[] decodeWhole(Path file, int size) throws ImageDecoder.DecodeException {
        float[] out = new float[size * size * 3];
        ImageDecoder.decode(file, new Preprocess(size, size, size, Preprocess.Crop.CENTRE), 1, out);
        return out;
    }

    private static void assertPixel(float[] out, int w, int x, int y, int rgb, float tolerance) {
        int i = (y * w + x) * 3;
        assertEquals(((rgb >> 16) & 0xff) / 255f, out[i], tolerance, "red at " + x + "," + y);
        assertEquals(((rgb >> 8) & 0xff) / 255f, out[i + 1], tolerance, "green at " + x + "," + y);
        assertEquals((rgb & 0xff) / 255f, out[i + 2], tolerance, "blue at " + x + "," + y);
    }

    @Test
    void rgbPngDecodesExactly() throws Exception {
        Path f = TestImages.write(dir.resolve("a.png"), "png", 6, 6, (x, y) -> (x * 40) << 16 | (y * 40) << 8 | 7 * x * y);
        float[] out = decodeWhole(f, 6);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) assertPixel(out, 6, x, y, (x * 40) << 16 | (y * 40) << 8 | 7 * x * y, 0f);
        }
    }

    @Test
    void greyPngIsReadFromItsSamplesWithoutGammaConversion() throws Exception {
        BufferedImage img = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 1, 0, 55);
        Path f = dir.resolve("grey.png");
        ImageIO.write(img, "png", f.toFile());
        float[] out = decodeWhole(f, 3);
        assertPixel(out, 3, 1, 1, 0x373737, 0f);
        assertPixel(out, 3, 0, 0, 0x000000, 0f);
    }

    @Test
    void sixteenBitGreyPngScalesBy65535() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(1, 0, 0, 30000);
        Path f = dir.resolve("grey16.png");
        ImageIO.write(img, "png", f.toFile());
        float[] out = decodeWhole(f, 2);
        for (int c = 0; c < 3; c++) assertEquals(30000 / 65535f, out[3 + c], 1e-7f);
    }

    @Test
    void palettePngGivesPaletteColours() throws Exception {
        byte[] r = {(byte) 10, (byte) 250};
        byte[] g = {(byte) 20, (byte) 128};
        byte[] b = {(byte) 30, (byte) 0};
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
        img.getRaster().setSample(1, 0, 0, 1);
        Path f = dir.resolve("pal.png");
        ImageIO.write(img, "png", f.toFile());
        float[] out = decodeWhole(f, 2);
        assertPixel(out, 2, 0, 0, 0x0a141e, 0f);
        assertPixel(out, 2, 1, 0, 0xfa8000, 0f);
    }

    @Test
    void alphaIsDropped() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x40c81e64);
        Path f = dir.resolve("rgba.png");
        ImageIO.write(img, "png", f.toFile());
        assertPixel(decodeWhole(f, 2), 2, 0, 0, 0xc81e64, 0f);
    }

    @Test
    void jpegDecodesWithinCompressionError() throws Exception {
        Path f = TestImages.write(dir.resolve("a.jpg"), "jpg", 16, 16, (x, y) -> 0x3c78b4);
        float[] out = decodeWhole(f, 16);
        assertPixel(out, 16, 8, 8, 0x3c78b4, 3 / 255f);
    }

    @Test
    void pngNamedJpegDecodesByContent() throws Exception {
        Path f = TestImages.solidPng(dir.resolve("disguised.JPEG"), 4, 4, 0x123456);
        assertPixel(decodeWhole(f, 4), 4, 2, 2, 0x123456, 0f);
    }

    /**
     * An 8 x 8 CMYK JPEG (Adobe inverted CMYK) of the colour (30, 40, 200), written by Pillow 9.4:
     * {@code Image.new('RGB', (8, 8), (30, 40, 200)).convert('CMYK').save('cmyk.jpg', quality=95)}.
     * The JDK's own reader decodes it to about (96, 110, 229); TwelveMonkeys' reader gives the colour.
     */
    @Test
    void cmykJpegHasItsColour() throws Exception {
        Path f = dir.resolve("cmyk.jpg");
        try (InputStream in = getClass().getResourceAsStream("cmyk.jpg")) {
            Files.copy(in, f);
        }
        assertPixel(decodeWhole(f, 8), 8, 3, 3, 0x1e28c8, 2 / 255f);
    }

    private static ImageDecoder.DecodeException refused(Path f) {
        return assertThrows(ImageDecoder.DecodeException.class, () -> ImageDecoder.read(f));
    }

    @Test
    void randomBytesAndEmptyFilesAreCorrupt() {
        ImageDecoder.DecodeException e = refused(TestImages.bytes(dir.resolve("noise.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7}));
        assertEquals(SkipLog.Reason.CORRUPT, e.reason);
        assertEquals("no image reader recognises its content", e.getMessage());
        e = refused(TestImages.bytes(dir.resolve("empty.png"), new byte[0]));
        assertEquals(SkipLog.Reason.CORRUPT, e.reason);
        assertEquals("no image reader recognises its content", e.getMessage());
    }

    @Test
    void truncatedJpegIsCorruptNotGreyFilled() {
        ImageDecoder.DecodeException e = refused(TestImages.truncatedJpeg(dir.resolve("half.jpg")));
        assertEquals(SkipLog.Reason.CORRUPT, e.reason);
        assertTrue(e.getMessage().startsWith("truncated ("), e.getMessage());
    }

    @Test
    void truncatedPngIsCorrupt() throws IOException {
        Path whole = TestImages.write(dir.resolve("whole.png"), "png", 32, 32, (x, y) -> x * 7919 + y * 104729);
        byte[] b = Files.readAllBytes(whole);
        ImageDecoder.DecodeException e = refused(TestImages.bytes(dir.resolve("half.png"), java.util.Arrays.copyOf(b, b.length / 2)));
        assertEquals(SkipLog.Reason.CORRUPT, e.reason);
    }

    @Test
    void hugeImageIsRefusedFromItsHeader() throws IOException {
        Path f = TestImages.bytes(dir.resolve("huge.png"), pngHeaderOnly(10000, 10000));
        ImageDecoder.DecodeException e = refused(f);
        assertEquals(SkipLog.Reason.TOO_LARGE, e.reason);
        assertEquals("10000 x 10000 pixels (at most 67108864 pixels are decoded)", e.getMessage());
    }

    @Test
    void pngHeaderClaimingTenBillionPixelsIsRefusedFromItsHeader() throws IOException {
        Path f = TestImages.bytes(dir.resolve("bomb.png"), pngHeaderOnly(100_000, 100_000));
        ImageDecoder.DecodeException e = refused(f);
        assertEquals(SkipLog.Reason.TOO_LARGE, e.reason);
        assertEquals("100000 x 100000 pixels (at most 67108864 pixels are decoded)", e.getMessage());
    }

    /** 35 bytes: SOI, a baseline SOF0 frame header for 65,000 x 65,000 YCbCr pixels, EOI; no tables, no scan. */
    @Test
    void jpegHeaderClaimingFourBillionPixelsIsRefusedFromItsHeader() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0xffd8);
        out.writeShort(0xffc0);
        out.writeShort(17);
        out.writeByte(8);
        out.writeShort(65_000);
        out.writeShort(65_000);
        out.write(new byte[] {3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        out.writeShort(0xffd9);
        Path f = TestImages.bytes(dir.resolve("bomb.jpg"), bytes.toByteArray());
        ImageDecoder.DecodeException e = refused(f);
        assertEquals(SkipLog.Reason.TOO_LARGE, e.reason);
        assertEquals("65000 x 65000 pixels (at most 67108864 pixels are decoded)", e.getMessage());
    }

    /** A PNG signature, an IHDR chunk for a {@code w x h} RGB image and IEND, with no pixel data. */
    private static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void centreCropTakesTheMiddle() throws Exception {
        // 12 x 4 image, columns coloured by x; scaled shorter side 4 = identity; a 4 x 4 centre crop starts at x = 4.
        Path f = TestImages.write(dir.resolve("wide.png"), "png", 12, 4, (x, y) -> x * 20 << 16);
        float[] out = new float[4 * 4 * 3];
        ImageDecoder.decode(f, new Preprocess(4, 4, 4, Preprocess.Crop.CENTRE), 1, out);
        for (int x = 0; x < 4; x++) assertPixel(out, 4, x, 0, (x + 4) * 20 << 16, 0f);
    }

    @Test
    void randomCropDependsOnlyOnSeedAndFileKey() throws Exception {
        Path f = TestImages.write(dir.resolve("n01/wide.png"), "png", 40, 4, (x, y) -> x * 6 << 16);
        Preprocess pre = new Preprocess(4, 4, 4, Preprocess.Crop.RANDOM);
        Set<Float> firstColumns = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            float[] a = new float[48];
            float[] b = new float[48];
            ImageDecoder.decode(f, pre, seed, a);
            ImageDecoder.decode(f, pre, seed, b);
            assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
            firstColumns.add(a[0]);
        }
        assertTrue(firstColumns.size() > 1, "eight seeds gave one crop place");
        assertEquals("n01/wide.png", ImageDecoder.cropKey(f));
    }

    @Test
    void aMirroredCropIsTheRandomCropAtTheSamePlaceReversedRowByRowOnHalfTheFiles() throws Exception {
        Preprocess random = new Preprocess(6, 6, 6, Preprocess.Crop.RANDOM);
        Preprocess mirrored = random.withCrop(Preprocess.Crop.RANDOM_MIRRORED);
        int flipped = 0;
        for (int f = 0; f < 40; f++) {
            int tag = f;
            Path file = TestImages.write(dir.resolve("c/" + f + ".png"), "png", 20, 6, (x, y) -> x * 12 << 16 | y * 40 << 8 | tag);
            float[] plain = new float[6 * 6 * 3];
            float[] mirror = new float[6 * 6 * 3];
            ImageDecoder.decode(file, random, 5, plain);
            ImageDecoder.decode(file, mirrored, 5, mirror);
            float[] reversed = plain.clone();
            ImageDecoder.mirrorRows(reversed, 6, 6);
            for (int y = 0; y < 6; y++) {
                assertEquals(plain[(y * 6 + 5) * 3], reversed[y * 6 * 3], "row " + y + " starts with the last pixel");
            }
            if (java.util.Arrays.equals(mirror, reversed)) {
                flipped++;
            } else {
                assertArrayEquals(plain, mirror, "file " + f + ": neither the random crop nor its mirror");
            }
        }
        assertTrue(flipped >= 10 && flipped <= 30, flipped + " of 40 crops mirrored");
    }
}
