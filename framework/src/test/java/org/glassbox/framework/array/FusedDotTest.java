package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FusedDotTest {
    @Test
    void sumsFourFusedChainsOverTheIndicesModuloFourInThatOrder() {
        Random random = new Random(3);
        for (int n = 0; n <= 9; n++) {
            float[] a = new float[n + 2];
            float[] b = new float[n + 5];
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
            float[] s = new float[4];
            for (int i = 0; i < n; i++) s[i % 4] = Math.fma(a[2 + i], b[5 + i], s[i % 4]);
            assertEquals((s[0] + s[1]) + (s[2] + s[3]), FusedDot.of(a, 2, b, 5, n), "n = " + n);
        }
    }
}
