package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.Test;

/** Ablation: the unablated accuracy, the effect of removing a class's top contributors, equivalence with withAtomsOff, the sweep. */
class AblationTest {
    @Test
    void removingAClassTopContributorsHurtsThatClassAndBeforeIsTheModelsAccuracy() {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test();
        Layer linear = m.model.linearReadout();
        int[] predicted = Predictions.argmax(linear.encode(m.model.pipeline().transformAll(test.source())));
        Ablation.Accuracy direct = Ablation.Accuracy.of(test.labels(), predicted, 10);

        Ablation.Contributions contributions = Ablation.contributions(m.model.pipeline(), linear, test, Progress.silent());
        AtomIndex index = new AtomIndex(m.model.pipeline());
        List<List<String>> sets = new ArrayList<>();
        for (int c = 0; c < 10; c++) sets.add(contributions.top(index, c, 4));
        List<Ablation.Result> results = Ablation.runAll(m.model.pipeline(), linear, test, sets, Progress.silent());
        int hurt = 0;
        for (int c = 0; c < 10; c++) {
            Ablation.Result r = results.get(c);
            assertEquals(direct.overall(), r.before().overall(), 0.0);
            assertArrayEquals(direct.perClass(), r.before().perClass(), 0.0);
            assertTrue(r.after().perClass()[c] <= r.before().perClass()[c], "class " + c + ": " + r);
            if (r.after().perClass()[c] < r.before().perClass()[c] - 0.2) hurt++;
        }
        assertTrue(hurt >= 7, "removing a class's 4 top contributors (of 10 atoms) should cost most classes over 20 points; hurt " + hurt);
    }

    @Test
    void zeroingCodesEqualsTheSparseLayersWithAtomsOff() {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test().select("first 60", java.util.stream.IntStream.range(0, 60).toArray());
        Layer linear = m.model.readout("linear");
        List<String> off = List.of("L1/a0", "L1/a5", "L2/a2");
        Ablation.Result r = Ablation.run(m.model.pipeline(), linear, test, off, Progress.silent());
        List<Layer> stages = new ArrayList<>();
        for (Layer s : m.model.pipeline().stages()) {
            stages.add(s instanceof SparseCodingLayer sc ? sc.withAtomsOff(off.stream().filter(a -> a.startsWith(sc.atomPrefix() + "/")).toList()) : s);
        }
        Model ablated = new Model(m.model.provenance(), new Pipeline(m.model.pipeline().inputShape(), stages), m.model.readouts(), m.model.info());
        int[] predicted = Predictions.argmax(linear.encode(ablated.pipeline().transformAll(test.source())));
        Ablation.Accuracy expected = Ablation.Accuracy.of(test.labels(), predicted, 10);
        assertEquals(expected.overall(), r.after().overall(), 0.0);
        assertArrayEquals(expected.perClass(), r.after().perClass(), 0.0);
    }

    /**
     * Ablation runs the later stages only for the items whose codes hold a switched-off atom; item by
     * item, its predictions are those of the model re-encoded with the atoms off ({@code withAtomsOff}).
     */
    @Test
    void onlyTheItemsHoldingTheAtomsRunAgainAndEveryItemIsPredictedAsByReencoding() {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test();
        Layer linear = m.model.readout("linear");
        int[] full = Predictions.argmax(linear.encode(m.model.pipeline().transformAll(test.source())));
        int changed = 0;
        for (List<String> off : List.of(List.of("L1/a0"), List.of("L1/a3", "L1/a7"), List.of("L2/a2"), List.of("L1/a5", "L2/a1"))) {
            List<Layer> stages = new ArrayList<>();
            for (Layer s : m.model.pipeline().stages()) {
                stages.add(s instanceof SparseCodingLayer sc ? sc.withAtomsOff(off.stream().filter(a -> a.startsWith(sc.atomPrefix() + "/")).toList()) : s);
            }
            int[] reencoded = Predictions.argmax(linear.encode(new Pipeline(m.model.pipeline().inputShape(), stages).transformAll(test.source())));
            for (int i = 0; i < full.length; i++) if (reencoded[i] != full[i]) changed++;
            ImageSet asReencoded = new ImageSet("re-encoded", test.images(), reencoded, 10);
            Ablation.Result r = Ablation.run(m.model.pipeline(), linear, asReencoded, off, Progress.silent());
            assertEquals(1.0, r.after().overall(), 0.0, off + ": every item predicted as by re-encoding");
        }
        assertTrue(changed > 0, "switching atoms off should change some predictions");
    }

    @Test
    void sweepListsEachClassesCandidatesMostHarmfulFirst() {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test().select("first 80", java.util.stream.IntStream.range(0, 80).toArray());
        Layer linear = m.model.readout("linear");
        Ablation.Contributions c = Ablation.contributions(m.model.pipeline(), linear, test, Progress.silent());
        List<Ablation.ClassHarms> sweep = Ablation.sweep(m.model.pipeline(), linear, test, c, 2, Progress.silent());
        assertEquals(10, sweep.size());
        AtomIndex index = new AtomIndex(m.model.pipeline());
        for (Ablation.ClassHarms h : sweep) {
            assertEquals(2, h.harms().size());
            assertEquals(new java.util.HashSet<>(c.top(index, h.label(), 2)),
                    new java.util.HashSet<>(h.harms().stream().map(Ablation.Harm::atom).toList()));
            assertTrue(h.harms().get(0).drop() >= h.harms().get(1).drop());
            Ablation.Result single = Ablation.run(m.model.pipeline(), linear, test, List.of(h.harms().get(0).atom()), Progress.silent());
            assertEquals(single.before().perClass()[h.label()] - single.after().perClass()[h.label()], h.harms().get(0).drop(), 1e-12);
            if (h.label() >= 1) break; // two classes checked against single runs keep the test fast
        }
    }
}
