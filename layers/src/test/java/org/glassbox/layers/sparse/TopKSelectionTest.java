package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lane-bound selection against a full sort, on rows built to defeat it: few distinct
 * magnitudes (so ties everywhere, across lanes), both signs, zeros and negative zeros, and row
 * lengths that are and are not powers of two.
 */
class TopKSelectionTest {
    private static final float[] MAGNITUDES = {0f, 0.25f, 0.5f, 1f, 1.5f, 3f};

    @ParameterizedTest
    @CsvSource({"1, 1", "3, 2", "80, 5", "80, 80", "100, 1", "1000, 16", "1024, 16", "1024, 1", "1031, 64", "4096, 16", "300, 299"})
    void choosesTheKLargestKeysWithTiesToTheLowerIndex(int atoms, int k) {
        Random random = new Random(31L * atoms + k);
        for (boolean nonNegative : new boolean[] {false, true}) {
            TopKSelection selection = new TopKSelection(atoms, k, nonNegative);
            int[] chosen = new int[k];
            for (int row = 0; row < 40; row++) {
                float[] c = new float[atoms];
                // the first rows are all ties; later ones mix a continuum in
                for (int j = 0; j < atoms; j++) {
                    float m = row < 20 ? MAGNITUDES[random.nextInt(MAGNITUDES.length)] : (float) Math.abs(random.nextGaussian());
                    c[j] = random.nextBoolean() ? m : -m;
                }
                int[] bits = new int[atoms];
                for (int j = 0; j < atoms; j++) bits[j] = Float.floatToRawIntBits(c[j]);
                int count = selection.select(bits, chosen);
                int[] got = Arrays.copyOf(chosen, count);
                Arrays.sort(got);
                assertArrayEquals(reference(c, k, nonNegative), got, "K = " + atoms + ", k = " + k + ", nonNegative = " + nonNegative + ", row " + row);
            }
        }
    }

    /** The indices of the k largest keys (|c|, or c &gt; 0), ties to the lower index, zero keys never, in increasing order. */
    private static int[] reference(float[] c, int k, boolean nonNegative) {
        double[] key = new double[c.length];
        for (int j = 0; j < c.length; j++) key[j] = nonNegative ? Math.max(c[j], 0) : Math.abs(c[j]);
        return IntStream.range(0, c.length).boxed()
                .filter(j -> key[j] > 0)
                .sorted(Comparator.<Integer>comparingDouble(j -> -key[j]).thenComparingInt(j -> j))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }
}
