package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MomentsTest {
    private static float[][] data(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i][j] = (float) (rng.nextGaussian() * (j + 1) + j);
        }
        return x;
    }

    @Test
    void meanAndCovarianceMatchTheDefinitions() {
        float[][] x = data(200, 4, 3);
        Moments m = new Moments(4).add(Nd4j.create(x));
        double[] mean = new double[4];
        for (float[] row : x) for (int j = 0; j < 4; j++) mean[j] += row[j] / 200.0;
        for (int j = 0; j < 4; j++) assertEquals(mean[j], m.mean()[j], 1e-12);
        double[] cov = m.covariance();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double c = 0;
                for (float[] row : x) c += (row[a] - mean[a]) * (row[b] - mean[b]) / 200.0;
                assertEquals(c, cov[a * 4 + b], 1e-9 * (1 + Math.abs(c)), "covariance " + a + "," + b);
            }
        }
        assertEquals(200, m.count());
    }

    @Test
    void partsAddUpToTheWhole() {
        float[][] x = data(90, 3, 7);
        Moments whole = new Moments(3).add(Nd4j.create(x));
        Moments first = new Moments(3).add(Nd4j.create(java.util.Arrays.copyOfRange(x, 0, 31)));
        Moments rest = new Moments(3).add(Nd4j.create(java.util.Arrays.copyOfRange(x, 31, 90)));
        Moments sum = first.plus(rest);
        assertEquals(whole.count(), sum.count());
        for (int i = 0; i < 9; i++) assertEquals(whole.cross()[i], sum.cross()[i], 1e-9 * Math.abs(whole.cross()[i]));
        for (int i = 0; i < 3; i++) assertEquals(whole.sum()[i], sum.sum()[i], 1e-9 * (1 + Math.abs(whole.sum()[i])));
    }

    @Test
    void wrongDimensionsAndNoDataAreRefused() {
        assertEquals("moments of 3-dimensional vectors: got rows of shape [2, 4]",
                assertThrows(GlassboxException.class, () -> new Moments(3).add(Nd4j.create(new float[2][4]))).getMessage());
        assertEquals("cannot add moments of 2-dimensional vectors to moments of 3-dimensional ones",
                assertThrows(GlassboxException.class, () -> new Moments(3).plus(new Moments(2))).getMessage());
        assertEquals("cannot take the moments of no data",
                assertThrows(GlassboxException.class, () -> new Moments(3).mean()).getMessage());
    }
}
