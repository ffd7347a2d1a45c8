package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * On the fitted SMT stack: {@link MemoizedAtoms} returns what the wrapped layer does (the same
 * object again within its budget), {@link AtomCatalog} counts what the code stage's codes hold, and
 * {@link EmbeddingAtlas#pictures} draws each dimension's top atoms with the sign of their weight.
 */
class AtomCatalogSmtTest {
    private static SmtModels smt;
    private static INDArray whitened;

    @BeforeAll
    static void fit() {
        smt = SmtModels.smt();
        whitened = smt.model.pipeline().prefix(2).transform(SmtModels.images(smt.test, 0, 20));
    }

    private static void assertSameRows(SparseRows a, SparseRows b) {
        assertEquals(a.rows(), b.rows());
        assertEquals(a.columns(), b.columns());
        assertArrayEquals(a.start(), b.start());
        assertArrayEquals(a.index(), b.index());
        assertArrayEquals(a.value(), b.value(), 0f);
    }

    @Test
    void memoizedAtomsReturnTheWrappedLayersCodes() {
        SparseOutput wrapped = (SparseOutput) smt.model.pipeline().stages().get(2);
        for (long budget : new long[] {1L << 30, 0}) {
            Model memo = smt.model.withMemoizedCodes(budget);
            Layer stage = memo.pipeline().stages().get(2);
            assertTrue(stage instanceof MemoizedAtoms, "the code stage is wrapped");
            assertSame(smt.model.pipeline().stages().get(3), memo.pipeline().stages().get(3));
            MemoizedAtoms m = (MemoizedAtoms) stage;
            assertEquals(((Layer) wrapped).id(), m.id());
            SparseRows direct = wrapped.encodeSparse(whitened);
            SparseRows first = m.encodeSparse(whitened);
            SparseRows again = m.encodeSparse(whitened.dup());
            assertSameRows(direct, first);
            assertSameRows(direct, again);
            if (budget > 0) assertSame(first, again, "within the budget the remembered codes are returned");
            else assertNotSame(first, again, "over the budget nothing is remembered");
            assertEquals(((Layer) wrapped).encode(whitened), m.encode(whitened));
            // another batch is not confused with the first
            INDArray other = whitened.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
            assertSameRows(wrapped.encodeSparse(other), m.encodeSparse(other));
            // and the whole memoized model transforms as the original
            INDArray batch = SmtModels.images(smt.test, 0, 20);
            assertEquals(smt.model.pipeline().transform(batch), memo.pipeline().transform(batch));
        }
    }

    @Test
    void theCatalogsUsageIsADirectCountOfTheCodes() {
        Pipeline p = smt.model.pipeline();
        INDArray codes = p.prefix(3).transform(smt.test.images()).dup('c');
        int k = (int) codes.size(3);
        assertEquals(256, k);
        float[] v = codes.data().asFloat();
        long positions = v.length / k;
        int perImage = (int) (positions / smt.test.size());
        long[] active = new long[k];
        double[][] mass = new double[k][10];
        int[] images = new int[k];
        int[] lastImage = new int[k];
        java.util.Arrays.fill(lastImage, -1);
        for (int r = 0; r < positions; r++) {
            int label = smt.test.labels()[r / perImage];
            for (int a = 0; a < k; a++) {
                if (v[r * k + a] != 0) {
                    active[a]++;
                    mass[a][label] += Math.abs(v[r * k + a]);
                    if (lastImage[a] != r / perImage) {
                        lastImage[a] = r / perImage;
                        images[a]++;
                    }
                }
            }
        }
        float[] usage = ((org.glassbox.framework.layer.HasAtoms) p.stages().get(2)).usage().dup().data().asFloat();
        for (Model model : new Model[] {smt.model, smt.model.withMemoizedCodes(1L << 30)}) {
            AtomCatalog catalog = AtomCatalog.build(model.pipeline(), smt.test, 3, Progress.silent());
            assertEquals(1, catalog.layers().size());
            AtomCatalog.LayerAtoms layer = catalog.layers().get(0);
            assertEquals("L1", layer.prefix());
            assertEquals("L1.code", layer.stage());
            assertEquals(k, layer.atoms().size());
            int used = 0;
            for (int a = 0; a < k; a++) {
                AtomCatalog.Atom atom = layer.atoms().get(a);
                assertEquals("L1/a" + a, atom.id());
                assertEquals((double) active[a] / positions, atom.testUsage(), 0.0, atom.id());
                assertEquals(usage[a], atom.usage(), 0.0, atom.id());
                double total = 0;
                for (double m : mass[a]) total += m;
                if (total > 0) {
                    used++;
                    for (int c = 0; c < 10; c++) {
                        assertEquals(mass[a][c] / total, atom.classDistribution()[c], 1e-6, atom.id() + " class " + c);
                    }
                    assertEquals(Math.min(3, images[a]), atom.top().size(), "one top input per image: " + atom.id());
                } else {
                    assertEquals(-1, atom.topClass());
                    assertTrue(atom.top().isEmpty());
                }
            }
            assertTrue(used > 100, "atoms used on the test digits: " + used);
        }
    }

    @Test
    void theCatalogPassHandsOverThePipelinesOutputs() {
        Pipeline p = smt.model.pipeline();
        INDArray features = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                p.outputShape().batchShape(smt.test.size()));
        AtomCatalog withFeatures = AtomCatalog.build(p, smt.test, 3, Progress.silent(), features);
        assertEquals(p.transformAll(smt.test.source()), features);
        AtomCatalog without = AtomCatalog.build(p, smt.test, 3, Progress.silent());
        assertEquals(without.layers().get(0).atoms().size(), withFeatures.layers().get(0).atoms().size());
        for (int a = 0; a < without.layers().get(0).atoms().size(); a++) {
            assertEquals(without.layers().get(0).atoms().get(a).testUsage(), withFeatures.layers().get(0).atoms().get(a).testUsage());
        }
    }

    @Test
    void theEmbeddingAtlasDrawsEachDimensionsTopAtomsWithTheSignOfTheirWeight() {
        Pipeline p = smt.model.pipeline();
        List<ManifoldLayer> embeddings = EmbeddingAtlas.embeddings(p);
        assertEquals(1, embeddings.size());
        ManifoldLayer embed = embeddings.get(0);
        assertSame(p.stage("L1.embed"), embed);
        List<INDArray> pictures = EmbeddingAtlas.pictures(p, embed);
        int dims = embed.spec().dims();
        assertEquals(dims * EmbeddingAtlas.ATOMS_PER_DIMENSION, pictures.size());
        INDArray atoms = AtomAtlas.pixelAtoms(p, "L1.code");
        assertEquals(256, atoms.size(0));
        float[][] projection = embed.projection().castTo(DataType.FLOAT).toFloatMatrix();
        for (int j = 0; j < dims; j++) {
            List<Integer> order = new ArrayList<>();
            for (int a = 0; a < 256; a++) order.add(a);
            float[] row = projection[j];
            order.sort(Comparator.comparingDouble((Integer a) -> -Math.abs(row[a])).thenComparingInt(a -> a));
            List<ManifoldLayer.AtomWeight> top = embed.topAtoms(j, EmbeddingAtlas.ATOMS_PER_DIMENSION);
            for (int t = 0; t < EmbeddingAtlas.ATOMS_PER_DIMENSION; t++) {
                int atom = order.get(t);
                assertEquals(atom, top.get(t).atom(), "dimension " + j + " rank " + t);
                float sign = Math.signum(row[atom]);
                assertTrue(sign != 0);
                INDArray expected = atoms.slice(atom).mul(sign);
                INDArray actual = pictures.get(j * EmbeddingAtlas.ATOMS_PER_DIMENSION + t);
                assertArrayEquals(expected.shape(), actual.shape());
                assertArrayEquals(expected.dup('c').data().asFloat(), actual.dup('c').data().asFloat(), 0f,
                        "dimension " + j + " rank " + t);
            }
        }
    }
}
