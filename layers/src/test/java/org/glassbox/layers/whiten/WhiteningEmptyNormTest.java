package org.glassbox.layers.whiten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.layers.patch.PatchSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link WhiteningSpec#emptyNorm} and {@link WhiteningSpec#normalize} on real MNIST patches: flat
 * patches whiten to exactly 0 and are left out of the covariance, every other output has unit norm;
 * specs written before the two fields existed read as both off.
 */
class WhiteningEmptyNormTest {
    private static final FitContext CONTEXT = FitContext.silent(13);
    private static final int D = 36;
    private static final double EMPTY = 0.1;
    /** Every 6 x 6 patch (stride 1) of 60 real training digits, {@code [60 * 529, 36]}, most of them flat background. */
    private static INDArray rows;
    /** {@link #rows} as maps {@code [m, 1, 1, 36]}. */
    private static MapSource source;

    @BeforeAll
    static void realPatches() {
        INDArray images = EmbeddedMnist.split().train().images().get(NDArrayIndex.interval(0, 60),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        MapSource digits = MapSource.of(images);
        Pipeline patches = Pipeline.fit(digits, List.of(new Pipeline.Stage("L1.patches", new PatchSpec(6, 1))), CONTEXT);
        rows = Maps.rows(patches.transformAll(digits)).dup('c');
        source = MapSource.of(rows.reshape('c', rows.size(0), 1, 1, D));
    }

    /** The rows of {@code x} {@code [m, d]} in float64. */
    private static double[][] toDouble(INDArray x) {
        int d = (int) x.size(1);
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[(int) x.size(0)][];
        for (int r = 0; r < out.length; r++) out[r] = java.util.Arrays.copyOfRange(flat, r * d, (r + 1) * d);
        return out;
    }

    /** x - mean(x). */
    private static double[] centred(double[] x) {
        double mean = 0;
        for (double v : x) mean += v / x.length;
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) out[j] = x[j] - mean;
        return out;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    /** W (x' - mu) in float64 from the layer's float32 arrays {@code w} and {@code mu}. */
    private static double[] whiten(double[][] w, double[] mu, double[] x) {
        double[] c = centred(x);
        double[] y = new double[D];
        for (int j = 0; j < D; j++) for (int i = 0; i < D; i++) y[j] += w[j][i] * (c[i] - mu[i]);
        return y;
    }

    /** The real patches of the first 3 digits and some made ones: flat at several levels, and just below and above the empty norm. */
    private static INDArray testRows() {
        List<float[]> made = new ArrayList<>();
        for (float level : new float[] {0, 0.3f, 1}) {
            float[] flat = new float[D];
            java.util.Arrays.fill(flat, level);
            made.add(flat);
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (double target : new double[] {0.02, 0.09, 0.099, 0.101, 0.12, 0.5}) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) v[j] = rng.nextGaussian();
            double[] c = centred(v);
            double n = norm(c);
            float[] x = new float[D];
            for (int j = 0; j < D; j++) x[j] = (float) (0.4 + c[j] * target / n);
            made.add(x);
        }
        INDArray extra = Nd4j.create(made.toArray(new float[0][]));
        INDArray real = rows.get(NDArrayIndex.interval(0, 3 * 529), NDArrayIndex.all());
        return Nd4j.concat(0, real, extra);
    }

    /** Checks every output row against the definition; returns {empty rows, other rows}. */
    private static int[] checkOutputs(WhiteningLayer layer, INDArray x, boolean normalized) {
        int m = (int) x.size(0);
        double[][] y = toDouble(layer.encode(x.reshape('c', m, 1, 1, D)).reshape('c', m, D));
        double[][] xs = toDouble(x);
        double[][] w = toDouble(layer.whitening());
        double[] mu = layer.mean().castTo(DataType.DOUBLE).toDoubleVector();
        int empty = 0;
        int other = 0;
        for (int r = 0; r < m; r++) {
            double n = norm(centred(xs[r]));
            if (Math.abs(n - EMPTY) < 1e-6) continue; // at the boundary within float rounding
            if (n < EMPTY) {
                for (int j = 0; j < D; j++) assertEquals(0.0, y[r][j], 0.0, "row " + r + " (|x'| = " + n + ") entry " + j);
                empty++;
                continue;
            }
            double[] expected = whiten(w, mu, xs[r]);
            double scale = normalized ? 1 / norm(expected) : 1;
            if (normalized) assertEquals(1.0, norm(y[r]), 1e-5, "norm of row " + r + " (|x'| = " + n + ")");
            for (int j = 0; j < D; j++) {
                assertEquals(expected[j] * scale, y[r][j], 1e-4 * Math.max(1, Math.abs(expected[j] * scale)),
                        "row " + r + " entry " + j);
            }
            other++;
        }
        return new int[] {empty, other};
    }

    @Test
    void flatPatchesWhitenToZeroAndEveryOtherOutputHasUnitNorm() {
        WhiteningSpec spec = WhiteningSpec.defaults().withEmptyNorm(EMPTY).withNormalize(true).withSamples(20_000);
        WhiteningLayer layer = spec.fit("L1.whiten", source, CONTEXT);
        INDArray x = testRows();
        int[] counts = checkOutputs(layer, x, true);
        assertTrue(counts[0] > 200 && counts[1] > 1000, "empty and other rows: " + counts[0] + ", " + counts[1]);
        // the made rows: 3 flat ones, then |x'| = 0.02, 0.09, 0.099 (empty) and 0.101, 0.12, 0.5
        int m = (int) x.size(0);
        INDArray made = layer.encode(x.reshape('c', m, 1, 1, D)).reshape('c', m, D)
                .get(NDArrayIndex.interval(m - 9, m), NDArrayIndex.all());
        double[] norms = made.castTo(DataType.DOUBLE).norm2(1).toDoubleVector();
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0), List.of(norms[0], norms[1], norms[2], norms[3], norms[4], norms[5]));
        for (int i = 6; i < 9; i++) assertEquals(1.0, norms[i], 1e-5);
    }

    @Test
    void withoutNormalisationTheOtherOutputsAreTheWhitenedVectors() {
        WhiteningSpec spec = WhiteningSpec.defaults().withEmptyNorm(EMPTY).withSamples(20_000);
        WhiteningLayer layer = spec.fit("L1.whiten", source, CONTEXT);
        int[] counts = checkOutputs(layer, testRows(), false);
        assertTrue(counts[0] > 200 && counts[1] > 1000, "empty and other rows: " + counts[0] + ", " + counts[1]);
        // normalisation alone: flat patches are not emptied; x' = 0 whitens to -W mu, then unit norm
        WhiteningLayer normalizeOnly = WhiteningSpec.defaults().withNormalize(true).withSamples(20_000)
                .fit("L1.whiten", source, CONTEXT);
        double[] flat = normalizeOnly.encode(Nd4j.zeros(DataType.FLOAT, 1, 1, 1, D)).castTo(DataType.DOUBLE)
                .reshape(D).toDoubleVector();
        assertEquals(1.0, norm(flat), 1e-5);
    }

    @Test
    void covarianceLeavesOutTheEmptyVectors() {
        double[][] xs = toDouble(rows);
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < xs.length; r++) if (norm(centred(xs[r])) >= EMPTY) kept.add(r);
        assertTrue(kept.size() > 1000 && kept.size() < xs.length - 1000, "non-empty: " + kept.size() + " of " + xs.length);
        float[] values = rows.dup('c').data().asFloat();
        float[] keptValues = new float[kept.size() * D];
        for (int i = 0; i < kept.size(); i++) System.arraycopy(values, kept.get(i) * D, keptValues, i * D, D);
        INDArray nonEmpty = Nd4j.create(keptValues, new long[] {kept.size(), D}, 'c');
        Covariance expected = Covariance.of(nonEmpty, true);

        Covariance withEmptyNorm = new PositionMoments(D, true, EMPTY).add(rows).covariance();
        assertEquals(kept.size(), withEmptyNorm.count());
        for (int i = 0; i < D; i++) assertEquals(expected.mean()[i], withEmptyNorm.mean()[i], 1e-12, "mu " + i);
        for (int i = 0; i < D * D; i++) assertEquals(expected.matrix()[i], withEmptyNorm.matrix()[i], 1e-12, "C " + i);

        // in parts, one of them all empty, through the spec
        WhiteningSpec spec = WhiteningSpec.defaults().withEmptyNorm(EMPTY);
        int half = (int) rows.size(0) / 2;
        PositionMoments parts = spec.moments(source.shape())
                .add(rows.get(NDArrayIndex.interval(0, half), NDArrayIndex.all()))
                .plus(spec.moments(source.shape()).add(Nd4j.ones(DataType.FLOAT, 50, D)))
                .plus(spec.moments(source.shape()).add(rows.get(NDArrayIndex.interval(half, rows.size(0)), NDArrayIndex.all())));
        Covariance summed = parts.covariance();
        assertEquals(kept.size(), summed.count());
        for (int i = 0; i < D * D; i++) assertEquals(expected.matrix()[i], summed.matrix()[i], 1e-12, "C " + i);

        // without the empty norm the flat patches count, and the covariance differs
        Covariance all = new PositionMoments(D, true).add(rows).covariance();
        assertEquals(xs.length, all.count());
        assertTrue(Math.abs(all.matrix()[0] - expected.matrix()[0]) > 0.1 * Math.abs(expected.matrix()[0]));
    }

    @Test
    void fitEstimatesTheMeanFromTheNonEmptySampledVectors() {
        WhiteningSpec spec = WhiteningSpec.defaults().withEmptyNorm(EMPTY).withNormalize(true).withSamples(10_000);
        WhiteningLayer layer = spec.fit("L1.whiten", source, CONTEXT);
        INDArray sample = PositionSampler.sample(source, 10_000, CONTEXT.random("L1.whiten"));
        Covariance expected = new PositionMoments(D, true, EMPTY).add(sample).covariance();
        assertTrue(expected.count() < 9_000, "some sampled vectors are empty: " + expected.count());
        double[] mu = layer.mean().castTo(DataType.DOUBLE).toDoubleVector();
        for (int i = 0; i < D; i++) assertEquals(expected.mean()[i], mu[i], 1e-6, "mu " + i);
        double[] withEmpty = Covariance.of(sample, true).mean();
        double apart = 0;
        for (int i = 0; i < D; i++) apart = Math.max(apart, Math.abs(withEmpty[i] - mu[i]));
        assertTrue(apart > 1e-3, "the empty vectors would have moved the mean, by " + apart);
    }

    @Test
    void tooFewNonEmptyVectorsNameTheEmptyNorm() {
        float[] v = new float[4 * 9];
        v[9 + 3] = 1; // map 1 is the only one with contrast
        MapSource maps = MapSource.of(Nd4j.create(v, new long[] {4, 1, 1, 9}, 'c'));
        var e = assertThrows(GlassboxException.class,
                () -> WhiteningSpec.defaults().withEmptyNorm(EMPTY).withSamples(4).fit("L1.whiten", maps, CONTEXT));
        assertEquals("L1.whiten: whitening needs at least 2 position vectors to estimate a covariance but the data has 1"
                + " that are not empty (emptyNorm = 0.1)", e.getMessage());
    }

    @Test
    void specsWithoutTheNewFieldsReadAsOff() throws Exception {
        WhiteningSpec old = Json.MAPPER.readValue(
                "{\"removePatchMean\": true, \"relativeEpsilon\": 0.1, \"absoluteEpsilon\": 0.0, \"samples\": 5000}",
                WhiteningSpec.class);
        assertEquals(0.0, old.emptyNorm());
        assertEquals(false, old.normalize());
        assertEquals(new WhiteningSpec(true, 0.1, 0.0, 5000), old);
        assertEquals(new WhiteningSpec(true, 0.1, 0.0, 5000, 0.0, false), new WhiteningSpec(true, 0.1, 0.0, 5000));
        assertEquals(new WhiteningSpec(true, 0.1, 0.0, 5000, null, null), new WhiteningSpec(true, 0.1, 0.0, 5000));
        assertEquals(old, Json.MAPPER.readValue("{\"removePatchMean\": true, \"relativeEpsilon\": 0.1, "
                + "\"absoluteEpsilon\": 0.0, \"samples\": 5000, \"emptyNorm\": null, \"normalize\": null}", WhiteningSpec.class));

        WhiteningSpec both = WhiteningSpec.defaults().withEmptyNorm(0.25).withNormalize(true);
        assertEquals(both, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(both), WhiteningSpec.class));
        assertEquals(0.25, Json.MAPPER.valueToTree(both).get("emptyNorm").asDouble());
        assertEquals(both, both.withSamples(7).withSamples(both.samples()).withRemovePatchMean(true)
                .withRelativeEpsilon(0.1).withAbsoluteEpsilon(0));

        StackDescription stack = StackDescription.fromJson(Json.MAPPER.readTree("{\"stages\": [{\"id\": \"L1.whiten\", \"kind\": \"whitening\","
                + " \"spec\": {\"removePatchMean\": false, \"relativeEpsilon\": 0.05, \"absoluteEpsilon\": 0.001,"
                + " \"samples\": 2000}}], \"readouts\": []}"));
        assertEquals(new WhiteningSpec(false, 0.05, 0.001, 2000, 0.0, false), stack.stages().get(0).spec());
    }

    @Test
    void emptyNormMustBeAFiniteNumberOfAtLeastZero() {
        assertEquals("invalid emptyNorm = -0.1: expected a finite number >= 0", assertThrows(InvalidParameterException.class,
                () -> WhiteningSpec.defaults().withEmptyNorm(-0.1)).getMessage());
        assertEquals("invalid emptyNorm = NaN: expected a finite number >= 0", assertThrows(InvalidParameterException.class,
                () -> WhiteningSpec.defaults().withEmptyNorm(Double.NaN)).getMessage());
        assertEquals("invalid emptyNorm = Infinity: expected a finite number >= 0",
                assertThrows(InvalidParameterException.class,
                        () -> new WhiteningSpec(true, 0.1, 0, 10, Double.POSITIVE_INFINITY, false)).getMessage());
        assertEquals(0.0, WhiteningSpec.defaults().withEmptyNorm(0).emptyNorm());
    }
}
