package org.glassbox.framework.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ImageSet#shifted}: pixels move, the frame stays, vacated pixels are 0, labels stay. */
class ImageSetShiftTest {
    /** Two 3 x 4 two-channel images whose value is 100 n + 10 y + x + channel / 2 + 1. */
    private static ImageSet set() {
        float[] v = new float[2 * 3 * 4 * 2];
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 2; c++) v[((n * 3 + y) * 4 + x) * 2 + c] = 100 * n + 10 * y + x + c / 2f + 1;
                }
            }
        }
        return new ImageSet("t", Nd4j.create(v, new long[] {2, 3, 4, 2}, 'c'), new int[] {1, 0}, 2);
    }

    @Test
    void movesPixelsDownAndLeftAndFillsWithZero() {
        ImageSet s = set().shifted(1, -2);
        assertArrayEquals(new long[] {2, 3, 4, 2}, s.images().shape());
        assertArrayEquals(new int[] {1, 0}, s.labels());
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 2; c++) {
                        int sy = y - 1;
                        int sx = x + 2;
                        float expected = sy >= 0 && sx < 4 ? 100 * n + 10 * sy + sx + c / 2f + 1 : 0;
                        assertEquals(expected, s.images().getFloat(n, y, x, c), 0, "n " + n + " y " + y + " x " + x + " c " + c);
                    }
                }
            }
        }
    }

    @Test
    void noShiftIsTheSameImagesAndTooLargeAShiftIsRefused() {
        assertEquals(set().images(), set().shifted(0, 0).images());
        GlassboxException e = assertThrows(GlassboxException.class, () -> set().shifted(3, 0));
        assertEquals("t: a shift of (3, 0) pixels moves 3 x 4 images out of their frame (expected shifts smaller than the "
                + "image)", e.getMessage());
    }
}
