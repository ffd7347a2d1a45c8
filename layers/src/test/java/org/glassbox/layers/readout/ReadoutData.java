package org.glassbox.layers.readout;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synthetic labelled feature maps for readout tests. */
final class ReadoutData {
    final INDArray maps;
    final int[] labels;

    private ReadoutData(INDArray maps, int[] labels) {
        this.maps = maps;
        this.labels = labels;
    }

    /**
     * {@code n} maps {@code [2, 2, 3]} in {@code classes} clusters: class c is the unit vector on
     * feature c plus Gaussian noise of standard deviation {@code noise} on every feature.
     */
    static ReadoutData clusters(int n, int classes, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int f = 12;
        float[] v = new float[n * f];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < f; j++) v[i * f + j] = (float) (noise * gaussian(rng) + (j == labels[i] ? 1 : 0));
        }
        return new ReadoutData(Nd4j.create(v, new long[] {n, 2, 2, 3}, 'c'), labels);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
