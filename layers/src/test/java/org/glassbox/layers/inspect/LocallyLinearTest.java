package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.LocallyLinear;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.pool.PoolingLayer;
import org.glassbox.layers.pool.PoolingSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LocallyLinear} as pooling (average and max, with and without normalisation) and the
 * normalised manifold embedding implement it: for one input map x and output weights W, the sum of
 * W_i times encode(x) equals the sum of inputWeights(x, W)_i times x, and channelContributions
 * summed over channels equals the same.
 */
class LocallyLinearTest {
    private static final int M = 5;

    private static INDArray random(SplittableRandom rng, long[] shape, double zeroFraction) {
        long size = 1;
        for (long d : shape) size *= d;
        float[] v = new float[(int) size];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < zeroFraction ? 0f : (float) (rng.nextDouble() * 2 - 1);
        return Nd4j.create(v, shape, 'c');
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** sum over the entries of row i of {@code weights} [m, ...] times {@code map} [1, ...]. */
    private static double[] rowDots(INDArray weights, INDArray map) {
        double[] w = values(weights);
        double[] x = values(map);
        int m = (int) weights.size(0);
        assertEquals((long) m * x.length, w.length);
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < x.length; j++) out[i] += w[i * x.length + j] * x[j];
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        assertTrue(scale > 1e-3, what + ": the scores are not trivially zero");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, scale), what + " row " + i);
        }
    }

    /** Checks both identities for {@code layer} on input {@code x} [1, inputShape]. */
    private static void check(LocallyLinear layer, INDArray x, SplittableRandom rng, String what) {
        MapShape out = layer.outputShape();
        INDArray w = random(rng, new long[] {M, out.gridH(), out.gridW(), out.channels()}, 0);
        double[] scores = rowDots(w, layer.encode(x));
        INDArray inputWeights = layer.inputWeights(x, w);
        MapShape in = layer.inputShape();
        assertArrayEquals(new long[] {M, in.gridH(), in.gridW(), in.channels()}, inputWeights.shape(), what);
        assertClose(scores, rowDots(inputWeights, x), what + ": inputWeights");
        INDArray byChannel = layer.channelContributions(x, w);
        assertArrayEquals(new long[] {in.channels(), M}, byChannel.shape(), what);
        double[] c = values(byChannel);
        double[] summed = new double[M];
        for (int k = 0; k < in.channels(); k++) {
            for (int i = 0; i < M; i++) summed[i] += c[k * M + i];
        }
        assertClose(scores, summed, what + ": channelContributions");
        // and each channel's share is its own inputWeights times x
        double[] iw = values(inputWeights);
        double[] xv = values(x);
        int positions = in.positions();
        for (int k = 0; k < in.channels(); k++) {
            for (int i = 0; i < M; i++) {
                double share = 0;
                for (int q = 0; q < positions; q++) {
                    int at = q * in.channels() + k;
                    share += iw[i * xv.length + at] * xv[at];
                }
                assertEquals(share, c[k * M + i], 1e-4 * Math.max(1, Math.abs(share)), what + ": channel " + k + " row " + i);
            }
        }
    }

    @Test
    void poolingIsLocallyLinearWithAndWithoutNormalisation() {
        SplittableRandom rng = new SplittableRandom(11);
        MapShape shape = new MapShape(7, 7, 6);
        List<PoolingSpec> specs = new ArrayList<>();
        for (PoolingSpec.Reduction r : PoolingSpec.Reduction.values()) {
            for (boolean normalize : new boolean[] {true, false}) {
                specs.add(PoolingSpec.windows(r, 3, 2).withNormalize(normalize));
                specs.add(PoolingSpec.grid(r, 2, 3).withNormalize(normalize));
            }
        }
        assertTrue(specs.size() >= 8);
        for (PoolingSpec spec : specs) {
            PoolingLayer layer = new PoolingLayer("L1.pool", spec, shape);
            for (double zeros : new double[] {0, 0.8}) {
                INDArray x = random(rng, new long[] {1, 7, 7, 6}, zeros);
                check(layer, x, rng, spec + " zeros " + zeros);
            }
        }
    }

    private static ManifoldLayer manifold(SplittableRandom rng, MapShape shape, int dims, boolean normalize) {
        ManifoldSpec spec = ManifoldSpec.defaults().withDims(dims);
        spec = new ManifoldSpec(spec.dims(), spec.window(), spec.difference(), spec.ridge(), spec.sampleMaps(), spec.skip(),
                normalize);
        INDArray projection = random(rng, new long[] {dims, shape.channels()}, 0);
        INDArray mu = Nd4j.linspace(DataType.FLOAT, 0.1, 0.1, dims);
        return new ManifoldLayer("L1.embed", spec, shape, projection, mu);
    }

    @Test
    void theManifoldEmbeddingIsLocallyLinear() {
        SplittableRandom rng = new SplittableRandom(5);
        MapShape shape = new MapShape(5, 4, 20);
        for (boolean normalize : new boolean[] {true, false}) {
            ManifoldLayer layer = manifold(rng, shape, 6, normalize);
            // sparse codes with some all-zero positions (their embedding is zero)
            INDArray x = random(rng, new long[] {1, 5, 4, 20}, 0.85);
            for (int j = 0; j < 20; j++) {
                x.putScalar(new long[] {0, 0, 0, j}, 0);
                x.putScalar(new long[] {0, 3, 2, j}, 0);
            }
            check(layer, x, rng, "manifold normalize " + normalize);
            check(layer, random(rng, new long[] {1, 5, 4, 20}, 0), rng, "manifold dense codes normalize " + normalize);
        }
    }

    @Test
    void theManifoldsSparseContributionsEqualItsDenseOnes() {
        SplittableRandom rng = new SplittableRandom(8);
        MapShape shape = new MapShape(3, 6, 30);
        ManifoldLayer layer = manifold(rng, shape, 4, true);
        for (double zeros : new double[] {0.5, 0.95}) {
            INDArray x = random(rng, new long[] {1, 3, 6, 30}, zeros);
            INDArray w = random(rng, new long[] {M, 3, 6, 4}, 0);
            SparseRows codes = SparseRows.of(Maps.rows(x));
            double[] dense = values(layer.channelContributions(x, w));
            double[] sparse = values(layer.channelContributions(codes, w));
            assertArrayEquals(dense, sparse, 1e-6);
            // and the interface's default (through the dense map) agrees
            double[] viaDefault = values(((LocallyLinear) layer).channelContributions(Maps.map(codes.dense(), shape), w));
            assertArrayEquals(dense, viaDefault, 1e-6);
        }
    }
}
