package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The COSINE_THRESHOLD encoder: the binary code of the atoms within a cosine of each row, dense and
 * as non-zeros, against a direct float64 evaluation of x d_k &gt;= t ||x||.
 */
class CosineThresholdTest {
    /** More rows than one block of {@link CorrelationEncoders#SPARSE_BLOCK_ROWS}, and not a multiple of a task's rows. */
    private static final int N = 2 * CorrelationEncoders.SPARSE_BLOCK_ROWS + 88;
    private static final int D = 36;
    private static final int ATOMS = 120;
    private static final double T = 0.6;
    /** Rows set to zero: one in the first block, one in the last. */
    private static final int[] ZERO_ROWS = {7, 2 * CorrelationEncoders.SPARSE_BLOCK_ROWS + 3};

    private final INDArray dict = TestData.digitPatches(ATOMS, 32);

    /** Real digit patches at random scales (from 0.05 to 5), with the rows {@link #ZERO_ROWS} zero. */
    private static INDArray rows(int n, long seed) {
        INDArray x = TestData.digitPatches(n, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] scale = new float[n];
        for (int i = 0; i < n; i++) scale[i] = (float) (0.05 + rng.nextDouble() * 4.95);
        for (int z : ZERO_ROWS) if (z < n) scale[z] = 0;
        return x.mulColumnVector(Nd4j.create(scale, new long[] {n, 1}, 'c'));
    }

    /** The codes of {@code x} by the definition, in float64; -1 where x d_k is within 1e-5 ||x|| of the bound. */
    private double[] reference(INDArray x, double t) {
        int n = (int) x.size(0);
        double[] xs = TestData.toDouble(x);
        double[] ds = TestData.toDouble(dict);
        double[] codes = new double[n * ATOMS];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < D; j++) norm += xs[i * D + j] * xs[i * D + j];
            norm = Math.sqrt(norm);
            for (int k = 0; k < ATOMS; k++) {
                double dot = 0;
                for (int j = 0; j < D; j++) dot += xs[i * D + j] * ds[k * D + j];
                boolean near = norm > 0 && Math.abs(dot - t * norm) < 1e-5 * norm;
                codes[i * ATOMS + k] = near ? -1 : norm > 0 && dot >= t * norm ? 1 : 0;
            }
        }
        return codes;
    }

    @Test
    void codesAreOneForExactlyTheAtomsWithinTheCosine() {
        INDArray x = rows(N, 31);
        INDArray before = x.dup();
        INDArray codes = CorrelationEncoders.cosineThreshold(x, dict, T);
        assertEquals(before, x, "the input is not modified");
        assertEquals(List.of((long) N, (long) ATOMS), List.of(codes.size(0), codes.size(1)));
        assertEquals(DataType.FLOAT, codes.dataType());
        double[] expected = reference(x, T);
        double[] actual = TestData.toDouble(codes);
        int ones = 0;
        int skipped = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] < 0) {
                skipped++;
                assertTrue(actual[i] == 0 || actual[i] == 1, "binary at " + i);
                continue;
            }
            assertEquals(expected[i], actual[i], 0.0, "row " + i / ATOMS + ", atom " + i % ATOMS);
            if (actual[i] == 1) ones++;
        }
        assertTrue(skipped < 5, "entries at the bound: " + skipped);
        assertTrue(ones > N && ones < N * ATOMS / 4, "ones: " + ones);
        for (int z : ZERO_ROWS) {
            for (int k = 0; k < ATOMS; k++) assertEquals(0.0, actual[z * ATOMS + k], 0.0, "zero row " + z);
        }
        // the code does not depend on the row's scale
        INDArray scaled = CorrelationEncoders.cosineThreshold(x.mul(3), dict, T);
        double[] s = TestData.toDouble(scaled);
        int differ = 0;
        for (int i = 0; i < s.length; i++) if (expected[i] >= 0 && s[i] != expected[i]) differ++;
        assertEquals(0, differ);
    }

    @Test
    void sparseCodesAreTheNonZerosOfTheDenseCodes() {
        for (int n : new int[] {N, CorrelationEncoders.SPARSE_BLOCK_ROWS, 65, 1}) {
            INDArray x = rows(n, 40 + n);
            INDArray dense = CorrelationEncoders.cosineThreshold(x, dict, T);
            SparseRows sparse = CorrelationEncoders.cosineThresholdSparse(x, dict, T);
            assertEquals(n, sparse.rows());
            assertEquals(ATOMS, sparse.columns());
            assertEquals(dense, sparse.dense(), n + " rows");
            float[] d = dense.dup('c').data().asFloat();
            for (int r = 0; r < n; r++) {
                int count = 0;
                for (int k = 0; k < ATOMS; k++) if (d[r * ATOMS + k] != 0) count++;
                assertEquals(count, sparse.count(r), "row " + r);
                for (int u = sparse.start()[r] + 1; u < sparse.start()[r + 1]; u++) {
                    assertTrue(sparse.index()[u] > sparse.index()[u - 1], "columns ascend in row " + r);
                }
            }
            for (float v : sparse.value()) assertEquals(1f, v, 0f);
        }
    }

    @Test
    void oneSparseCodesSkipZeroRowsAndMatchTheProductAndScanCodes() {
        INDArray x = rows(N, 77);
        // every third row zero as well, so that the rows multiplied are a gathered subset
        for (int r = 0; r < N; r += 3) x.getRow(r).assign(0);
        for (boolean nonNegative : new boolean[] {true, false}) {
            SparseRows sparse = new AtomSearch(dict, nonNegative).encode(x);
            // against the product-and-scan code of the same atoms (top-k with k = 1): the same atom, the
            // same correlation up to float32 rounding
            double[] scanned = TestData.toDouble(CorrelationEncoders.topK(x, dict, 1, nonNegative));
            double[] searched = TestData.toDouble(sparse.dense());
            for (int i = 0; i < scanned.length; i++) assertEquals(scanned[i], searched[i], 1e-5, "nonNegative " + nonNegative + ", entry " + i);
            for (int r = 0; r < N; r++) assertEquals(r % 3 == 0 || r == ZERO_ROWS[0] || r == ZERO_ROWS[1] ? 0 : 1, sparse.count(r), "row " + r);
        }
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 5, D);
        SparseRows none = new AtomSearch(dict, true).encode(zeros);
        assertEquals(5, none.rows());
        assertEquals(0, none.start()[5]);
    }

    @Test
    void theMinimumCosineMustBeInZeroToOne() {
        INDArray x = rows(3, 1);
        for (double t : new double[] {0, -0.5, 1.5, Double.NaN}) {
            String message = "invalid lambda = " + t + ": expected a cosine in (0, 1] for the COSINE_THRESHOLD encoder";
            assertEquals(message, assertThrows(InvalidParameterException.class,
                    () -> CorrelationEncoders.cosineThreshold(x, dict, t)).getMessage());
            assertEquals(message, assertThrows(InvalidParameterException.class,
                    () -> CorrelationEncoders.cosineThresholdSparse(x, dict, t)).getMessage());
        }
        // t = 1 keeps only atoms parallel to the row: a row equal to an atom has that atom (within rounding)
        INDArray atom = dict.getRow(5).reshape(1, D).mul(2);
        double[] code = TestData.toDouble(CorrelationEncoders.cosineThreshold(atom, dict, 0.999));
        assertEquals(1.0, code[5]);
    }

    @Test
    void theLayerEncodesDenselyAndSparselyAlikeWithAtomsSwitchedOff() {
        MapShape shape = new MapShape(4, 5, D);
        SparseCodingSpec spec = SparseCodingSpec.of("L1", ATOMS, T).withEncoder(Encoder.COSINE_THRESHOLD);
        SparseCodingLayer layer = new SparseCodingLayer("L1.code", spec, shape, dict,
                Nd4j.zeros(DataType.FLOAT, ATOMS));
        INDArray maps = rows(30 * 20, 50).reshape('c', 30, 4, 5, D);
        INDArray codes = layer.encode(maps);
        assertEquals(CorrelationEncoders.cosineThreshold(Maps.rows(maps), dict, T), Maps.rows(codes));
        assertEquals(Maps.rows(codes), layer.encodeSparse(maps).dense());

        SparseCodingLayer off = layer.withAtomsOff(List.of("L1/a0", "L1/a3", "L1/a119"));
        INDArray expected = Maps.rows(codes).dup();
        for (int k : new int[] {0, 3, 119}) expected.getColumn(k).assign(0);
        assertEquals(expected, Maps.rows(off.encode(maps)));
        SparseRows sparseOff = off.encodeSparse(maps);
        assertEquals(expected, sparseOff.dense());
        for (int k : sparseOff.index()) assertTrue(k != 0 && k != 3 && k != 119, "switched-off atom " + k);

        INDArray none = Nd4j.create(DataType.FLOAT, 0, 4, 5, D);
        assertEquals(List.of(0L, 4L, 5L, (long) ATOMS), List.of(layer.encode(none).shape()[0], layer.encode(none).shape()[1],
                layer.encode(none).shape()[2], layer.encode(none).shape()[3]));
        SparseRows empty = layer.encodeSparse(none);
        assertEquals(0, empty.rows());
        assertEquals(0, empty.index().length);
    }
}
