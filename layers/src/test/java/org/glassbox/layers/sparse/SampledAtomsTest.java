package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Atoms sampled from real whitened MNIST patches ({@link SparseCodingSpec.AtomSource#SAMPLED}):
 * unit data vectors, pairwise cosines of at most maxCosine, the ones a direct float64 greedy pass
 * over the fit's sample in the fit's random order chooses.
 */
class SampledAtomsTest {
    private static final FitContext CONTEXT = FitContext.silent(3);
    private static final int D = 36;
    private static final double MAX_COSINE = 0.7;
    private static final SparseCodingSpec SPEC = SparseCodingSpec.of("L1", 64, 0.7).withEncoder(Encoder.COSINE_THRESHOLD)
            .withSampledAtoms(MAX_COSINE).withMaxSamples(5_000);
    /** 6 x 6 patches (stride 1) of 150 real digits, whitened with emptyNorm 0.1 and normalised: [150, 23, 23, 36]. */
    private static MapSource whitened;

    @BeforeAll
    static void whitenedPatches() {
        INDArray images = EmbeddedMnist.split().train().images().get(NDArrayIndex.interval(0, 150),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        MapSource digits = MapSource.of(images);
        Pipeline front = Pipeline.fit(digits, List.of(new Pipeline.Stage("L1.patches", new PatchSpec(6, 1)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults().withEmptyNorm(0.1).withNormalize(true)
                        .withSamples(20_000))), CONTEXT);
        whitened = MapSource.of(front.transformAll(digits));
    }

    /** The sample a fit of {@code spec} with {@code context} draws, as float64 rows, and the generator after it. */
    private record Drawn(double[][] rows, SplittableRandom rng) {
    }

    private static Drawn draw(SparseCodingSpec spec, FitContext context) {
        SplittableRandom rng = context.random("L1.code");
        INDArray sample = PositionSampler.sample(whitened, spec.maxSamples(), rng);
        double[] flat = TestData.toDouble(sample);
        double[][] rows = new double[(int) sample.size(0)][];
        for (int i = 0; i < rows.length; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * D, (i + 1) * D);
        return new Drawn(rows, rng);
    }

    private static double[] unit(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        double[] out = new double[x.length];
        if (s == 0) return out;
        for (int j = 0; j < x.length; j++) out[j] = x[j] / Math.sqrt(s);
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    /**
     * The sample's indices that the definition chooses, in float64: visit the vectors in the order of a
     * Fisher-Yates shuffle drawn from {@code rng}, keep a non-zero vector when its cosine with each kept
     * one is at most maxCosine, stop at {@code atoms}.
     */
    private static List<Integer> greedy(Drawn drawn, int atoms) {
        int n = drawn.rows().length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = drawn.rng().nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Integer> kept = new ArrayList<>();
        List<double[]> units = new ArrayList<>();
        for (int i = 0; i < n && kept.size() < atoms; i++) {
            double[] u = unit(drawn.rows()[order[i]]);
            if (dot(u, u) == 0) continue;
            boolean far = true;
            for (double[] a : units) far &= dot(u, a) <= MAX_COSINE;
            if (far) {
                kept.add(order[i]);
                units.add(u);
            }
        }
        return kept;
    }

    private static double[][] atoms(SparseCodingLayer layer) {
        double[] flat = TestData.toDouble(layer.dictionary());
        double[][] out = new double[(int) layer.dictionary().size(0)][];
        for (int k = 0; k < out.length; k++) out[k] = java.util.Arrays.copyOfRange(flat, k * D, (k + 1) * D);
        return out;
    }

    @Test
    void atomsAreUnitSampledVectorsFarApartChosenInTheFitsOrder() {
        SparseCodingLayer layer = SPEC.fit("L1.code", whitened, CONTEXT);
        double[][] atoms = atoms(layer);
        assertEquals(64, atoms.length);
        for (int k = 0; k < atoms.length; k++) assertEquals(1.0, Math.sqrt(dot(atoms[k], atoms[k])), 1e-5, "norm of atom " + k);

        Drawn drawn = draw(SPEC, CONTEXT);
        int zero = 0;
        for (double[] row : drawn.rows()) if (dot(row, row) == 0) zero++;
        assertTrue(zero > 100, "the sample holds empty (zero) vectors: " + zero);
        List<Integer> expected = greedy(drawn, 64);
        assertEquals(64, expected.size());
        // each atom is one of the chosen vectors, normalised (canonical order: by usage), each chosen vector once
        boolean[] used = new boolean[expected.size()];
        for (int k = 0; k < atoms.length; k++) {
            int match = -1;
            for (int c = 0; c < expected.size(); c++) {
                double[] u = unit(drawn.rows()[expected.get(c)]);
                double worst = 0;
                for (int j = 0; j < D; j++) worst = Math.max(worst, Math.abs(u[j] - atoms[k][j]));
                if (worst < 1e-5) match = c;
            }
            assertTrue(match >= 0, "atom " + k + " is a normalised chosen sample vector");
            assertTrue(!used[match], "atom " + k + " repeats a vector");
            used[match] = true;
        }
    }

    @Test
    void everyPairOfAtomsHasACosineOfAtMostMaxCosine() {
        double[][] atoms = atoms(SPEC.fit("L1.code", whitened, CONTEXT));
        double largest = -1;
        for (int a = 0; a < atoms.length; a++) {
            for (int b = a + 1; b < atoms.length; b++) largest = Math.max(largest, dot(atoms[a], atoms[b]));
        }
        assertTrue(largest <= MAX_COSINE + 1e-5, "largest pairwise cosine " + largest);
        assertTrue(largest > 0.3, "the bound is reached: " + largest);
    }

    @Test
    void usageIsTheFractionOfTrainingVectorsThatActivateEachAtom() {
        SparseCodingLayer layer = SPEC.fit("L1.code", whitened, CONTEXT);
        Drawn drawn = draw(SPEC, CONTEXT);
        double[][] atoms = atoms(layer);
        float[] usage = layer.usage().dup().data().asFloat();
        for (int k = 0; k < atoms.length; k++) {
            int active = 0;
            for (double[] x : drawn.rows()) {
                double n = Math.sqrt(dot(x, x));
                if (n > 0 && dot(x, atoms[k]) >= 0.7 * n) active++;
            }
            assertEquals((double) active / drawn.rows().length, usage[k], 2e-4, "usage of atom " + k);
            if (k > 0) assertTrue(usage[k] <= usage[k - 1], "usage does not increase");
        }
        assertTrue(usage[0] > 0.01, "the most used atom: " + usage[0]);
    }

    @Test
    void theFitIsDeterministicForASeed() {
        SparseCodingLayer a = SPEC.fit("L1.code", whitened, CONTEXT);
        SparseCodingLayer b = SPEC.fit("L1.code", whitened, FitContext.silent(3));
        assertEquals(a.dictionary(), b.dictionary());
        assertEquals(a.usage(), b.usage());
        SparseCodingLayer other = SPEC.fit("L1.code", whitened, FitContext.silent(4));
        assertNotEquals(a.dictionary(), other.dictionary());
    }

    @Test
    void tooFewVectorsFarApartNameTheStageAndTheCounts() {
        SparseCodingSpec spec = SPEC.withAtoms(250).withMaxSamples(300);
        int found = greedy(draw(spec, CONTEXT), 250).size();
        assertTrue(found > 20 && found < 250, "vectors far apart: " + found);
        var e = assertThrows(GlassboxException.class, () -> spec.fit("L1.code", whitened, CONTEXT));
        assertEquals("L1.code: only " + found + " of the 300 sampled vectors have cosines of at most 0.7 with each other,"
                + " but atoms = 250 were asked for (expected a larger maxSamples, a larger maxCosine or fewer atoms)",
                e.getMessage());
    }
}
