package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoCropsTest {
    @TempDir
    Path tmp;

    /** A photograph whose every pixel tells its place: red = x, green = y, blue = the photograph. */
    private Path photo(String name, int w, int h, int tag) {
        return TestImages.write(tmp.resolve(name), "png", w, h, (x, y) -> x << 16 | y << 8 | tag);
    }

    private record Place(String split, String photo, String file, int x, int y, int size) {
        static Place parse(String line) {
            String[] f = line.split(",");
            return new Place(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]));
        }
    }

    private static List<Place> places(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve(PhotoCrops.PLACES));
        assertEquals("split,class,file,x,y,size", lines.get(0));
        return lines.stream().skip(1).map(Place::parse).toList();
    }

    @Test
    void testCropsComeFromTheRightPartAndNeverOverlapATrainingCrop() throws IOException {
        List<Path> photos = List.of(photo("wide.png", 100, 40, 1), photo("narrow.png", 64, 30, 2));
        Path out = tmp.resolve("crops");
        int n = PhotoCrops.write(photos, out, new PhotoCrops.Plan(30, 7, 12, 0.25, 3));

        assertEquals(2 * (30 + 7), n);
        List<Place> places = places(out);
        assertEquals(n, places.size());
        for (Place p : places) {
            int width = p.photo().equals("wide") ? 100 : 64;
            int boundary = p.photo().equals("wide") ? 75 : 48;
            if (p.split().equals("train")) {
                assertTrue(p.x() >= 0 && p.x() + p.size() <= boundary, p.toString());
            } else {
                assertEquals("val", p.split());
                assertTrue(p.x() >= boundary && p.x() + p.size() <= width, p.toString());
            }
            BufferedImage crop = ImageIO.read(out.resolve(p.split()).resolve(p.photo()).resolve(p.file()).toFile());
            assertEquals(12, crop.getWidth());
            assertEquals(12, crop.getHeight());
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    int rgb = crop.getRGB(x, y) & 0xFFFFFF;
                    assertEquals(p.x() + x, rgb >> 16, "the crop holds the pixels of its listed place");
                    assertEquals(p.y() + y, (rgb >> 8) & 0xFF);
                }
            }
        }
        assertEquals(30, places.stream().filter(p -> p.split().equals("train") && p.photo().equals("narrow")).count());
        assertEquals(7, places.stream().filter(p -> p.split().equals("val") && p.photo().equals("wide")).count());
    }

    @Test
    void imagenetReadsTheSplitAsItsTrainingAndTestSets() {
        List<Path> photos = List.of(photo("a.png", 64, 20, 1), photo("b.png", 64, 20, 2));
        Path out = tmp.resolve("crops");
        PhotoCrops.write(photos, out, new PhotoCrops.Plan(6, 2, 8, 0.25, 1));

        DataLayout.Found found = DataLayout.read(out, null, 0.2, 1, new SkipLog(line -> { }));
        assertEquals(List.of("a", "b"), found.train().classes());
        assertArrayEquals(new int[] {6, 6}, found.train().classCounts());
        assertArrayEquals(new int[] {2, 2}, found.test().classCounts());
        assertTrue(found.layout().startsWith("ILSVRC-2012 layout"), found.layout());
    }

    @Test
    void theSameSeedCutsTheSamePlacesAndAnotherSeedOthers() throws IOException {
        List<Path> photos = List.of(photo("a.png", 80, 50, 1));
        PhotoCrops.write(photos, tmp.resolve("one"), new PhotoCrops.Plan(10, 3, 8, 0.25, 5));
        PhotoCrops.write(photos, tmp.resolve("two"), new PhotoCrops.Plan(10, 3, 8, 0.25, 5));
        PhotoCrops.write(photos, tmp.resolve("three"), new PhotoCrops.Plan(10, 3, 8, 0.25, 6));

        assertEquals(places(tmp.resolve("one")), places(tmp.resolve("two")));
        assertNotEquals(places(tmp.resolve("one")), places(tmp.resolve("three")));
    }

    @Test
    void testFractionZeroWritesOneClassTreeWithoutASplit() throws IOException {
        Path out = tmp.resolve("crops");
        PhotoCrops.write(List.of(photo("a.png", 20, 20, 1)), out, new PhotoCrops.Plan(4, 0, 20, 0, 1));

        assertEquals(4, places(out).size());
        assertTrue(places(out).stream().allMatch(p -> p.split().equals("all") && p.x() == 0 && p.y() == 0));
        assertTrue(Files.isRegularFile(out.resolve("a/crop-0003.png")));
        assertFalse(Files.exists(out.resolve("train")));
    }

    @Test
    void aPhotographTooNarrowForItsTestPartIsRefusedBeforeAnythingIsWritten() {
        Path small = photo("small.png", 40, 30, 1);
        Path out = tmp.resolve("crops");
        GlassboxException e = assertThrows(GlassboxException.class, () -> PhotoCrops.write(
                List.of(photo("big.png", 100, 30, 2), small), out, new PhotoCrops.Plan(5, 2, 12, 0.25, 1)));

        assertEquals(small + ": 40 x 30 pixels, whose training part is 30 and test part 10 pixels wide at "
                + "--test-fraction 0.25, too small for crops of 12 (expected each part at least 12 pixels wide and the "
                + "photograph at least 12 high)", e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void badPlansNameTheirOption() {
        assertEquals("invalid --test-fraction = 1.0: expected at least 0 and below 1", assertThrows(
                InvalidParameterException.class, () -> new PhotoCrops.Plan(5, 2, 8, 1.0, 1)).getMessage());
        assertEquals("invalid --test-per-photo = 0: expected at least 1 when --test-fraction > 0", assertThrows(
                InvalidParameterException.class, () -> new PhotoCrops.Plan(5, 0, 8, 0.25, 1)).getMessage());
        assertEquals("invalid --per-photo = 0: expected at least 1", assertThrows(
                InvalidParameterException.class, () -> new PhotoCrops.Plan(0, 2, 8, 0.25, 1)).getMessage());
    }
}
