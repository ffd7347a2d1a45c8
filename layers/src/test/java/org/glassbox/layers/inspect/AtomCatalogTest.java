package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.AtomWeight;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.whiten.WhiteningLayer;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The atom catalog: well-formed statistics that agree with the codes, images and composition. */
class AtomCatalogTest {
    static SmallModel m;
    static ImageSet test;
    static AtomCatalog catalog;

    @BeforeAll
    static void build() {
        m = SmallModel.get();
        test = m.split.test().select("first 100", java.util.stream.IntStream.range(0, 100).toArray());
        catalog = AtomCatalog.build(m.model.pipeline(), test, 5, Progress.silent());
    }

    @Test
    void statisticsAreWellFormedAndMatchTheCodes() {
        assertEquals(List.of("L1", "L2"), catalog.layers().stream().map(AtomCatalog.LayerAtoms::prefix).toList());
        Pipeline p = m.model.pipeline();
        int[] stage = {2, 5};
        for (int t = 0; t < 2; t++) {
            AtomCatalog.LayerAtoms layer = catalog.layers().get(t);
            INDArray codes = p.prefix(stage[t] + 1).transformAll(test.source());
            float[] v = Maps.rows(codes).dup('c').data().asFloat();
            int k = (int) codes.size(3);
            long positions = v.length / k;
            double meanActive = 0;
            for (float x : v) if (x != 0) meanActive++;
            meanActive /= positions;
            double sumUsage = layer.atoms().stream().mapToDouble(AtomCatalog.Atom::testUsage).sum();
            assertEquals(meanActive, sumUsage, 1e-9, "test usages sum to the mean number of active atoms per position");
            float[] trainUsage = ((SparseCodingLayer) p.stages().get(stage[t])).usage().dup().data().asFloat();
            for (int a = 0; a < layer.atoms().size(); a++) {
                AtomCatalog.Atom atom = layer.atoms().get(a);
                assertEquals(layer.prefix() + "/a" + a, atom.id());
                assertEquals(trainUsage[a], atom.usage(), 0.0);
                assertTrue(atom.testUsage() >= 0 && atom.testUsage() <= 1);
                double sum = 0;
                for (double q : atom.classDistribution()) {
                    assertTrue(q >= 0);
                    sum += q;
                }
                assertEquals(1, sum, 1e-9);
                assertTrue(atom.entropy() >= 0 && atom.entropy() <= Math.log(10) + 1e-12, "entropy " + atom.entropy());
                if (atom.topClass() >= 0) {
                    for (double q : atom.classDistribution()) assertTrue(q <= atom.classDistribution()[atom.topClass()]);
                }
                double previous = Double.POSITIVE_INFINITY;
                for (AtomCatalog.TopInput top : atom.top()) {
                    assertTrue(top.activation() <= previous);
                    previous = top.activation();
                    assertEquals(test.labels()[top.index()], top.label());
                    float code = codes.getFloat(top.index(), top.row(), top.column(), a);
                    assertEquals(top.activation(), Math.abs(code), 1e-6, "the activation is the code at the recorded position");
                }
            }
        }
    }

    @Test
    void aMemoizedFirstLayerGivesTheSameCatalogOnEveryPass() throws Exception {
        var memo = m.model.withMemoizedCodes(1L << 30);
        assertTrue(memo.pipeline().stages().get(2) instanceof MemoizedAtoms);
        String expected = Json.MAPPER.writeValueAsString(catalog.layers());
        for (int pass = 0; pass < 2; pass++) {
            AtomCatalog again = AtomCatalog.build(memo.pipeline(), test, 5, Progress.silent());
            assertEquals(expected, Json.MAPPER.writeValueAsString(again.layers()), "pass " + pass);
            assertEquals(catalog.images("L2"), again.images("L2"));
        }
    }

    @Test
    void layerOneImagesAreUnwhitenedAtomsAndLayerTwoIsComposed() {
        Pipeline p = m.model.pipeline();
        WhiteningLayer whiten = (WhiteningLayer) p.stages().get(1);
        SparseCodingLayer l1 = (SparseCodingLayer) p.stages().get(2);
        // atom D_k un-whitened, D_k U, laid out as its 7 x 7 patch
        INDArray expected = whiten.unwhitenDirections(l1.dictionary()).reshape('c', 12, 7, 7, 1);
        assertEquals(expected, catalog.images("L1"));
        assertEquals("dictionary", catalog.layers().get(1).imageSource());
        // an L2 atom sees 3 x 3 pooled cells, each 2 x 2 L1 positions: 6 x 6 L1 positions, whose 7 x 7 patches span 12 x 12 pixels
        assertArrayEquals(new long[] {10, 12, 12, 1}, catalog.images("L2").shape());
        AtomCatalog.TopInput top = catalog.layers().get(1).atoms().get(0).top().get(0);
        assertEquals(12, top.rows().length());
        assertEquals(top.row() * 4, top.rows().from(), "L2 position i starts at pixel 4 i (patch stride 2 of pooling stride 2)");
    }

    @Test
    void builtFromSumsTheMagnitudesOfEachLowerAtomsWeights() {
        SparseCodingLayer l2 = (SparseCodingLayer) m.model.pipeline().stages().get(5);
        assertTrue(catalog.layers().get(0).atoms().get(0).builtFrom().isEmpty(), "layer-1 atoms are built from pixels");
        AtomCatalog.Atom atom = catalog.layers().get(1).atoms().get(1);
        float[] row = l2.dictionary().getRow(1).dup().data().asFloat();
        double[] weight = new double[12];
        for (int i = 0; i < row.length; i++) weight[i % 12] += Math.abs(row[i]);
        assertFalse(atom.builtFrom().isEmpty());
        double previous = Double.POSITIVE_INFINITY;
        for (AtomWeight w : atom.builtFrom()) {
            int k = Integer.parseInt(w.atom().substring("L1/a".length()));
            assertEquals(weight[k], w.weight(), 1e-5);
            assertTrue(w.weight() <= previous);
            previous = w.weight();
        }
    }
}
