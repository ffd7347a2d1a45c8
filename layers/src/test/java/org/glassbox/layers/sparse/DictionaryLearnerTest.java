package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Online dictionary learning on real digit patches: objective, canonical atoms, usage, determinism, re-seeding. */
class DictionaryLearnerTest {
    private static final int ATOMS = 32;
    private static final SparseCodingSpec SPEC = SparseCodingSpec.of("L1", ATOMS, 0.1).withEpochs(2).withBatchSize(200);
    private static final long SEED = 17;
    private static INDArray train;
    private static DictionaryLearner.Result learned;

    @BeforeAll
    static void learnOnce() {
        train = TestData.digitPatches(3000, 31);
        learned = learn(train, SPEC, SEED);
    }

    private static DictionaryLearner.Result learn(INDArray samples, SparseCodingSpec spec, long seed) {
        return DictionaryLearner.learn(samples, spec, new SplittableRandom(seed), Progress.silent(), "test");
    }

    /** The mean objective of {@code x} under {@code dict} with near-exact codes (relative duality gap 1e-7). */
    private static double objective(INDArray x, INDArray dict, double lambda) {
        INDArray codes = new WorkingSetLasso(dict, lambda, false, 10_000, 1e-7).encode(x);
        return LassoObjective.mean(x, codes, dict, lambda);
    }

    @Test
    void learningLowersTheObjectiveOnHeldOutDigitPatches() {
        INDArray test = TestData.digitPatches(1000, 32);
        INDArray initial = DictionaryLearner.initialDictionary(train, ATOMS, new SplittableRandom(SEED));
        double before = objective(test, initial, SPEC.lambda());
        double after = objective(test, learned.dictionary(), SPEC.lambda());
        assertTrue(after < 0.9 * before, "objective " + before + " -> " + after);
    }

    @Test
    void atomsAreCanonicalAndUsageIsSortedAndCorrect() {
        float[] dict = learned.dictionary().dup('c').data().asFloat();
        int d = (int) learned.dictionary().size(1);
        assertEquals(ATOMS, learned.dictionary().size(0));
        for (int k = 0; k < ATOMS; k++) {
            double norm = 0;
            int argmax = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) dict[k * d + j] * dict[k * d + j];
                if (Math.abs(dict[k * d + j]) > Math.abs(dict[k * d + argmax])) argmax = j;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5, "norm of atom " + k);
            assertTrue(dict[k * d + argmax] > 0, "largest entry of atom " + k + " is negative");
        }
        float[] usage = learned.usage().dup().data().asFloat();
        INDArray codes = new WorkingSetLasso(learned.dictionary(), SPEC.lambda(), false, SPEC.iterations(), SPEC.tolerance())
                .encode(train);
        float[] c = codes.dup('c').data().asFloat();
        for (int k = 0; k < ATOMS; k++) {
            if (k > 0) assertTrue(usage[k] <= usage[k - 1], "usage not sorted at " + k);
            int active = 0;
            for (int i = 0; i < train.size(0); i++) if (c[i * ATOMS + k] != 0f) active++;
            assertEquals((double) active / train.size(0), usage[k], 0.01, "usage of atom " + k);
        }
        assertTrue(usage[0] > 0.05, "the most used atom is used by " + usage[0]);
    }

    @Test
    void theSameSeedGivesIdenticalDictionariesAndAnotherSeedDoesNot() {
        INDArray small = TestData.digitPatches(1000, 34);
        SparseCodingSpec spec = SPEC.withEpochs(1);
        DictionaryLearner.Result a = learn(small, spec, SEED);
        DictionaryLearner.Result b = learn(small, spec, SEED);
        DictionaryLearner.Result other = learn(small, spec, SEED + 1);
        assertEquals(a.dictionary(), b.dictionary());
        assertEquals(a.usage(), b.usage());
        assertTrue(!a.dictionary().equals(other.dictionary()));
    }

    /**
     * Training vectors whose last coordinate is zero, and an initial dictionary whose atom 3 is the
     * last unit vector: that atom's correlation with every vector is zero, so it is never used.
     */
    private static DictionaryLearner.Result learnWithDeadAtom(int batches, long seed) {
        SparseCodingSpec spec = SPEC.withEpochs(1).withBatchSize(40);
        int samples = batches * spec.batchSize();
        INDArray vectors = TestData.digitPatches(samples, 35);
        int last = (int) vectors.size(1) - 1;
        vectors.putColumn(last, Nd4j.zeros(vectors.dataType(), vectors.size(0), 1));
        INDArray initial = DictionaryLearner.initialDictionary(vectors, ATOMS, new SplittableRandom(seed));
        INDArray dead = Nd4j.zeros(initial.dataType(), 1, vectors.size(1));
        dead.putScalar(0, last, 1f);
        initial.putRow(3, dead);
        return DictionaryLearner.learn(vectors, initial, spec, new SplittableRandom(seed),
                Progress.silent(), "test");
    }

    private static double largestLastCoordinate(INDArray dict) {
        return dict.getColumn(dict.size(1) - 1).amaxNumber().doubleValue();
    }

    @Test
    void aDeadAtomIsReseededFromTheData() {
        DictionaryLearner.Result reseeded = learnWithDeadAtom(DictionaryLearner.RESEED_EVERY + 2, SEED);
        assertTrue(largestLastCoordinate(reseeded.dictionary()) < 1e-6, "the dead atom is still there");
    }

    @Test
    void withoutACheckTheDeadAtomStaysUnused() {
        DictionaryLearner.Result unchecked = learnWithDeadAtom(DictionaryLearner.RESEED_EVERY - 2, SEED);
        assertEquals(1.0, largestLastCoordinate(unchecked.dictionary()), 1e-6);
        assertEquals(0.0, unchecked.usage().getDouble(ATOMS - 1));
    }
}
