package org.glassbox.layers.sparse;

import java.util.SplittableRandom;
import org.glassbox.framework.data.EmbeddedMnist;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test inputs: random unit-norm dictionaries and real 6 x 6 MNIST patches, each from a fixed seed. */
final class TestData {
    /** Side of the digit patches. */
    static final int PATCH = 6;

    private static float[] trainImages;
    private static int trainCount;

    private TestData() {
    }

    /** A dictionary {@code [atoms, d]} of independent Gaussian directions, rows normalised. */
    static INDArray randomDictionary(int atoms, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[atoms * d];
        for (int k = 0; k < atoms; k++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                v[k * d + j] = (float) rng.nextGaussian();
                s += (double) v[k * d + j] * v[k * d + j];
            }
            for (int j = 0; j < d; j++) v[k * d + j] /= (float) Math.sqrt(s);
        }
        return Nd4j.create(v, new long[] {atoms, d}, 'c');
    }

    /** Rows {@code [n, d]} of independent standard Gaussian values. */
    static INDArray gaussianRows(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    /**
     * {@code n} real 6 x 6 patches {@code [n, 36]} of the embedded MNIST training digits at random
     * positions, each with its mean removed and scaled to unit L2 norm; patches with almost no
     * contrast (norm below 0.5 after mean removal, mostly background) are skipped.
     */
    static INDArray digitPatches(int n, long seed) {
        float[] images = trainImages();
        int side = 28;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = PATCH * PATCH;
        float[] out = new float[n * d];
        float[] p = new float[d];
        int filled = 0;
        while (filled < n) {
            int img = rng.nextInt(trainCount);
            int r = rng.nextInt(side - PATCH + 1);
            int c = rng.nextInt(side - PATCH + 1);
            double mean = 0;
            for (int i = 0; i < PATCH; i++) {
                for (int j = 0; j < PATCH; j++) {
                    p[i * PATCH + j] = images[img * side * side + (r + i) * side + c + j];
                    mean += p[i * PATCH + j];
                }
            }
            mean /= d;
            double norm = 0;
            for (int i = 0; i < d; i++) {
                p[i] -= (float) mean;
                norm += (double) p[i] * p[i];
            }
            norm = Math.sqrt(norm);
            if (norm < 0.5) {
                continue;
            }
            for (int i = 0; i < d; i++) out[filled * d + i] = (float) (p[i] / norm);
            filled++;
        }
        return Nd4j.create(out, new long[] {n, d}, 'c');
    }

    private static synchronized float[] trainImages() {
        if (trainImages == null) {
            INDArray images = EmbeddedMnist.split().train().images();
            trainCount = (int) images.size(0);
            trainImages = images.dup('c').data().asFloat();
        }
        return trainImages;
    }

    /** The number of non-zero entries. */
    static long nonZeros(INDArray a) {
        long nz = 0;
        for (float v : a.dup('c').data().asFloat()) if (v != 0f) nz++;
        return nz;
    }

    /** The array as float64, row-major. */
    static double[] toDouble(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }
}
