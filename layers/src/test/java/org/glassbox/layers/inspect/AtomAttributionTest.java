package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.inspect.AtomAttribution;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.layers.pool.PoolingLayer;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.readout.LinearSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link AtomAttribution} and {@link Explainer#explain} on small fitted stacks with a linear
 * readout: the atoms' contributions through the embedding and pooling sum, with the bias, to the
 * readout's scores; without an embedding they are the readout's own per-channel contributions.
 */
class AtomAttributionTest {
    private static SmtModels smt;
    private static SmtModels classic;

    @BeforeAll
    static void fit() {
        smt = SmtModels.smt();
        classic = SmtModels.classic();
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void theStageIsTheCodeStage() {
        Pipeline p = smt.model.pipeline();
        assertEquals(OptionalInt.of(2), AtomAttribution.stage(p));
        assertEquals("L1.code", p.stages().get(2).id());
        assertEquals(OptionalInt.of(2), AtomAttribution.stage(classic.model.pipeline()));
        // the code stage last: itself
        assertEquals(OptionalInt.of(2), AtomAttribution.stage(p.prefix(3)));
        // a stage without atoms and not locally linear before the last atoms: none
        assertEquals(OptionalInt.empty(), AtomAttribution.stage(p.prefix(2)));
    }

    /** A stage that does what {@code inner} does but is not LocallyLinear. */
    private static Layer opaque(Layer inner) {
        return new Layer() {
            @Override
            public String id() {
                return inner.id() + ".opaque";
            }

            @Override
            public ComponentSpec spec() {
                return inner.spec();
            }

            @Override
            public MapShape inputShape() {
                return inner.inputShape();
            }

            @Override
            public MapShape outputShape() {
                return inner.outputShape();
            }

            @Override
            public INDArray encode(INDArray input) {
                return inner.encode(input);
            }

            @Override
            public Map<String, INDArray> parameters() {
                return inner.parameters();
            }
        };
    }

    @Test
    void theStageIsEmptyWhenAStageThatIsNotLocallyLinearFollowsTheAtoms() {
        Pipeline p = smt.model.pipeline();
        List<Layer> stages = new ArrayList<>(p.stages());
        stages.set(4, opaque(stages.get(4)));
        assertEquals(OptionalInt.empty(), AtomAttribution.stage(new Pipeline(p.inputShape(), stages)));
        stages = new ArrayList<>(p.stages());
        stages.set(3, opaque(stages.get(3)));
        assertEquals(OptionalInt.empty(), AtomAttribution.stage(new Pipeline(p.inputShape(), stages)));
    }

    @Test
    void atomContributionsThroughTheEmbeddingSumToTheScores() {
        Pipeline p = smt.model.pipeline();
        INDArray batch = SmtModels.images(smt.test, 0, 24);
        INDArray scores = smt.readout.encode(p.transform(batch));
        double[] s = values(scores);
        double[] bias = values(smt.readout.bias());
        List<INDArray> contributions = AtomAttribution.contributions(p, 2, smt.readout, batch);
        assertEquals(24, contributions.size());
        for (int i = 0; i < 24; i++) {
            assertArrayEquals(new long[] {256, 10}, contributions.get(i).shape());
            double[] c = values(contributions.get(i));
            int nonZeroAtoms = 0;
            for (int k = 0; k < 256; k++) {
                boolean any = false;
                for (int y = 0; y < 10; y++) any |= c[k * 10 + y] != 0;
                if (any) nonZeroAtoms++;
            }
            assertTrue(nonZeroAtoms > 5 && nonZeroAtoms < 256, "sample " + i + " atoms with a contribution: " + nonZeroAtoms);
            for (int y = 0; y < 10; y++) {
                double sum = bias[y];
                for (int k = 0; k < 256; k++) sum += c[k * 10 + y];
                assertEquals(s[i * 10 + y], sum, 1e-4 * Math.max(1, Math.abs(s[i * 10 + y])), "sample " + i + " class " + y);
            }
        }
    }

    @Test
    void withoutAnEmbeddingTheAtomContributionsAreTheReadoutsChannelContributions() {
        Pipeline p = classic.model.pipeline();
        INDArray batch = SmtModels.images(classic.test, 0, 16);
        INDArray features = p.transform(batch);
        double[] direct = values(classic.readout.contributions(features));
        double[] s = values(classic.readout.encode(features));
        double[] bias = values(classic.readout.bias());
        List<INDArray> contributions = AtomAttribution.contributions(p, 2, classic.readout, batch);
        int k = 48;
        for (int i = 0; i < 16; i++) {
            double[] c = values(contributions.get(i));
            assertEquals(k * 10, c.length);
            for (int j = 0; j < k * 10; j++) {
                assertEquals(direct[i * k * 10 + j], c[j], 1e-4 * Math.max(1, Math.abs(direct[i * k * 10 + j])),
                        "sample " + i + " entry " + j);
            }
            for (int y = 0; y < 10; y++) {
                double sum = bias[y];
                for (int a = 0; a < k; a++) sum += c[a * 10 + y];
                assertEquals(s[i * 10 + y], sum, 1e-4 * Math.max(1, Math.abs(s[i * 10 + y])));
            }
        }
    }

    private static void assertSumsToScores(List<Explanation.Contribution> contributions, Explanation e) {
        for (int y = 0; y < 10; y++) {
            double sum = e.bias()[y];
            for (Explanation.Contribution c : contributions) sum += c.value()[y];
            assertEquals(e.scores()[y], sum, 1e-4 * Math.max(1, Math.abs(e.scores()[y])), "class " + y);
        }
    }

    @Test
    void anExplanationNamesAtomsAndEmbeddingDimensionsAndBothSumToTheScores() {
        Model model = smt.model;
        Layer readout = model.linearReadout();
        assertEquals("linear", readout.id());
        for (int index : new int[] {0, 7, 31}) {
            Explanation e = Explainer.explain(model.pipeline(), readout, smt.test, index);
            double[] scores = values(smt.readout.encode(model.pipeline().transform(SmtModels.images(smt.test, index, index + 1))));
            for (int y = 0; y < 10; y++) assertEquals(scores[y], e.scores()[y], 1e-5);
            assertArrayEquals(smt.readout.bias().dup().data().asFloat(), e.bias(), 0f);
            assertEquals(smt.test.labels()[index], e.label());
            assertEquals(256, e.contributions().size());
            for (int k = 0; k < 256; k++) assertEquals("L1/a" + k, e.contributions().get(k).atom());
            assertEquals(8, e.channels().size());
            for (int j = 0; j < 8; j++) assertEquals("L1.embed/c" + j, e.channels().get(j).atom());
            assertSumsToScores(e.contributions(), e);
            assertSumsToScores(e.channels(), e);
            // the atoms' contributions are those of AtomAttribution
            double[] direct = values(AtomAttribution.contributions(model.pipeline(), 2, smt.readout,
                    SmtModels.images(smt.test, index, index + 1)).get(0));
            for (int k = 0; k < 256; k++) {
                for (int y = 0; y < 10; y++) assertEquals(direct[k * 10 + y], e.contributions().get(k).value()[y], 1e-6);
            }
        }
    }

    @Test
    void averageAndMaxPoolingSideBySideKeepsExplanationsExactAndNamesBothHalves() {
        Pipeline p = smt.model.pipeline();
        List<Layer> stages = new ArrayList<>(p.stages());
        PoolingLayer average = (PoolingLayer) stages.get(stages.size() - 1);
        stages.set(stages.size() - 1, new PoolingLayer("L1.pool",
                average.spec().withReduction(PoolingSpec.Reduction.AVERAGE_AND_MAX), average.inputShape()));
        Pipeline both = new Pipeline(p.inputShape(), stages);
        assertEquals(new MapShape(2, 2, 16), both.outputShape());
        LinearReadout readout = LinearSpec.defaults(10).fit("linear", MapSource.of(both.transformAll(smt.train.source())),
                smt.train.labels(), FitContext.silent(3));
        Explanation e = Explainer.explain(both, readout, smt.test, 7);
        assertEquals(256, e.contributions().size());
        assertEquals(16, e.channels().size());
        for (int j = 0; j < 8; j++) {
            assertEquals("mean(L1.embed/c" + j + ")", e.channels().get(j).atom());
            assertEquals("max(L1.embed/c" + j + ")", e.channels().get(8 + j).atom());
        }
        assertSumsToScores(e.contributions(), e);
        assertSumsToScores(e.channels(), e);
    }

    @Test
    void withoutAnEmbeddingTheExplanationsChannelsAreTheAtoms() {
        Explanation e = Explainer.explain(classic.model.pipeline(), classic.readout, classic.test, 3);
        assertEquals(48, e.contributions().size());
        assertEquals("L1/a5", e.contributions().get(5).atom());
        assertFalse(e.contributions().isEmpty());
        assertTrue(e.channels().isEmpty(), "the channels are the atoms: no second view");
        assertSumsToScores(e.contributions(), e);
    }
}
