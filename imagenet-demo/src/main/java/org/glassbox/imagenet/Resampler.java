package org.glassbox.imagenet;

/**
 * Scales an RGB image so that its shorter side has a given length and cuts a window from the
 * scaled image, computing only the window's pixels.
 *
 * <p>Each axis is resampled separately with a triangle (tent) filter. For an axis of {@code n}
 * source pixels scaled to {@code m}, let {@code r = n / m} and {@code s = max(r, 1)}; output pixel
 * {@code o} is centred at source coordinate {@code c = (o + 1/2) r} (pixel {@code j} covers
 * [j, j+1)) and is the weighted mean of source pixels {@code j} with weight
 * {@code max(0, 1 - |j + 1/2 - c| / s)}, the weights normalised to sum to 1 (pixels outside the
 * image are left out). When enlarging ({@code s = 1}) this is bilinear interpolation; when
 * shrinking, the filter is stretched by the reduction factor so that every source pixel
 * contributes and fine detail is averaged rather than aliased (Wolberg, Digital Image Warping,
 * 1990, ch. 5; the same filter as Pillow's antialiased bilinear resize). Weights are
 * non-negative, so outputs stay in the input's range.
 */
final class Resampler {
    private Resampler() {
    }

    /** Rows of a source image, RGB interleaved, values in [0, 1]. */
    interface RgbRows {
        int width();

        int height();

        /** Writes row {@code y} into {@code out[0 .. 3 * width)} as r, g, b, r, g, b, ... */
        void row(int y, float[] out);
    }

    /** The size after scaling the shorter side of a {@code width x height} image to {@code shorterSide}: {height, width}. */
    static int[] scaledSize(int width, int height, int shorterSide) {
        if (height <= width) {
            long w = Math.max(shorterSide, Math.round((double) width * shorterSide / height));
            return new int[] {shorterSide, (int) Math.min(Integer.MAX_VALUE, w)};
        }
        long h = Math.max(shorterSide, Math.round((double) height * shorterSide / width));
        return new int[] {(int) Math.min(Integer.MAX_VALUE, h), shorterSide};
    }

    /**
     * Writes the {@code cropH x cropW} window at ({@code top}, {@code left}) of {@code src} scaled to
     * {@code scaledH x scaledW} into {@code out}, row-major {@code [cropH, cropW, 3]}.
     */
    static void resizeCrop(RgbRows src, int scaledH, int scaledW, int top, int left, int cropH, int cropW, float[] out) {
        Taps cols = Taps.of(src.width(), scaledW, left, cropW);
        Taps rows = Taps.of(src.height(), scaledH, top, cropH);
        int yLo = rows.start[0];
        int yHi = 0;
        for (int o = 0; o < cropH; o++) yHi = Math.max(yHi, rows.start[o] + rows.weights[o].length - 1);
        int rowLen = cropW * 3;
        float[] horizontal = new float[(yHi - yLo + 1) * rowLen];
        float[] line = new float[src.width() * 3];
        for (int y = yLo; y <= yHi; y++) {
            src.row(y, line);
            int base = (y - yLo) * rowLen;
            for (int x = 0; x < cropW; x++) {
                float[] w = cols.weights[x];
                int j0 = cols.start[x] * 3;
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = 0; t < w.length; t++) {
                    int k = j0 + 3 * t;
                    r += w[t] * line[k];
                    g += w[t] * line[k + 1];
                    b += w[t] * line[k + 2];
                }
                horizontal[base + 3 * x] = r;
                horizontal[base + 3 * x + 1] = g;
                horizontal[base + 3 * x + 2] = b;
            }
        }
        for (int o = 0; o < cropH; o++) {
            float[] w = rows.weights[o];
            int outBase = o * rowLen;
            java.util.Arrays.fill(out, outBase, outBase + rowLen, 0f);
            for (int t = 0; t < w.length; t++) {
                int srcBase = (rows.start[o] + t - yLo) * rowLen;
                float wt = w[t];
                for (int i = 0; i < rowLen; i++) out[outBase + i] += wt * horizontal[srcBase + i];
            }
        }
    }

    /** The filter taps of output pixels {@code first .. first + count - 1} of one axis. */
    static final class Taps {
        /** The first source pixel of each output pixel. */
        final int[] start;
        /** The normalised weights of each output pixel, for source pixels start, start + 1, ... */
        final float[][] weights;

        private Taps(int[] start, float[][] weights) {
            this.start = start;
            this.weights = weights;
        }

        /** The taps for {@code in} source pixels scaled to {@code out}, for outputs [first, first + count). */
        static Taps of(int in, int out, int first, int count) {
            double ratio = (double) in / out;
            double support = Math.max(ratio, 1.0);
            int[] start = new int[count];
            float[][] weights = new float[count][];
            for (int i = 0; i < count; i++) {
                double centre = (first + i + 0.5) * ratio;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in - 1, (int) Math.ceil(centre + support));
                double[] w = new double[hi - lo + 1];
                double sum = 0;
                for (int j = lo; j <= hi; j++) {
                    double v = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
                    w[j - lo] = v;
                    sum += v;
                }
                // trim zero weights at both ends
                int a = 0;
                int b = w.length - 1;
                while (a < b && w[a] == 0) a++;
                while (b > a && w[b] == 0) b--;
                float[] f = new float[b - a + 1];
                for (int t = a; t <= b; t++) f[t - a] = (float) (w[t] / sum);
                start[i] = lo + a;
                weights[i] = f;
            }
            return new Taps(start, weights);
        }
    }
}
