package org.glassbox.framework.array;

/**
 * The dot product that Glassbox's plain-Java kernels and their vector-API counterparts compute
 * alike, so that both give the same float32 bits: four chains r = 0..3 over the indices
 * i = r (mod 4), each from s_r = 0 by s_r = fma(a_i, b_i, s_r) in ascending i, and
 * (s_0 + s_1) + (s_2 + s_3).
 */
public final class FusedDot {
    private FusedDot() {
    }

    /** The dot product of {@code a[ao, ao + n)} and {@code b[bo, bo + n)}, in the order above. */
    public static float of(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 = Math.fma(a[ao + i], b[bo + i], s0);
            s1 = Math.fma(a[ao + i + 1], b[bo + i + 1], s1);
            s2 = Math.fma(a[ao + i + 2], b[bo + i + 2], s2);
            s3 = Math.fma(a[ao + i + 3], b[bo + i + 3], s3);
        }
        if (i < n) s0 = Math.fma(a[ao + i], b[bo + i], s0);
        if (i + 1 < n) s1 = Math.fma(a[ao + i + 1], b[bo + i + 1], s1);
        if (i + 2 < n) s2 = Math.fma(a[ao + i + 2], b[bo + i + 2], s2);
        return (s0 + s1) + (s2 + s3);
    }
}
