package org.glassbox.layers.manifold;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The second-moment statistics of the sparse manifold transform (Chen, Paiton, Olshausen, NeurIPS
 * 2018), accumulated in float64 over code maps {@code [samples, gridH, gridW, K]}:
 *
 * <pre>
 *   V = (1 / #positions)   sum over positions i        a_i a_i^T
 *   S = (1 / #differences) sum over differences c      c c^T
 *       FIRST:  c = a_{i+d} - a_i            for each unordered neighbour pair (i, i + d)
 *       SECOND: c = a_{i+d} - 2 a_i + a_{i-d} for each position i and offset d with both ends on the grid
 * </pre>
 *
 * where the offsets d = (dy, dx) range over half of the {@code window x window} neighbourhood
 * (dy > 0, or dy = 0 and dx > 0), so that each pair or line of three is counted once. For
 * NEIGHBOUR_MEAN, V is the mean over the positions with a non-zero code, and S the mean of c c^T
 * with c = a_i - (1 / m_i) sum of a_j over the m_i &gt; 0 positions j != i of i's full window whose
 * code is non-zero, over the non-zero codes a_i with m_i &gt; 0; it is accumulated through the
 * non-zeros only.
 *
 * <p>Two exact ways to add a map, chosen per map by their estimated cost. Sparse codes (1-sparse,
 * top-k) go through their non-zeros: each difference c adds nnz(c)^2 products, so a 1-sparse code
 * map costs a few updates per pair whatever K is. Denser codes go through ND4J float32 matrix
 * products: V += A^T A, and S through the graph Laplacian of the neighbourhood (first differences)
 * or per offset as D^T D with D the stacked differences (second differences); each product's
 * result is added to the float64 sums. The dense path costs about {@code 2 rows K^2} per product but
 * runs at the machine's matrix-product rate, which {@link #GEMM_ADVANTAGE} relates to the rate of
 * the sparse path's scattered float64 updates.
 *
 * <p>The sums over disjoint sets of maps add up ({@link #plus}): a distributed fit accumulates one
 * instance per partition and sums them, and the single-machine fit is the case of one part.
 * Serializable only to travel between the tasks of such a fit; nothing is stored that way.
 */
public final class CoOccurrence implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How many scattered float64 multiply-adds cost as much time as one float32 multiply-add inside
     * an ND4J matrix product: about 150-230 GFLOP/s for the product against 2-4 G scattered updates
     * per second on 2 cores.
     */
    static final double GEMM_ADVANTAGE = 64;

    private final MapShape shape;
    private final int window;
    private final int k;
    private final ManifoldSpec.Difference difference;
    private final int[][] offsets;
    private final double[] v;
    private final double[] s;
    private long positions;
    private long differences;
    private boolean spent;
    private final double[] scratch;
    private final int[] stamp;
    private int stampValue;
    private final int[] touched;
    private int touchedCount;

    /** Empty sums for maps of {@code shape} with neighbourhoods of side {@code window}. */
    CoOccurrence(MapShape shape, int window, ManifoldSpec.Difference difference) {
        this.shape = shape;
        this.window = window;
        this.k = shape.channels();
        this.difference = difference;
        this.offsets = offsets(shape, window, difference);
        this.v = new double[k * k];
        this.s = new double[k * k];
        this.scratch = new double[k];
        this.stamp = new int[k];
        this.touched = new int[k];
    }

    /**
     * The offsets (dy, dx) of half the window that leave at least one pair (or line of three) on
     * maps of {@code shape}; throws a {@link GlassboxException} when there are none.
     */
    static int[][] offsets(MapShape shape, int window, ManifoldSpec.Difference difference) {
        int[][] offsets = halfWindow(window / 2, difference, shape);
        if (offsets.length == 0) {
            throw new GlassboxException("maps of shape " + shape + " have no "
                        + (difference == ManifoldSpec.Difference.SECOND ? "lines of three positions" : "neighbour pairs")
                    + " within a " + window + " x " + window + " window (expected a grid of at least "
                    + (difference == ManifoldSpec.Difference.SECOND ? "3" : "2") + " positions in a row or column)");
        }
        return offsets;
    }

    /** The offsets (dy, dx) of half the window that leave at least one pair (or line of three) on the grid. */
    private static int[][] halfWindow(int radius, ManifoldSpec.Difference difference, MapShape shape) {
        int reach = difference == ManifoldSpec.Difference.SECOND ? 2 : 1;
        List<int[]> list = new ArrayList<>();
        for (int dy = 0; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                if (dy == 0 && dx <= 0) continue;
                if (reach * dy < shape.gridH() && reach * Math.abs(dx) < shape.gridW()) {
                    list.add(new int[] {dy, dx});
                }
            }
        }
        return list.toArray(new int[0][]);
    }

    /** The two exact ways to add a map. */
    enum Method {
        /** Through the non-zeros of each code. */
        SPARSE,
        /** Through ND4J float32 matrix products. */
        DENSE
    }

    /**
     * Adds the maps {@code selected} (indices into the first dimension) of {@code maps}
     * {@code [b, gridH, gridW, K]} to the sums, by {@code method}, or per map by the cheaper one when
     * it is null ({@link ManifoldSpec.Difference#NEIGHBOUR_MEAN} always goes through the non-zeros).
     */
    void add(INDArray maps, int[] selected, Method method) {
        INDArray flat = maps.dup('c').reshape('c', maps.size(0), (long) shape.positions() * k);
        add(SparseRows.of(flat.getRows(selected).reshape('c', (long) selected.length * shape.positions(), k)), method);
    }

    /** Adds the maps {@code selected} of {@code maps} {@code [b, gridH, gridW, K]}, each by the cheaper method. */
    public void add(INDArray maps, int[] selected) {
        add(maps, selected, null);
    }

    /**
     * Adds the maps whose non-zeros are {@code rows} ({@code [maps * gridH * gridW, K]}, one row per
     * position as {@link org.glassbox.framework.array.Maps#rows} orders them), each by the cheaper method.
     */
    public void add(SparseRows rows) {
        add(rows, null);
    }

    /** Adds the maps of {@code rows} by {@code method}, or each by the cheaper one when it is null. */
    void add(SparseRows rows, Method method) {
        requireUnspent();
        int perMap = shape.positions();
        if (rows.columns() != k || rows.rows() % perMap != 0) {
            throw new GlassboxException("manifold: expected code rows [maps x " + perMap + ", " + k + "] for maps " + shape
                    + " but got [" + rows.rows() + ", " + rows.columns() + "]");
        }
        for (int m = 0; m < rows.rows() / perMap; m++) {
            NonZeros z = NonZeros.of(rows, m * perMap, perMap);
            if (difference == ManifoldSpec.Difference.NEIGHBOUR_MEAN) {
                addCentred(z);
                continue;
            }
            Method chosen = method != null ? method : cheaper(z.index.length);
            if (chosen == Method.SPARSE) {
                addSparse(z);
            } else {
                addDense(z.denseMap(shape));
            }
            positions += perMap;
            differences += differencesPerMap();
        }
    }

    /**
     * The sums over the maps of both (neither is changed): V_sum, S_sum and the counts of positions
     * and differences add. Both must be for the same map shape, window and difference.
     */
    public CoOccurrence plus(CoOccurrence other) {
        requireUnspent();
        other.requireUnspent();
        if (!other.shape.equals(shape) || other.window != window || other.difference != difference) {
            throw new GlassboxException("manifold: cannot add statistics of maps " + other.shape + " (window "
                    + other.window + ", " + other.difference + ") to statistics of maps " + shape + " (window " + window
                    + ", " + difference + ")");
        }
        CoOccurrence out = new CoOccurrence(shape, window, difference);
        for (int i = 0; i < v.length; i++) {
            out.v[i] = v[i] + other.v[i];
            out.s[i] = s[i] + other.s[i];
        }
        out.positions = positions + other.positions;
        out.differences = differences + other.differences;
        return out;
    }

    /**
     * The method with the smaller estimated cost for a map with {@code nonZeros} non-zero codes: the
     * sparse path costs about positions z^2 + differences (w z)^2 scattered updates (z the mean
     * non-zeros per position, w = 2 or 3 codes per difference); the dense path {@code products * 2
     * positions K^2} multiply-adds at {@link #GEMM_ADVANTAGE} times the rate (2 products for first
     * differences, 1 + offsets for second ones).
     */
    Method cheaper(long nonZeros) {
        long rows = shape.positions();
        double perRow = (double) nonZeros / rows;
        double width = difference == ManifoldSpec.Difference.FIRST ? 2 : 3;
        double sparseCost = rows * perRow * perRow + differencesPerMap() * (width * perRow) * (width * perRow);
        int products = difference == ManifoldSpec.Difference.FIRST ? 2 : 1 + offsets.length;
        double denseCost = products * 2.0 * rows * k * (double) k / GEMM_ADVANTAGE;
        return sparseCost <= denseCost ? Method.SPARSE : Method.DENSE;
    }

    /** The number of differences one map contributes. */
    long differencesPerMap() {
        int reach = difference == ManifoldSpec.Difference.FIRST ? 1 : 2;
        long count = 0;
        for (int[] d : offsets) {
            count += (long) (shape.gridH() - reach * d[0]) * (shape.gridW() - reach * Math.abs(d[1]));
        }
        return count;
    }

    /** V, the mean of a a^T over every position added, {@code [K * K]} row-major. */
    double[] v() {
        return scaled(v, positions);
    }

    /** S, the mean of c c^T over every difference added, {@code [K * K]} row-major. */
    double[] s() {
        return scaled(s, differences);
    }

    /**
     * The eigenproblem of these statistics, {@link ActiveAtoms#of} of V and S with {@code ridge},
     * made from the sums in place (they become the means, then the active atoms' block), so that a
     * fit of K atoms holds two K x K matrices, not four. The statistics are spent: adding to them,
     * summing them or asking again throws.
     */
    ActiveAtoms problem(double ridge) {
        requireUnspent();
        spent = true;
        scaleInPlace(v, positions);
        scaleInPlace(s, differences);
        return ActiveAtoms.of(s, v, k, ridge);
    }

    private void requireUnspent() {
        if (spent) throw new IllegalStateException("these statistics were already turned into their eigenproblem");
    }

    private static void scaleInPlace(double[] sum, long count) {
        double inv = count == 0 ? 0 : 1.0 / count;
        for (int i = 0; i < sum.length; i++) sum[i] *= inv;
    }

    /** How many positions were added. */
    long positions() {
        return positions;
    }

    private static double[] scaled(double[] sum, long count) {
        double[] out = new double[sum.length];
        if (count == 0) return out;
        double inv = 1.0 / count;
        for (int i = 0; i < sum.length; i++) out[i] = sum[i] * inv;
        return out;
    }

    // ---- sparse path ------------------------------------------------------------------------

    /**
     * The non-zeros of one map, position by position: those of position p are
     * {@code [start[p], start[p + 1])}, in float64.
     */
    private record NonZeros(int[] start, int[] index, double[] value) {
        /** Rows {@code [first, first + count)} of {@code rows}, one per position. */
        static NonZeros of(SparseRows rows, int first, int count) {
            int from = rows.start()[first];
            int to = rows.start()[first + count];
            int[] start = new int[count + 1];
            for (int p = 0; p <= count; p++) start[p] = rows.start()[first + p] - from;
            int[] index = Arrays.copyOfRange(rows.index(), from, to);
            double[] value = new double[to - from];
            for (int u = from; u < to; u++) value[u - from] = rows.value()[u];
            return new NonZeros(start, index, value);
        }

        int count(int p) {
            return start[p + 1] - start[p];
        }

        /** The map {@code [1, gridH, gridW, K]} float32. */
        INDArray denseMap(MapShape shape) {
            int k = shape.channels();
            float[] out = new float[shape.positions() * k];
            for (int p = 0; p < shape.positions(); p++) {
                for (int u = start[p]; u < start[p + 1]; u++) out[p * k + index[u]] = (float) value[u];
            }
            return Nd4j.create(out, new long[] {1, shape.gridH(), shape.gridW(), k}, 'c');
        }
    }

    /** Adds a a^T of position {@code p} to V. */
    private void addToV(NonZeros z, int p) {
        for (int u = z.start[p]; u < z.start[p + 1]; u++) {
            int row = z.index[u] * k;
            for (int w = z.start[p]; w < z.start[p + 1]; w++) {
                v[row + z.index[w]] += z.value[u] * z.value[w];
            }
        }
    }

    /**
     * Adds the map of non-zeros {@code z} for {@link ManifoldSpec.Difference#NEIGHBOUR_MEAN}:
     * each non-zero code to V, and its difference from the mean of the non-zero codes of its
     * window (when there is one) to S.
     */
    private void addCentred(NonZeros z) {
        int gh = shape.gridH();
        int gw = shape.gridW();
        int r = window / 2;
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                int p = y * gw + x;
                if (z.count(p) == 0) continue;
                addToV(z, p);
                positions++;
                int valid = 0;
                for (int yy = Math.max(0, y - r); yy <= Math.min(gh - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(gw - 1, x + r); xx++) {
                        if ((yy != y || xx != x) && z.count(yy * gw + xx) > 0) valid++;
                    }
                }
                if (valid == 0) continue;
                beginDifference();
                gather(z.index, z.value, z.start[p], z.start[p + 1], 1);
                double weight = -1.0 / valid;
                for (int yy = Math.max(0, y - r); yy <= Math.min(gh - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(gw - 1, x + r); xx++) {
                        int j = yy * gw + xx;
                        if (j != p) gather(z.index, z.value, z.start[j], z.start[j + 1], weight);
                    }
                }
                addOuter();
                differences++;
            }
        }
    }

    /** Adds the map of non-zeros {@code z} through its non-zeros. */
    private void addSparse(NonZeros z) {
        int perMap = shape.positions();
        int[] start = z.start;
        int[] index = z.index;
        double[] value = z.value;
        for (int p = 0; p < perMap; p++) addToV(z, p);
        int gh = shape.gridH();
        int gw = shape.gridW();
        for (int[] d : offsets) {
            int dy = d[0];
            int dx = d[1];
            if (difference == ManifoldSpec.Difference.FIRST) {
                for (int y = 0; y + dy < gh; y++) {
                    for (int x = Math.max(0, -dx); x < gw - Math.max(0, dx); x++) {
                        int i = y * gw + x;
                        int j = (y + dy) * gw + x + dx;
                        beginDifference();
                        gather(index, value, start[j], start[j + 1], 1);
                        gather(index, value, start[i], start[i + 1], -1);
                        addOuter();
                    }
                }
            } else {
                int ax = Math.abs(dx);
                for (int y = dy; y + dy < gh; y++) {
                    for (int x = ax; x + ax < gw; x++) {
                        int i = y * gw + x;
                        int plus = (y + dy) * gw + x + dx;
                        int minus = (y - dy) * gw + x - dx;
                        beginDifference();
                        gather(index, value, start[plus], start[plus + 1], 1);
                        gather(index, value, start[i], start[i + 1], -2);
                        gather(index, value, start[minus], start[minus + 1], 1);
                        addOuter();
                    }
                }
            }
        }
    }

    private void beginDifference() {
        stampValue++;
        touchedCount = 0;
    }

    private void gather(int[] index, double[] value, int from, int to, double weight) {
        for (int u = from; u < to; u++) {
            int j = index[u];
            if (stamp[j] != stampValue) {
                stamp[j] = stampValue;
                scratch[j] = 0;
                touched[touchedCount++] = j;
            }
            scratch[j] += weight * value[u];
        }
    }

    private void addOuter() {
        for (int p = 0; p < touchedCount; p++) {
            int row = touched[p] * k;
            double cp = scratch[touched[p]];
            if (cp == 0) continue;
            for (int q = 0; q < touchedCount; q++) {
                s[row + touched[q]] += cp * scratch[touched[q]];
            }
        }
    }

    // ---- dense path -------------------------------------------------------------------------

    /**
     * Adds one map {@code [1, gridH, gridW, K]} through float32 matrix products: V += A^T A with A
     * its positions {@code [gridH * gridW, K]}. For first differences, the sum over neighbour pairs
     * of (a_j - a_i)(a_j - a_i)^T equals the graph-Laplacian form A^T (deg A - N A), where (N A)_i
     * sums the codes of the neighbours of i and deg_i counts them, so S needs one more product
     * (symmetrised against rounding). Second differences stack the differences D of each offset
     * and add D^T D.
     */
    private void addDense(INDArray map) {
        INDArray a = Maps.rows(map);
        accumulate(v, a.transpose().mmul(a));
        if (difference == ManifoldSpec.Difference.FIRST) {
            INDArray product = a.transpose().mmul(laplacian(a.dup('c').data().asFloat()));
            accumulate(s, product.add(product.transpose()).muli(0.5));
            return;
        }
        int gh = shape.gridH();
        int gw = shape.gridW();
        for (int[] d : offsets) {
            int dy = d[0];
            int ax = Math.abs(d[1]);
            int dx = d[1];
            INDArray plus = region(map, 2 * dy, gh, ax + dx, gw - ax + dx);
            INDArray mid = region(map, dy, gh - dy, ax, gw - ax);
            INDArray minus = region(map, 0, gh - 2 * dy, ax - dx, gw - ax - dx);
            INDArray rows = Maps.rows(plus.add(minus).subi(mid.mul(2)));
            accumulate(s, rows.transpose().mmul(rows));
        }
    }

    /** deg_i a_i - sum of a_j over the neighbours j of i, for the positions {@code a} {@code [gridH * gridW * K]}. */
    private INDArray laplacian(float[] a) {
        int gh = shape.gridH();
        int gw = shape.gridW();
        float[] out = new float[a.length];
        for (int[] d : offsets) {
            int dy = d[0];
            int dx = d[1];
            for (int y = 0; y + dy < gh; y++) {
                for (int x = Math.max(0, -dx); x < gw - Math.max(0, dx); x++) {
                    int i = (y * gw + x) * k;
                    int j = ((y + dy) * gw + x + dx) * k;
                    for (int c = 0; c < k; c++) {
                        float diff = a[i + c] - a[j + c];
                        out[i + c] += diff;
                        out[j + c] -= diff;
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {shape.positions(), k}, 'c');
    }

    private static INDArray region(INDArray maps, int y0, int y1, int x0, int x1) {
        return maps.get(NDArrayIndex.all(), NDArrayIndex.interval(y0, y1), NDArrayIndex.interval(x0, x1),
                NDArrayIndex.all());
    }

    private static void accumulate(double[] sum, INDArray product) {
        double[] p = product.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < sum.length; i++) sum[i] += p[i];
    }
}
