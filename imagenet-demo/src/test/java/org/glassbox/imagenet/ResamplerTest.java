package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    /** An image given as a function of (x, y, channel). */
    private static Resampler.RgbRows image(int w, int h, java.util.function.IntBinaryOperator grey) {
        return new Resampler.RgbRows() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void row(int y, float[] out) {
                for (int x = 0; x < w; x++) {
                    float v = grey.applyAsInt(x, y) / 255f;
                    out[3 * x] = v;
                    out[3 * x + 1] = v / 2;
                    out[3 * x + 2] = 1 - v;
                }
            }
        };
    }

    private static float[] run(Resampler.RgbRows src, int shorter, int top, int left, int ch, int cw) {
        int[] s = Resampler.scaledSize(src.width(), src.height(), shorter);
        float[] out = new float[ch * cw * 3];
        Resampler.resizeCrop(src, s[0], s[1], top, left, ch, cw, out);
        return out;
    }

    @Test
    void scaledSizeKeepsAspectRatioWithTheShorterSideExact() {
        assertArrayEquals(new int[] {256, 341}, Resampler.scaledSize(500, 375, 256));
        assertArrayEquals(new int[] {341, 256}, Resampler.scaledSize(375, 500, 256));
        assertArrayEquals(new int[] {64, 64}, Resampler.scaledSize(10, 10, 64));
        assertArrayEquals(new int[] {8, 8000}, Resampler.scaledSize(1000, 1, 8));
    }

    @Test
    void sameSizeIsTheIdentity() {
        Resampler.RgbRows src = image(7, 5, (x, y) -> (x * 31 + y * 17) % 256);
        float[] out = run(src, 5, 0, 0, 5, 7);
        float[] row = new float[21];
        for (int y = 0; y < 5; y++) {
            src.row(y, row);
            for (int i = 0; i < 21; i++) assertEquals(row[i], out[y * 21 + i], 0f);
        }
    }

    @Test
    void constantImageStaysConstantAtAnyScale() {
        Resampler.RgbRows src = image(37, 23, (x, y) -> 200);
        for (int shorter : new int[] {5, 11, 23, 40}) {
            float[] out = run(src, shorter, 0, 0, 5, 5);
            for (int i = 0; i < out.length; i += 3) {
                assertEquals(200 / 255f, out[i], 1e-6f);
                assertEquals(1 - 200 / 255f, out[i + 2], 1e-6f);
            }
        }
    }

    @Test
    void halvingAveragesStripesInsteadOfAliasing() {
        // One-pixel stripes 0, 255, 0, 255 ... : a point-sampling or plain bilinear shrink by 2 returns
        // the stripes' values (aliasing); the stretched tent filter returns their mean.
        Resampler.RgbRows src = image(64, 64, (x, y) -> (x % 2) * 255);
        float[] out = run(src, 32, 0, 0, 32, 32);
        for (int y = 0; y < 32; y++) {
            for (int x = 1; x < 31; x++) assertEquals(0.5f, out[(y * 32 + x) * 3], 1e-6f, "x=" + x);
        }
    }

    @Test
    void enlargingALinearRampIsLinearInside() {
        Resampler.RgbRows src = image(10, 10, (x, y) -> 10 * x);
        float[] out = run(src, 40, 0, 0, 40, 40);
        // output column o samples source coordinate (o + 1/2) / 4 - 1/2 between pixel centres
        for (int o = 2; o < 38; o++) {
            float expected = (float) (10 * ((o + 0.5) / 4 - 0.5) / 255);
            assertEquals(expected, out[(5 * 40 + o) * 3], 1e-5f, "o=" + o);
        }
    }

    @Test
    void cropIsTheWindowOfTheFullResize() {
        Resampler.RgbRows src = image(50, 30, (x, y) -> (x * 7 + y * 13) % 256);
        float[] full = run(src, 20, 0, 0, 20, 33);
        float[] window = run(src, 20, 4, 9, 12, 15);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 15; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(full[((y + 4) * 33 + x + 9) * 3 + c], window[(y * 15 + x) * 3 + c], 1e-6f);
                }
            }
        }
    }
}
