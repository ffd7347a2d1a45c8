package org.glassbox.framework.array;

import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The non-zeros of a matrix {@code [rows, columns]}, row by row (compressed sparse rows): the
 * non-zeros of row r are {@code index[u]} (column, ascending) and {@code value[u]} for u in
 * {@code [start[r], start[r + 1])}. A sparse-coding stage hands its codes to the next stage in
 * this form ({@link org.glassbox.framework.layer.SparseOutput}): a code with a few non-zeros
 * among thousands of atoms then costs a few numbers instead of a dense row.
 *
 * @param rows the number of rows
 * @param columns the number of columns
 * @param start {@code [rows + 1]}, non-decreasing, from 0 to the number of non-zeros
 * @param index the column of each non-zero
 * @param value the value of each non-zero
 */
public record SparseRows(int rows, int columns, int[] start, int[] index, float[] value) {
    /** Checks the lengths and that the row starts go from 0 to the number of non-zeros without decreasing. */
    public SparseRows {
        if (start.length != rows + 1 || start[0] != 0 || start[rows] != index.length || index.length != value.length) {
            throw new GlassboxException("sparse rows: " + rows + " rows need " + (rows + 1) + " row starts from 0 to the "
                    + index.length + " non-zeros (got " + start.length + " starts, " + value.length + " values)");
        }
        for (int r = 0; r < rows; r++) {
            if (start[r + 1] < start[r]) {
                throw new GlassboxException("sparse rows: the row starts must not decrease, but row " + r + " starts at "
                        + start[r] + " and ends at " + start[r + 1]);
            }
        }
    }

    /** The non-zeros of {@code matrix} {@code [rows, columns]} (any ordering; not modified). */
    public static SparseRows of(INDArray matrix) {
        Shapes.require("sparse rows", matrix, Shapes.ANY, Shapes.ANY);
        int n = (int) matrix.size(0);
        int k = (int) matrix.size(1);
        float[] dense = FloatArrays.values(matrix);
        Builder builder = new Builder(n, k);
        for (int r = 0; r < n; r++) builder.addRow(dense, r * k);
        return builder.build();
    }

    /** How many non-zeros row {@code r} has. */
    public int count(int r) {
        return start[r + 1] - start[r];
    }

    /** Rows {@code [first, first + count)} as a matrix of their own. */
    public SparseRows slice(int first, int count) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new GlassboxException("sparse rows: rows [" + first + ", " + (first + count) + ") are outside [0, " + rows + ")");
        }
        int from = start[first];
        int[] s = new int[count + 1];
        for (int r = 0; r <= count; r++) s[r] = start[first + r] - from;
        return new SparseRows(count, columns, s, Arrays.copyOfRange(index, from, start[first + count]),
                Arrays.copyOfRange(value, from, start[first + count]));
    }

    /** The same matrix without the non-zeros of the columns {@code dropped}. */
    public SparseRows withoutColumns(int[] dropped) {
        boolean[] drop = new boolean[columns];
        for (int c : dropped) drop[c] = true;
        Builder kept = new Builder(rows, columns);
        for (int r = 0; r < rows; r++) {
            for (int u = start[r]; u < start[r + 1]; u++) {
                if (!drop[index[u]]) kept.add(index[u], value[u]);
            }
            kept.endRow();
        }
        return kept.build();
    }

    /** The dense matrix {@code [rows, columns]} float32. */
    public INDArray dense() {
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int u = start[r]; u < start[r + 1]; u++) out[r * columns + index[u]] = value[u];
        }
        return Nd4j.create(out, new long[] {rows, columns}, 'c');
    }

    /** Collects non-zeros row after row. */
    public static final class Builder {
        private final int rows;
        private final int columns;
        private final int[] start;
        private int[] index;
        private float[] value;
        private int row;
        private int size;

        /** An empty builder of a {@code [rows, columns]} matrix. */
        public Builder(int rows, int columns) {
            this.rows = rows;
            this.columns = columns;
            this.start = new int[rows + 1];
            this.index = new int[Math.max(16, rows * 4)];
            this.value = new float[index.length];
        }

        /** Appends the non-zeros of the next row, the {@code columns} values of {@code dense} from {@code offset}. */
        public void addRow(float[] dense, int offset) {
            for (int j = 0; j < columns; j++) {
                float x = dense[offset + j];
                if (x != 0) add(j, x);
            }
            endRow();
        }

        /** Appends one non-zero of the current row; columns must ascend within a row. */
        public void add(int column, float x) {
            if (size == index.length) {
                index = Arrays.copyOf(index, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            index[size] = column;
            value[size++] = x;
        }

        /** Ends the current row. */
        public void endRow() {
            start[++row] = size;
        }

        /** The matrix; every row must have been ended. */
        public SparseRows build() {
            if (row != rows) {
                throw new GlassboxException("sparse rows: " + row + " of " + rows + " rows were ended");
            }
            return new SparseRows(rows, columns, start, Arrays.copyOf(index, size), Arrays.copyOf(value, size));
        }
    }
}
