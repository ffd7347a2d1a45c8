package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The non-zeros of a matrix row by row: built from dense rows or one by one, and back to the dense matrix. */
class SparseRowsTest {
    /** {@code [rows, columns]} row-major, each entry non-zero with probability {@code density}, of either sign. */
    private static float[] randomValues(int rows, int columns, double density, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[rows * columns];
        for (int i = 0; i < v.length; i++) {
            if (rng.nextDouble() < density) v[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return v;
    }

    /** Checks {@code sparse} against the dense row-major {@code v}: starts, ascending columns, values, counts. */
    private static void assertNonZerosOf(float[] v, int rows, int columns, SparseRows sparse) {
        assertEquals(rows, sparse.rows());
        assertEquals(columns, sparse.columns());
        assertEquals(rows + 1, sparse.start().length);
        int u = 0;
        for (int r = 0; r < rows; r++) {
            assertEquals(u, sparse.start()[r], "start of row " + r);
            int count = 0;
            for (int j = 0; j < columns; j++) {
                if (v[r * columns + j] == 0) continue;
                assertEquals(j, sparse.index()[u], "column of non-zero " + u);
                assertEquals(v[r * columns + j], sparse.value()[u], 0f, "value of non-zero " + u);
                u++;
                count++;
            }
            assertEquals(count, sparse.count(r), "count of row " + r);
        }
        assertEquals(u, sparse.start()[rows]);
        assertEquals(u, sparse.index().length);
        assertEquals(u, sparse.value().length);
    }

    @Test
    void ofAndDenseRoundTripARandomMatrixWithZeros() {
        int rows = 37;
        int columns = 23;
        float[] v = randomValues(rows, columns, 0.3, 1);
        for (int j = 0; j < columns; j++) v[5 * columns + j] = 0; // an empty row
        for (int j = 0; j < columns; j++) v[8 * columns + j] = j + 1; // a full row
        INDArray m = Nd4j.create(v, new long[] {rows, columns}, 'c');
        INDArray before = m.dup();
        SparseRows sparse = SparseRows.of(m);
        assertNonZerosOf(v, rows, columns, sparse);
        assertEquals(0, sparse.count(5));
        assertEquals(columns, sparse.count(8));
        assertTrue(sparse.index().length > 150 && sparse.index().length < 400, "non-zeros: " + sparse.index().length);
        INDArray dense = sparse.dense();
        assertEquals(DataType.FLOAT, dense.dataType());
        assertArrayEquals(new long[] {rows, columns}, dense.shape());
        assertArrayEquals(v, dense.dup('c').data().asFloat(), 0f);
        assertEquals(before, m, "of() does not modify its argument");
    }

    @Test
    void ofReadsAnyOrderingAndGrowsBeyondItsFirstCapacity() {
        // 6 rows start with room for 24 non-zeros; a dense matrix of 6 x 50 needs 300
        float[] v = randomValues(6, 50, 0.95, 2);
        INDArray fortran = Nd4j.create(v, new long[] {6, 50}, 'c').dup('f');
        SparseRows sparse = SparseRows.of(fortran);
        assertNonZerosOf(v, 6, 50, sparse);
        assertArrayEquals(v, sparse.dense().dup('c').data().asFloat(), 0f);
        // a transposed view
        INDArray transposed = Nd4j.create(v, new long[] {6, 50}, 'c').transpose();
        float[] t = transposed.dup('c').data().asFloat();
        assertNonZerosOf(t, 50, 6, SparseRows.of(transposed));
    }

    @Test
    void aMatrixOfZerosHasNoNonZeros() {
        SparseRows sparse = SparseRows.of(Nd4j.zeros(DataType.FLOAT, 4, 3));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0}, sparse.start());
        assertEquals(0, sparse.index().length);
        assertEquals(Nd4j.zeros(DataType.FLOAT, 4, 3), sparse.dense());
        SparseRows none = SparseRows.of(Nd4j.zeros(DataType.FLOAT, 0, 3));
        assertEquals(0, none.rows());
        assertArrayEquals(new long[] {0, 3}, none.dense().shape());
    }

    @Test
    void builderCollectsRowsAndSingleNonZeros() {
        SparseRows.Builder builder = new SparseRows.Builder(4, 5);
        builder.addRow(new float[] {9, 9, 0, 1.5f, 0, 0, -2, 9}, 2); // columns 1 and 4 of row 0
        builder.endRow(); // row 1 empty
        builder.add(0, 3f);
        builder.add(2, -1f);
        builder.add(4, 0.25f);
        builder.endRow();
        builder.addRow(new float[] {0, 0, 0, 0, 7}, 0);
        SparseRows rows = builder.build();
        assertArrayEquals(new int[] {0, 2, 2, 5, 6}, rows.start());
        assertArrayEquals(new int[] {1, 4, 0, 2, 4, 4}, rows.index());
        assertArrayEquals(new float[] {1.5f, -2, 3, -1, 0.25f, 7}, rows.value(), 0f);
        assertEquals(2, rows.count(0));
        assertEquals(0, rows.count(1));
        assertEquals(3, rows.count(2));
        assertEquals(1, rows.count(3));
        float[] expected = {
            0, 1.5f, 0, 0, -2,
            0, 0, 0, 0, 0,
            3, 0, -1, 0, 0.25f,
            0, 0, 0, 0, 7};
        assertArrayEquals(expected, rows.dense().dup('c').data().asFloat(), 0f);
        assertNonZerosOf(expected, 4, 5, rows);
    }

    @Test
    void builderGrowsPastItsFirstCapacity() {
        SparseRows.Builder builder = new SparseRows.Builder(1, 1000);
        for (int j = 0; j < 1000; j += 2) builder.add(j, j + 1);
        builder.endRow();
        SparseRows rows = builder.build();
        assertEquals(500, rows.count(0));
        assertEquals(500, rows.index().length);
        for (int u = 0; u < 500; u++) {
            assertEquals(2 * u, rows.index()[u]);
            assertEquals(2 * u + 1, rows.value()[u], 0f);
        }
    }

    @Test
    void buildNamesTheRowsThatWereNotEnded() {
        SparseRows.Builder builder = new SparseRows.Builder(3, 2);
        builder.add(1, 1f);
        builder.endRow();
        var e = assertThrows(GlassboxException.class, builder::build);
        assertEquals("sparse rows: 1 of 3 rows were ended", e.getMessage());
    }

    @Test
    void constructorRejectsInconsistentStartsWithOneMessage() {
        int[] index = {0, 2, 1};
        float[] value = {1, 2, 3};
        var tooFew = assertThrows(GlassboxException.class,
                () -> new SparseRows(3, 4, new int[] {0, 1, 3}, index, value));
        assertEquals("sparse rows: 3 rows need 4 row starts from 0 to the 3 non-zeros (got 3 starts, 3 values)",
                tooFew.getMessage());
        var notFromZero = assertThrows(GlassboxException.class,
                () -> new SparseRows(3, 4, new int[] {1, 1, 2, 3}, index, value));
        assertEquals("sparse rows: 3 rows need 4 row starts from 0 to the 3 non-zeros (got 4 starts, 3 values)",
                notFromZero.getMessage());
        var wrongEnd = assertThrows(GlassboxException.class,
                () -> new SparseRows(3, 4, new int[] {0, 1, 2, 2}, index, value));
        assertEquals("sparse rows: 3 rows need 4 row starts from 0 to the 3 non-zeros (got 4 starts, 3 values)",
                wrongEnd.getMessage());
        var fewerValues = assertThrows(GlassboxException.class,
                () -> new SparseRows(3, 4, new int[] {0, 1, 2, 3}, index, new float[] {1, 2}));
        assertEquals("sparse rows: 3 rows need 4 row starts from 0 to the 3 non-zeros (got 4 starts, 2 values)",
                fewerValues.getMessage());
        SparseRows ok = new SparseRows(3, 4, new int[] {0, 1, 1, 3}, index, value);
        assertEquals(2, ok.count(2));
    }

    @Test
    void constructorRejectsDecreasingStarts() {
        // the end points are right, but row 1 would have -1 non-zeros
        var e = assertThrows(GlassboxException.class,
                () -> new SparseRows(3, 4, new int[] {0, 2, 1, 3}, new int[] {0, 2, 1}, new float[] {1, 2, 3}));
        assertEquals("sparse rows: the row starts must not decrease, but row 1 starts at 2 and ends at 1",
                e.getMessage());
    }

    @Test
    void ofRequiresAMatrix() {
        assertThrows(GlassboxException.class, () -> SparseRows.of(Nd4j.zeros(DataType.FLOAT, 2, 3, 4)));
    }
}
