package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowProductTest {
    private static final int ROWS = 50;

    /** Within the float32 summation bound (p + 2) 2^-24 sum |x_i M_ij| of the float64 product. */
    @ParameterizedTest
    @CsvSource({"36, 36", "5, 17", "40, 16", "3, 33", "1, 64"})
    void bothKernelsGiveTheFloat64ProductToRoundingAndEachOtherToTheBit(int p, int q) {
        Random random = new Random(p * 100 + q);
        float[] m = gaussian(random, p * q);
        float[] b = gaussian(random, q);
        float[] x = gaussian(random, ROWS * p + 3);
        RowProduct vector = new VectorRowProduct(m, p, q, b);
        RowProduct scalar = new ScalarRowProduct(m, p, q, b);
        float[] yv = applied(vector, x, p, q);
        float[] ys = applied(scalar, x, p, q);
        assertArrayEquals(ys, yv, "[" + p + ", " + q + "]: the vector kernel differs from the scalar one");
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < q; j++) {
                double exact = b[j];
                double scale = Math.abs(b[j]);
                for (int i = 0; i < p; i++) {
                    exact += (double) x[3 + r * p + i] * m[i * q + j];
                    scale += Math.abs((double) x[3 + r * p + i] * m[i * q + j]);
                }
                float y = ys[2 + r * q + j];
                assertTrue(Math.abs(y - exact) <= (p + 2) * 0x1p-24 * scale, "row " + r + ", output " + j + ": " + y + " against " + exact);
            }
        }
    }

    @Test
    void ofUsesTheVectorApiWhenOutputsFillAVector() {
        assertTrue(VectorApi.present(), "the tests' JVM lacks --add-modules jdk.incubator.vector (surefire's argLine)");
        int lanes = VectorRowProduct.lanes();
        assertInstanceOf(VectorRowProduct.class, RowProduct.of(new float[lanes], 1, lanes, new float[lanes]));
        assertInstanceOf(ScalarRowProduct.class, RowProduct.of(new float[lanes - 1], 1, lanes - 1, new float[lanes - 1]));
    }

    @Test
    void aMatrixOrBiasOfTheWrongSizeIsRejected() {
        assertEquals("a row product needs a [2, 3] matrix and a [3] bias; got 5 and 3 values",
                assertThrows(IllegalArgumentException.class, () -> RowProduct.of(new float[5], 2, 3, new float[3])).getMessage());
        assertEquals("a row product needs a [2, 3] matrix and a [3] bias; got 6 and 2 values",
                assertThrows(IllegalArgumentException.class, () -> RowProduct.of(new float[6], 2, 3, new float[2])).getMessage());
    }

    /** Every row of {@code x} (from offset 3) through {@code product}, into an array whose two leading and trailing entries are NaN and must stay so. */
    private static float[] applied(RowProduct product, float[] x, int p, int q) {
        float[] y = new float[ROWS * q + 4];
        Arrays.fill(y, Float.NaN);
        for (int r = 0; r < ROWS; r++) product.apply(x, 3 + r * p, y, 2 + r * q);
        for (int i : new int[] {0, 1, y.length - 2, y.length - 1}) {
            assertTrue(Float.isNaN(y[i]), product.getClass().getSimpleName() + " wrote outside its rows, at " + i);
        }
        return y;
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
