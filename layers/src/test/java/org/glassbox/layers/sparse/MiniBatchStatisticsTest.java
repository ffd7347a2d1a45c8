package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The statistics of a mini-batch split into parts sum to those of the whole batch, and a fit whose
 * vectors are held in parts (as on a cluster) learns the same dictionary as a fit from one array.
 */
class MiniBatchStatisticsTest {
    private static final int ATOMS = 24;
    private static final SparseCodingSpec SPEC = SparseCodingSpec.of("L1", ATOMS, 0.1).withBatchSize(150);

    /** Vectors held in {@code parts} contiguous index ranges, each computing the statistics of its share alone. */
    private record PartedRows(INDArray samples, int parts) implements SampleRows {
        @Override
        public int count() {
            return (int) samples.size(0);
        }

        @Override
        public int dimension() {
            return (int) samples.size(1);
        }

        @Override
        public float[][] rows(int[] indices) {
            return SampleRows.of(samples).rows(indices);
        }

        private int start(int p) {
            return p * count() / parts;
        }

        @Override
        public MiniBatchStatistics statistics(int[] batch, CodingRound round) {
            MiniBatchStatistics sum = null;
            for (int p = parts - 1; p >= 0; p--) {
                int from = start(p);
                int to = start(p + 1);
                int[] positions = java.util.stream.IntStream.range(0, batch.length)
                        .filter(i -> batch[i] >= from && batch[i] < to).toArray();
                int[] rows = Arrays.stream(positions).map(i -> batch[i]).toArray();
                INDArray x = Nd4j.pullRows(samples, 1, rows.length == 0 ? new int[] {0} : rows);
                MiniBatchStatistics part = round.statistics(rows.length == 0 ? x.get(org.nd4j.linalg.indexing.NDArrayIndex
                        .interval(0, 0), org.nd4j.linalg.indexing.NDArrayIndex.all()) : x, positions);
                sum = sum == null ? part : sum.plus(part);
            }
            return sum;
        }

        @Override
        public long[] activeCounts(CodingRound round) {
            long[] counts = new long[round.atoms()];
            for (int p = 0; p < parts; p++) {
                long[] c = round.activeCounts(samples.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start(p),
                        start(p + 1)), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c'));
                for (int k = 0; k < counts.length; k++) counts[k] += c[k];
            }
            return counts;
        }
    }

    private static double maxAbs(double[] a) {
        return Arrays.stream(a).map(Math::abs).max().orElse(0);
    }

    /**
     * Checks that the statistics of a batch of 200 digit patches computed in 3 parts sum to those of
     * the whole batch: A and B to {@code tolerance} of their largest entry, the counts and the
     * re-seeding candidates exactly.
     */
    private static void assertPartsSumToWhole(SparseCodingSpec spec, double tolerance) {
        INDArray x = TestData.digitPatches(400, 41);
        INDArray dictionary = DictionaryLearner.initialDictionary(x, ATOMS, new SplittableRandom(2));
        CodingRound round = new CodingRound(spec, dictionary.data().asFloat(), ATOMS, 36, null, ATOMS);
        int[] batch = new int[200];
        for (int i = 0; i < batch.length; i++) batch[i] = 2 * i;
        MiniBatchStatistics whole = SampleRows.of(x).statistics(batch, round);
        MiniBatchStatistics parts = new PartedRows(x, 3).statistics(batch, round);

        assertEquals(200, parts.rows());
        double scaleA = maxAbs(whole.a());
        double scaleB = maxAbs(whole.b());
        for (int i = 0; i < whole.a().length; i++) assertEquals(whole.a()[i], parts.a()[i], tolerance * scaleA, "A " + i);
        for (int i = 0; i < whole.b().length; i++) assertEquals(whole.b()[i], parts.b()[i], tolerance * scaleB, "B " + i);
        assertArrayEquals(whole.active, parts.active);
        assertArrayEquals(whole.worstPosition, parts.worstPosition);
        assertArrayEquals(whole.worstNorm, parts.worstNorm, 1e-6 * whole.worstNorm[0]);
        for (int i = 1; i < ATOMS; i++) assertEquals(true, whole.worstNorm[i] <= whole.worstNorm[i - 1], "worst order " + i);
    }

    /**
     * ND4J's float32 products give a row's correlations last-bit differences depending on the rows
     * they are computed with. Top-k codes follow them continuously; the LASSO solver may stop at a
     * different point inside its duality-gap tolerance, so it is run here to a gap of 1e-9, where
     * both codes are the optimum to float32 rounding: then the float64 sums agree to float32
     * rounding of the codes, whatever the encoder.
     */
    @Test
    void statisticsOfPartsOfABatchSumToTheStatisticsOfTheWhole() {
        assertPartsSumToWhole(SPEC.withTolerance(1e-9), 1e-6);
        assertPartsSumToWhole(SPEC.withEncoder(Encoder.TOP_K).withK(3), 1e-6);
    }

    @Test
    void aFitFromPartsLearnsTheDictionaryOfAFitFromOneArray() {
        INDArray x = TestData.digitPatches(1500, 43);
        DictionaryLearner.Result one = DictionaryLearner.learn(x, SPEC, new SplittableRandom(5), Progress.silent(), "one");
        DictionaryLearner.Result parted = DictionaryLearner.learn(new PartedRows(x, 4), SPEC, new SplittableRandom(5),
                Progress.silent(), "parted");
        float[] a = one.dictionary().data().asFloat();
        float[] b = parted.dictionary().data().asFloat();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4, "dictionary " + i);
        assertEquals(one.usage(), parted.usage());
    }
}
