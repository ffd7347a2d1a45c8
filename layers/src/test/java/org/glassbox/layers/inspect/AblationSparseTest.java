package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Ablation} on the fitted SMT stack, whose codes reach the embedding as non-zeros: switching
 * atoms off through that sparse path predicts what switching them off in the dense code maps does,
 * and the sweep measures each class's harms on that class's items.
 */
class AblationSparseTest {
    private static SmtModels smt;
    private static Ablation.Contributions contributions;

    @BeforeAll
    static void fit() {
        smt = SmtModels.smt();
        contributions = Ablation.contributions(smt.model.pipeline(), smt.readout, smt.test, Progress.silent());
    }

    /** Predictions with {@code off} zeroed in the dense code maps, the later stages run densely. */
    private static int[] densePredictions(int[] off) {
        Pipeline p = smt.model.pipeline();
        INDArray codes = p.prefix(3).transform(smt.test.images()).dup('c');
        long k = codes.size(3);
        float[] v = codes.data().asFloat();
        for (int r = 0; r < v.length / k; r++) {
            for (int a : off) v[(int) (r * k + a)] = 0;
        }
        INDArray y = Nd4j.create(v, codes.shape(), 'c');
        for (int s = 3; s < p.stages().size(); s++) y = p.stages().get(s).encode(y);
        return Predictions.argmax(smt.readout.encode(y));
    }

    private static List<String> ids(int[] atoms) {
        return IntStream.of(atoms).mapToObj(a -> "L1/a" + a).toList();
    }

    private static int[] atoms(List<String> ids) {
        return ids.stream().mapToInt(id -> Integer.parseInt(id.substring(id.indexOf("/a") + 2))).toArray();
    }

    @Test
    void switchingAtomsOffThroughTheSparsePathEqualsZeroingTheDenseCodes() {
        AtomIndex index = new AtomIndex(smt.model.pipeline());
        List<int[]> sets = new ArrayList<>();
        sets.add(new int[] {0});
        sets.add(IntStream.range(0, 12).toArray());
        sets.add(atoms(contributions.top(index, 3, 10)));
        sets.add(atoms(contributions.top(index, 7, 30)));
        sets.add(IntStream.range(0, 256).filter(a -> a % 3 == 0).toArray());
        int[] full = densePredictions(new int[0]);
        int[] labels = smt.test.labels();
        List<List<String>> names = sets.stream().map(AblationSparseTest::ids).toList();
        List<Ablation.Result> results = Ablation.runAll(smt.model.pipeline(), smt.readout, smt.test, names, Progress.silent());
        Ablation.Accuracy before = Ablation.Accuracy.of(labels, full, 10);
        int changed = 0;
        for (int i = 0; i < sets.size(); i++) {
            int[] dense = densePredictions(sets.get(i));
            for (int n = 0; n < dense.length; n++) if (dense[n] != full[n]) changed++;
            Ablation.Result r = results.get(i);
            assertEquals(names.get(i), r.atoms());
            assertEquals(before.overall(), r.before().overall(), 0.0);
            assertArrayEquals(before.perClass(), r.before().perClass(), 0.0);
            Ablation.Accuracy after = Ablation.Accuracy.of(labels, dense, 10);
            assertEquals(after.overall(), r.after().overall(), 0.0, "set " + i);
            assertArrayEquals(after.perClass(), r.after().perClass(), 0.0, "set " + i);
            // item by item: against the dense predictions as labels, the sparse path is always right
            ImageSet asDense = new ImageSet("dense " + i, smt.test.images(), dense, 10);
            Ablation.Result same = Ablation.run(smt.model.pipeline(), smt.readout, asDense, names.get(i), Progress.silent());
            assertEquals(1.0, same.after().overall(), 0.0, "set " + i + ": the sparse path predicts as the dense one");
        }
        assertTrue(changed > 10, "switching atoms off should change some predictions; changed " + changed);
    }

    @Test
    void theSweepMeasuresEachClassOnItsOwnItems() {
        AtomIndex index = new AtomIndex(smt.model.pipeline());
        List<Ablation.ClassHarms> sweep = Ablation.sweep(smt.model.pipeline(), smt.readout, smt.test, contributions, 3,
                Progress.silent());
        assertEquals(10, sweep.size());
        Ablation.Accuracy fullSet = Ablation.runAll(smt.model.pipeline(), smt.readout, smt.test, List.of(List.of("L1/a0")),
                Progress.silent()).get(0).before();
        int positive = 0;
        for (int c = 0; c < 10; c++) {
            int label = c;
            Ablation.ClassHarms h = sweep.get(c);
            assertEquals(c, h.label());
            int[] items = IntStream.range(0, smt.test.size()).filter(i -> smt.test.labels()[i] == label).toArray();
            assertTrue(items.length > 0);
            ImageSet subset = smt.test.select("class " + c, items);
            List<String> top = contributions.top(index, c, 3);
            List<Ablation.Result> direct = Ablation.runAll(smt.model.pipeline(), smt.readout, subset,
                    top.stream().map(List::of).toList(), Progress.silent());
            assertEquals(direct.get(0).before().perClass()[c], h.accuracy(), 0.0);
            assertEquals(fullSet.perClass()[c], h.accuracy(), 1e-12, "class accuracy on its items is that on the full set");
            Map<String, Double> expected = new HashMap<>();
            for (int i = 0; i < top.size(); i++) {
                expected.put(top.get(i), direct.get(i).before().perClass()[c] - direct.get(i).after().perClass()[c]);
            }
            assertEquals(top.size(), h.harms().size());
            double previous = Double.POSITIVE_INFINITY;
            for (Ablation.Harm harm : h.harms()) {
                assertEquals(expected.get(harm.atom()), harm.drop(), 0.0, "class " + c + " atom " + harm.atom());
                assertTrue(harm.drop() <= previous, "most harmful first");
                previous = harm.drop();
                if (harm.drop() > 0) positive++;
            }
        }
        assertTrue(positive > 0, "some top contributor should harm its class");
    }
}
