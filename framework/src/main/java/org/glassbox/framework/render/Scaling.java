package org.glassbox.framework.render;

/**
 * How one image's values become grey levels 0..255 (per colour channel for RGB images). Each image
 * is scaled to its own range, so small and large atoms are equally visible.
 */
public enum Scaling {
    /**
     * For signed images such as dictionary atoms: with {@code m = max |v|} over the image,
     * {@code v -> round(255 * (0.5 + 0.5 v / m))}, so 0 is mid grey (128), {@code +m} white (255) and
     * {@code -m} black (0); positive and negative parts keep their relative strength. An all-zero
     * image is mid grey.
     */
    SYMMETRIC,
    /**
     * For images with an offset, such as digits or reconstructions: with {@code lo} and {@code hi}
     * the smallest and largest value, {@code v -> round(255 * (v - lo) / (hi - lo))}, so lo is black
     * and hi white. A constant image is mid grey (128).
     */
    MIN_MAX;

    /** The grey levels of {@code values} (one image, all channels), each in 0..255. */
    int[] levels(double[] values) {
        double lo;
        double span;
        if (this == SYMMETRIC) {
            double m = 0;
            for (double v : values) m = Math.max(m, Math.abs(v));
            lo = -m;
            span = 2 * m;
        } else {
            lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            span = hi - lo;
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double t = span > 0 ? (values[i] - lo) / span : 0.5;
            out[i] = (int) Math.max(0, Math.min(255, Math.round(255 * t)));
        }
        return out;
    }
}
