package org.glassbox.layers.whiten;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.framework.io.Json;
import org.glassbox.layers.patch.PatchSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Whitening on real MNIST patches. The float64 checks (V^T V = I, W (C + eps I) W = I, W and U
 * against EJML's pure-Java eigen-decomposition) catch the OpenBLAS 0.3.19 eigenvector bug on
 * AVX-512 processors (docs/architecture.md, "Arrays and linear algebra").
 */
class WhiteningTest {
    private static final FitContext CONTEXT = FitContext.silent(11);
    /** 60,000 of the 793,500 6 x 6 patches (stride 1) of 1,500 real training digits, as [m, 1, 1, 36]. */
    private static INDArray sample6;
    /** 60,000 of the 121,500 12 x 12 patches (stride 2) of the same digits, as [m, 1, 1, 144]. */
    private static INDArray sample12;
    /** {@link #sample6} as 600 maps of 10 x 10 positions: the training data of the fitted layers below. */
    private static MapSource rows6;

    @BeforeAll
    static void realPatches() {
        INDArray images = EmbeddedMnist.split().train().images().get(NDArrayIndex.interval(0, 1500),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        sample6 = patchSample(images, new PatchSpec(6, 1));
        sample12 = patchSample(images, new PatchSpec(12, 2));
        rows6 = MapSource.of(sample6.reshape(600, 10, 10, 36));
    }

    private static INDArray patchSample(INDArray images, PatchSpec spec) {
        MapSource digits = MapSource.of(images);
        MapSource patches = Pipeline.fit(digits, List.of(new Pipeline.Stage("L1.patches", spec)), CONTEXT).over(digits);
        INDArray rows = PositionSampler.sample(patches, 60_000, new SplittableRandom(3));
        return rows.reshape(rows.size(0), 1, 1, rows.size(1));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Row-major {@code a b} for d x d matrices. */
    private static double[] mult(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++) {
                double v = a[i * d + k];
                for (int j = 0; j < d; j++) out[i * d + j] += v * b[k * d + j];
            }
        return out;
    }

    private static double[] minusIdentity(double[] a, int d) {
        double[] out = a.clone();
        for (int i = 0; i < d; i++) out[i * d + i] -= 1;
        return out;
    }

    private static void checkFloat64Zca(INDArray sample, int d) {
        Covariance c = Covariance.of(sample.reshape(sample.size(0), d), true);
        assertEquals(d, c.dimension());
        Zca zca = Zca.of(c.matrix(), d, 0.1, 0.0);
        double[] lambda = zca.eigen().values();
        double lambdaMax = lambda[d - 1];
        assertTrue(lambdaMax > 0.01, "real patches have variance");
        assertEquals(0.1 * lambdaMax, zca.epsilon(), 1e-15 * lambdaMax);
        double[] v = zca.eigen().vectors();
        double[] vt = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) vt[j * d + i] = v[i * d + j];
        assertTrue(maxAbs(minusIdentity(mult(vt, v, d), d)) < 1e-12, "V^T V = I, off by "
                + maxAbs(minusIdentity(mult(vt, v, d), d)));
        double[] cv = mult(c.matrix(), v, d);
        double residual = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) residual = Math.max(residual, Math.abs(cv[i * d + j] - lambda[j] * v[i * d + j]));
        assertTrue(residual < 1e-12 * lambdaMax * d, "C V = V Lambda, off by " + residual);
        double[] regularised = c.matrix().clone();
        for (int i = 0; i < d; i++) regularised[i * d + i] += zca.epsilon();
        double[] wcw = mult(mult(zca.whitening(), regularised, d), zca.whitening(), d);
        assertTrue(maxAbs(minusIdentity(wcw, d)) < 1e-11, "W (C + eps I) W = I, off by " + maxAbs(minusIdentity(wcw, d)));
        double[] wu = mult(zca.whitening(), zca.unwhitening(), d);
        assertTrue(maxAbs(minusIdentity(wu, d)) < 1e-12, "W U = I, off by " + maxAbs(minusIdentity(wu, d)));
    }

    @Test
    void float64WhiteningOfRealPatchesSatisfiesItsDefinition() {
        checkFloat64Zca(sample6, 36);
        checkFloat64Zca(sample12, 144);
    }

    /**
     * V diag(f(lambda_k)) V^T from EJML's pure-Java symmetric eigen-decomposition of {@code c}
     * ({@code [d * d]}), an independent float64 reference for W and U.
     */
    private static double[] ejmlSpectralFunction(double[] c, int d, DoubleUnaryOperator f) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        assertTrue(eig.decompose(new DMatrixRMaj(d, d, true, c)), "EJML's eigen-decomposition");
        double[] out = new double[d * d];
        for (int k = 0; k < d; k++) {
            double scale = f.applyAsDouble(eig.getEigenvalue(k).getReal());
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) out[i * d + j] += v.get(i, 0) * scale * v.get(j, 0);
            }
        }
        return out;
    }

    @Test
    void whiteningIsTheInverseSquareRootEjmlComputes() {
        int d = 144;
        Covariance c = Covariance.of(sample12.reshape(sample12.size(0), d), true);
        Zca zca = Zca.of(c.matrix(), d, 0.1, 0.0);
        double eps = zca.epsilon();
        double[] w = ejmlSpectralFunction(c.matrix(), d, lambda -> 1 / Math.sqrt(Math.max(0, lambda) + eps));
        double[] u = ejmlSpectralFunction(c.matrix(), d, lambda -> Math.sqrt(Math.max(0, lambda) + eps));
        double[] dw = zca.whitening().clone();
        double[] du = zca.unwhitening().clone();
        for (int i = 0; i < d * d; i++) {
            dw[i] -= w[i];
            du[i] -= u[i];
        }
        assertTrue(maxAbs(dw) < 1e-12 * maxAbs(w), "W differs from EJML's (C + eps I)^-1/2 by " + maxAbs(dw));
        assertTrue(maxAbs(du) < 1e-12 * maxAbs(u), "U differs from EJML's (C + eps I)^1/2 by " + maxAbs(du));
    }

    @Test
    void covarianceRemovesEachVectorsMeanThenTheSampleMean() {
        INDArray rows = Nd4j.createFromArray(new float[][] {{1, 2, 6}, {3, 3, 3}, {0, 4, 2}});
        Covariance plain = Covariance.of(rows, false);
        assertArrayEquals(new double[] {4 / 3.0, 3, 11 / 3.0}, plain.mean(), 1e-12);
        // var of column 0: values 1, 3, 0 about 4/3: (1/9 + 25/9 + 16/9) / 3
        assertEquals(42.0 / 27, plain.matrix()[0], 1e-12);
        Covariance centred = Covariance.of(rows, true);
        // rows minus their means: (-2, -1, 3), (0, 0, 0), (-2, 2, 0)
        assertArrayEquals(new double[] {-4 / 3.0, 1 / 3.0, 1}, centred.mean(), 1e-12);
        double c01 = ((-2 + 4 / 3.0) * (-1 - 1 / 3.0) + (4 / 3.0) * (-1 / 3.0) + (-2 + 4 / 3.0) * (2 - 1 / 3.0)) / 3;
        assertEquals(c01, centred.matrix()[1], 1e-12);
        assertEquals(c01, centred.matrix()[3], 1e-12);
        assertEquals(3, centred.count());
    }

    @Test
    void whitenedSampleCovarianceIsCTimesTheInverseOfCPlusEps() {
        WhiteningLayer layer = WhiteningSpec.defaults().withSamples(40_000).fit("L1.whiten", rows6, CONTEXT);
        // the sample the fit used: same source, count and generator
        INDArray sample = PositionSampler.sample(rows6, 40_000, CONTEXT.random("L1.whiten"));
        assertEquals(40_000, sample.size(0));
        Covariance c = Covariance.of(sample, true);
        Zca zca = Zca.of(c.matrix(), 36, 0.1, 0.0);
        int d = 36;
        double[] expected = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) {
                    double l = Math.max(0, zca.eigen().values()[k]);
                    expected[i * d + j] += zca.eigen().vector(i, k) * l / (l + zca.epsilon()) * zca.eigen().vector(j, k);
                }
        INDArray whitened = layer.encode(sample.reshape(400, 10, 10, d));
        Covariance w = Covariance.of(whitened.reshape(sample.size(0), d), false);
        double worst = 0;
        for (int i = 0; i < d * d; i++) worst = Math.max(worst, Math.abs(w.matrix()[i] - expected[i]));
        assertTrue(worst < 1e-4, "cov(W x) = C (C + eps I)^-1, off by " + worst);
        assertTrue(maxAbs(w.mean()) < 1e-5, "whitened vectors have zero mean, off by " + maxAbs(w.mean()));
        double[] wu = mult(layer.whitening().castTo(DataType.DOUBLE).data().asDouble(),
                layer.unwhitening().castTo(DataType.DOUBLE).data().asDouble(), d);
        assertTrue(maxAbs(minusIdentity(wu, d)) < 1e-5, "float32 W U = I, off by " + maxAbs(minusIdentity(wu, d)));
    }

    @Test
    void encodeIsWTimesTheCentredVectorAndUnwhitenInvertsIt() {
        int d = 36;
        WhiteningLayer layer = WhiteningSpec.defaults().withSamples(20_000).fit("L1.whiten", rows6, CONTEXT);
        INDArray x = PositionSampler.sample(rows6, 100, new SplittableRandom(8));
        INDArray y = layer.encode(x.reshape(1, 10, 10, d)).reshape(100, d);
        double[] w = layer.whitening().castTo(DataType.DOUBLE).data().asDouble();
        double[] mu = layer.mean().castTo(DataType.DOUBLE).data().asDouble();
        for (int r = 0; r < 100; r++) {
            double[] v = x.getRow(r).castTo(DataType.DOUBLE).toDoubleVector();
            double m = 0;
            for (double e : v) m += e / d;
            for (int j = 0; j < d; j++) {
                double expected = 0;
                for (int i = 0; i < d; i++) expected += w[j * d + i] * (v[i] - m - mu[i]);
                assertEquals(expected, y.getDouble(r, j), 1e-4, "row " + r + ", entry " + j);
            }
        }
        INDArray back = layer.unwhiten(y);
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        assertTrue(back.equalsWithEps(centred, 1e-4), "U y + mu = x - mean(x)");
        INDArray directions = layer.unwhitenDirections(y);
        assertTrue(directions.addRowVector(layer.mean()).equalsWithEps(back, 1e-6));

        WhiteningLayer keepMean = WhiteningSpec.defaults().withRemovePatchMean(false).withSamples(20_000)
                .fit("L1.whiten", rows6, CONTEXT);
        INDArray roundTrip = keepMean.unwhiten(keepMean.encode(x.reshape(1, 10, 10, d)).reshape(100, d));
        assertTrue(roundTrip.equalsWithEps(x, 1e-4), "without mean removal U W (x - mu) + mu = x");
    }

    @Test
    void sameSeedSameArraysAndRestoreGivesTheSameLayer() throws Exception {
        WhiteningSpec spec = WhiteningSpec.defaults().withSamples(10_000);
        WhiteningLayer a = spec.fit("L1.whiten", rows6, CONTEXT);
        WhiteningLayer b = spec.fit("L1.whiten", rows6, CONTEXT);
        assertEquals(a.parameters(), b.parameters());
        assertEquals(List.of("mean", "whitening", "unwhitening"), List.copyOf(a.parameters().keySet()));
        assertArrayEquals(new long[] {36}, a.mean().shape());
        assertArrayEquals(new long[] {36, 36}, a.whitening().shape());
        assertArrayEquals(new long[] {36, 36}, a.unwhitening().shape());

        LayerKind kind = LayerKind.named("whitening");
        ComponentSpec restoredSpec = Json.MAPPER.treeToValue(Json.MAPPER.valueToTree(spec), kind.specType());
        assertEquals(spec, restoredSpec);
        Map<String, INDArray> arrays = new java.util.LinkedHashMap<>();
        a.parameters().forEach((k, v) -> arrays.put(k, v.dup()));
        Layer restored = kind.restore("L1.whiten", restoredSpec, a.inputShape(), arrays);
        assertEquals(a.parameters(), restored.parameters());
        INDArray x = PositionSampler.sample(rows6, 200, new SplittableRandom(2)).reshape(2, 10, 10, 36);
        assertEquals(a.encode(x), restored.encode(x));

        var unknown = assertThrows(GlassboxException.class, () -> kind.restore("L1.whiten", spec,
                a.inputShape(), Map.of("mean", a.mean(), "whitening", a.whitening(), "unwhitening", a.unwhitening(),
                        "extra", a.mean())));
        assertEquals("L1.whiten: unknown array 'extra' (a whitening stage has mean, whitening and unwhitening)",
                unknown.getMessage());
        var missing = assertThrows(GlassboxException.class, () -> kind.restore("L1.whiten", spec, a.inputShape(),
                Map.of("mean", a.mean(), "whitening", a.whitening())));
        assertEquals("L1.whiten.unwhitening: expected an array of shape [36, 36] but got none", missing.getMessage());
        var shape = assertThrows(GlassboxException.class, () -> kind.restore("L1.whiten", spec,
                new MapShape(10, 10, 35), a.parameters()));
        assertEquals("L1.whiten.mean: expected shape [35] but got [36]", shape.getMessage());
    }

    @Test
    void specValidationNamesTheParameter() {
        assertEquals("invalid relativeEpsilon = -0.1: expected a finite number >= 0",
                assertThrows(InvalidParameterException.class, () -> new WhiteningSpec(true, -0.1, 0, 10)).getMessage());
        assertEquals("invalid relativeEpsilon = NaN: expected a finite number >= 0",
                assertThrows(InvalidParameterException.class, () -> new WhiteningSpec(true, Double.NaN, 0, 10)).getMessage());
        assertEquals("invalid absoluteEpsilon = Infinity: expected a finite number >= 0",
                assertThrows(InvalidParameterException.class,
                        () -> new WhiteningSpec(true, 0.1, Double.POSITIVE_INFINITY, 10)).getMessage());
        assertEquals("invalid relativeEpsilon = 0.0: expected a positive number when absoluteEpsilon is 0"
                + " (the regulariser eps must be positive)",
                assertThrows(InvalidParameterException.class, () -> new WhiteningSpec(true, 0, 0, 10)).getMessage());
        assertEquals("invalid samples = 1: expected an integer >= 2",
                assertThrows(InvalidParameterException.class, () -> new WhiteningSpec(true, 0.1, 0, 1)).getMessage());
        assertEquals(new WhiteningSpec(false, 0.0, 0.01, 5000),
                WhiteningSpec.defaults().withRemovePatchMean(false).withAbsoluteEpsilon(0.01).withRelativeEpsilon(0)
                        .withSamples(5000));
    }

    @Test
    void badDataGetsOneClearMessage() {
        MapSource constant = MapSource.of(Nd4j.ones(DataType.FLOAT, 3, 4, 4, 9));
        var flat = assertThrows(GlassboxException.class,
                () -> WhiteningSpec.defaults().fit("L1.whiten", constant, CONTEXT));
        assertEquals("L1.whiten: the whitening regulariser eps = relativeEpsilon * lambda_max + absoluteEpsilon"
                + " = 0.1 * 0.0 + 0.0 = 0.0 (expected a positive finite value; vectors without variance need"
                + " absoluteEpsilon > 0)", flat.getMessage());
        WhiteningLayer absolute = WhiteningSpec.defaults().withAbsoluteEpsilon(0.25).fit("L1.whiten", constant, CONTEXT);
        assertTrue(absolute.encode(Nd4j.ones(DataType.FLOAT, 1, 4, 4, 9)).equalsWithEps(
                Nd4j.zeros(DataType.FLOAT, 1, 4, 4, 9), 1e-6), "constant vectors whiten to 0");

        INDArray withNaN = Nd4j.rand(DataType.FLOAT, 3, 4, 4, 9);
        withNaN.putScalar(new long[] {1, 2, 3, 4}, Float.NaN);
        var nan = assertThrows(GlassboxException.class,
                () -> WhiteningSpec.defaults().fit("L1.whiten", MapSource.of(withNaN), CONTEXT));
        assertEquals("L1.whiten training vectors: expected finite values but found NaN or infinity", nan.getMessage());

        var one = assertThrows(GlassboxException.class,
                () -> WhiteningSpec.defaults().fit("L1.whiten", MapSource.of(Nd4j.rand(DataType.FLOAT, 1, 1, 1, 9)), CONTEXT));
        assertEquals("L1.whiten: whitening needs at least 2 position vectors to estimate a covariance but the data has 1",
                one.getMessage());

        WhiteningLayer layer = absolute;
        var wrong = assertThrows(GlassboxException.class, () -> layer.encode(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 8)));
        assertEquals("L1.whiten input: expected shape [*, 4, 4, 9] but got [2, 4, 4, 8]", wrong.getMessage());
    }
}
