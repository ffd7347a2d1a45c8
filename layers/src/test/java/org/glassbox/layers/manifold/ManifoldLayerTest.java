package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ManifoldLayerTest {
    private static final MapShape SHAPE = new MapShape(6, 7, 12);

    /** Codes of a 1-D ring of {@code k} atoms swept along the grid: position x of a map holds atom (phase + x) mod k. */
    static INDArray ringMaps(int n, int width, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * width * k];
        for (int m = 0; m < n; m++) {
            int phase = rng.nextInt(k);
            for (int x = 0; x < width; x++) v[(m * width + x) * k + (phase + x) % k] = 1;
        }
        return Nd4j.create(v, new long[] {n, 1, width, k}, 'c');
    }

    @Test
    void projectionSolvesTheGeneralisedEigenproblemAndIsVOrthonormal() {
        INDArray maps = CoOccurrenceTest.sparseMaps(70, SHAPE, 2, 5);
        ManifoldSpec spec = new ManifoldSpec(5, 5, ManifoldSpec.Difference.FIRST, 1e-2, 1000, 1, false);
        ManifoldLayer layer = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(1));
        double[][] vs = CoOccurrenceTest.reference(maps, 5, ManifoldSpec.Difference.FIRST);
        int k = SHAPE.channels();
        double trace = 0;
        for (int j = 0; j < k; j++) trace += vs[0][j * k + j];
        double[] vr = vs[0].clone();
        for (int j = 0; j < k; j++) vr[j * k + j] += 1e-2 * trace / k;
        double[] s = vs[1];
        double[][] p = layer.projection().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] mu = layer.mu().castTo(DataType.DOUBLE).toDoubleVector();
        for (int a = 0; a < p.length; a++) {
            double[] vp = times(vr, p[a], k);
            double[] sp = times(s, p[a], k);
            for (int i = 0; i < k; i++) {
                assertEquals(mu[a] * vp[i], sp[i], 1e-5, "S p = mu V p, dimension " + a + ", entry " + i);
            }
            for (int b = 0; b < p.length; b++) {
                double dot = 0;
                for (int i = 0; i < k; i++) dot += p[b][i] * vp[i];
                assertEquals(a == b ? 1 : 0, dot, 1e-5, "P V P^T = I at " + a + ", " + b);
            }
            if (a > 0) assertTrue(mu[a] >= mu[a - 1], "mu ascends");
        }
    }

    private static double[] times(double[] m, double[] x, int k) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) out[i] += m[i * k + j] * x[j];
        return out;
    }

    @Test
    void recoversTheOrderOfARingOfAtoms() {
        int k = 24;
        INDArray maps = ringMaps(300, 16, k, 3);
        ManifoldSpec spec = new ManifoldSpec(2, 5, ManifoldSpec.Difference.FIRST, 1e-3, 300, 1, false);
        ManifoldLayer layer = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(7));
        double[][] p = layer.projection().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] radius = new double[k];
        for (int a = 0; a < k; a++) {
            radius[a] = Math.hypot(p[0][a], p[1][a]);
            int nearest = -1;
            int second = -1;
            for (int b = 0; b < k; b++) {
                if (b == a) continue;
                if (nearest < 0 || dist(p, a, b) < dist(p, a, nearest)) {
                    second = nearest;
                    nearest = b;
                } else if (second < 0 || dist(p, a, b) < dist(p, a, second)) {
                    second = b;
                }
            }
            int n1 = Math.floorMod(nearest - a, k);
            int n2 = Math.floorMod(second - a, k);
            assertTrue((n1 == 1 && n2 == k - 1) || (n1 == k - 1 && n2 == 1),
                    "atom " + a + ": its two nearest atoms in the embedding are " + nearest + " and " + second);
        }
        double mean = java.util.Arrays.stream(radius).average().orElseThrow();
        for (double r : radius) assertEquals(mean, r, 0.1 * mean, "the ring embeds on a circle");
        double[] mu = layer.mu().toDoubleVector();
        assertEquals(mu[0], mu[1], 0.1 * mu[1], "cosine and sine of the ring angle are equally slow");
    }

    private static double dist(double[][] p, int a, int b) {
        return Math.hypot(p[0][a] - p[0][b], p[1][a] - p[1][b]);
    }

    @Test
    void encodeIsTheNormalisedProjectionOfEachPosition() {
        INDArray maps = CoOccurrenceTest.sparseMaps(30, SHAPE, 1, 9);
        ManifoldLayer layer = ManifoldSpec.defaults().withDims(4).fit("L1.embed", MapSource.of(maps), FitContext.silent(2));
        INDArray in = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3));
        INDArray out = layer.encode(in);
        assertArrayEquals(new long[] {3, 6, 7, 4}, out.shape());
        float[][] p = layer.projection().toFloatMatrix();
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 7; x++) {
                float[] a = in.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(y),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(x), org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector();
                double[] beta = new double[4];
                double norm = 0;
                for (int d = 0; d < 4; d++) {
                    for (int j = 0; j < a.length; j++) beta[d] += p[d][j] * a[j];
                    norm += beta[d] * beta[d];
                }
                for (int d = 0; d < 4; d++) {
                    double expected = norm > 0 ? beta[d] / Math.sqrt(norm) : 0;
                    assertEquals(expected, out.getDouble(1, y, x, d), 1e-5);
                }
            }
        }
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 1, 6, 7, 12);
        assertEquals(0.0, layer.encode(zero).sumNumber().doubleValue(), 0.0, "a position without code embeds to zero");
    }

    @Test
    void topAtomsListsTheLargestWeightsOfADimension() {
        ManifoldLayer layer = ManifoldSpec.defaults().withDims(3).fit("L1.embed",
                MapSource.of(CoOccurrenceTest.sparseMaps(30, SHAPE, 1, 4)), FitContext.silent(3));
        List<ManifoldLayer.AtomWeight> top = layer.topAtoms(2, 4);
        assertEquals(4, top.size());
        float[] row = layer.projection().getRow(2).toFloatVector();
        for (ManifoldLayer.AtomWeight w : top) assertEquals(row[w.atom()], w.weight());
        for (int i = 1; i < top.size(); i++) assertTrue(Math.abs(top.get(i - 1).weight()) >= Math.abs(top.get(i).weight()));
        float fourth = Math.abs(top.get(3).weight());
        long larger = 0;
        for (float r : row) if (Math.abs(r) > fourth) larger++;
        assertTrue(larger <= 3, "no atom outside the list has a larger weight");
        assertEquals("L1.embed: no embedding dimension 3 (expected 0 to 2)",
                assertThrows(GlassboxException.class, () -> layer.topAtoms(3, 1)).getMessage());
    }

    @Test
    void sameSeedGivesTheSameProjectionAndASampleSubsetChangesIt() {
        INDArray maps = CoOccurrenceTest.sparseMaps(50, SHAPE, 2, 6);
        ManifoldSpec spec = ManifoldSpec.defaults().withDims(3).withSampleMaps(20);
        ManifoldLayer a = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(4));
        ManifoldLayer b = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(4));
        ManifoldLayer c = spec.fit("L1.embed", MapSource.of(maps), FitContext.silent(5));
        assertEquals(a.projection(), b.projection());
        assertTrue(!a.projection().equalsWithEps(c.projection(), 1e-4), "another seed samples other maps");
    }

    @Test
    void unusedAtomsGetZeroWeight() {
        INDArray maps = CoOccurrenceTest.sparseMaps(30, SHAPE, 2, 8);
        maps.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(5)).assign(0);
        ManifoldLayer layer = ManifoldSpec.defaults().withDims(4).fit("L1.embed", MapSource.of(maps), FitContext.silent(1));
        assertEquals(0.0, layer.projection().getColumn(5).norm2Number().doubleValue(), 0.0);
        assertTrue(layer.mu().getDouble(0) > 1e-3, "no spurious zero-slowness dimension from the unused atom");
    }

    @Test
    void rejectsMoreDimensionsThanActiveAtomsAndWrongInput() {
        INDArray maps = CoOccurrenceTest.sparseMaps(10, SHAPE, 1, 2);
        var tooMany = assertThrows(GlassboxException.class, () -> ManifoldSpec.defaults().withDims(12)
                .fit("L1.embed", MapSource.of(maps), FitContext.silent(1)));
        assertEquals("L1.embed: invalid dims = 12: expected at most 11, the 12 channels of the input maps [6, 7, 12] "
                + "less skip = 1", tooMany.getMessage());
        INDArray fewAtoms = maps.dup();
        fewAtoms.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 12)).assign(0);
        var inactive = assertThrows(GlassboxException.class, () -> ManifoldSpec.defaults().withDims(3)
                .fit("L1.embed", MapSource.of(fewAtoms), FitContext.silent(1)));
        assertEquals("L1.embed: only 3 of 12 atoms are active in the sampled maps but dims + skip = 4 eigenvectors "
                + "were requested (expected at least 4 active atoms)", inactive.getMessage());
        INDArray nan = maps.dup();
        nan.putScalar(new long[] {0, 0, 0, 0}, Float.NaN);
        var nanEx = assertThrows(GlassboxException.class, () -> ManifoldSpec.defaults().withDims(2)
                .fit("L1.embed", MapSource.of(nan), FitContext.silent(1)));
        assertEquals("L1.embed input: expected finite values but found NaN or infinity", nanEx.getMessage());
        ManifoldLayer layer = ManifoldSpec.defaults().withDims(2).fit("L1.embed", MapSource.of(maps), FitContext.silent(1));
        var shape = assertThrows(ShapeMismatchException.class, () -> layer.encode(Nd4j.zeros(DataType.FLOAT, 2, 6, 7, 11)));
        assertEquals("L1.embed input: expected shape [*, 6, 7, 12] but got [2, 6, 7, 11]", shape.getMessage());
    }

    @Test
    void restoresFromAModelFolderWithIdenticalOutput(@TempDir Path dir) {
        INDArray maps = CoOccurrenceTest.sparseMaps(20, SHAPE, 2, 12);
        ManifoldLayer layer = new ManifoldSpec(3, 3, ManifoldSpec.Difference.SECOND, 1e-3, 100, 1, true)
                .fit("L1.embed", MapSource.of(maps), FitContext.silent(1));
        Model model = new Model(Provenance.now(1, "synthetic", "none", 20), new Pipeline(SHAPE, List.of(layer)),
                List.of(), Map.of());
        ModelFile.write(model, dir.resolve("m"));
        Layer restored = ModelFile.read(dir.resolve("m")).pipeline().stages().get(0);
        assertEquals(layer.spec(), restored.spec());
        assertEquals(layer.encode(maps), restored.encode(maps));
        var missing = assertThrows(GlassboxException.class, () -> LayerKind.named("manifold")
                .restore("L1.embed", layer.spec(), SHAPE, Map.of("projection", layer.projection())));
        assertEquals("L1.embed: missing array 'mu' (expected the arrays projection and mu)", missing.getMessage());
        var wrong = assertThrows(ShapeMismatchException.class, () -> LayerKind.named("manifold")
                .restore("L1.embed", layer.spec(), SHAPE, Map.of("projection", Nd4j.zeros(DataType.FLOAT, 3, 11),
                        "mu", layer.mu())));
        assertEquals("L1.embed.projection: expected shape [3, 12] but got [3, 11]", wrong.getMessage());
    }
}
