package org.glassbox.layers.readout;

import org.glassbox.framework.layer.Readout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fitted kNN probe (the evaluation of Chen, Yun, Ma, Olshausen, LeCun, ICLR 2023, with the
 * weighted votes of Wu, Xiong, Yu, Lin, CVPR 2018). For an input x (flattened) with unit vector
 * u = x / ||x||, the cosine similarities to the N stored unit training vectors are one matrix product
 * s = F u; the k largest s_j (ties: lower j first) vote, and the score of class c is its share of the
 * weighted vote
 *
 * <pre>
 *   score_c = sum over the k neighbours j with y_j = c of w_j / sum over the k neighbours of w_j,
 *   w_j = exp((s_j - s_max) / T)
 * </pre>
 *
 * (subtracting the largest similarity s_max leaves the shares of exp(s_j / T) unchanged and avoids
 * overflow), so the scores of one input sum to 1. A zero input has similarity 0 to everything.
 *
 * <p>With {@code channels > 0} in its spec, x is the input's first {@code channels} channels at
 * every position ({@link KnnSpec#compared}).
 *
 * <p>Learned arrays: {@code features [N, F]} float32, the compared training features flattened
 * (F = gridH * gridW * compared channels, C order) and L2-normalised (zero rows stay zero);
 * {@code labels [N]} int32.
 */
public final class KnnReadout implements Readout {
    /** Inputs scored per similarity product. */
    private static final int QUERY_BATCH = 256;

    private final String id;
    private final KnnSpec spec;
    private final MapShape inputShape;
    private final INDArray features;
    private final INDArray labels;
    private final int[] labelArray;

    /**
     * Wraps fitted arrays, checking their shapes and label range.
     *
     * @param features {@code [N, spec.compared(inputShape).size]} float32, unit rows (or zero)
     * @param labels {@code [N]} int32 in [0, spec.classes)
     */
    public KnnReadout(String id, KnnSpec spec, MapShape inputShape, INDArray features, INDArray labels) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        this.features = Shapes.requireFinite(id + ".features",
                Shapes.require(id + ".features", features, Shapes.ANY, spec.compared(inputShape).size()));
        long n = features.size(0);
        if (labels == null || labels.rank() != 1 || labels.size(0) != n) {
            throw new ShapeMismatchException(id + ".labels", new long[] {n}, labels == null ? new long[0] : labels.shape());
        }
        if (labels.dataType() != DataType.INT) {
            throw new GlassboxException(id + ".labels: expected int32 values but got " + labels.dataType());
        }
        if (n < spec.k()) {
            throw new GlassboxException(id + ": " + n + " stored samples but k = " + spec.k()
                    + " (expected at least k samples)");
        }
        this.labels = labels;
        this.labelArray = labels.toIntVector();
        for (int i = 0; i < labelArray.length; i++) {
            if (labelArray[i] < 0 || labelArray[i] >= spec.classes()) {
                throw new GlassboxException(id + ".labels: label " + labelArray[i] + " of sample " + i
                        + " is outside [0, " + spec.classes() + ")");
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public KnnSpec spec() {
        return spec;
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    @Override
    public MapShape inputShape() {
        return inputShape;
    }

    @Override
    public MapShape outputShape() {
        return new MapShape(1, 1, spec.classes());
    }

    /** The weighted vote shares {@code [n, 1, 1, classes]} of inputs {@code [n, inputShape]}; each row sums to 1. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        INDArray compared = spec.leadingChannels(input);
        INDArray queries = normalizeRows(LabelledFeatures.flatten(compared));
        OffHeap.free(compared, input);
        int n = (int) queries.size(0);
        int classes = spec.classes();
        float[] scores = new float[n * classes];
        for (int start = 0; start < n; start += QUERY_BATCH) {
            int end = Math.min(n, start + QUERY_BATCH);
            // Nd4j.gemm, not INDArray.mmul, which leaves a temporary of the product's size to the garbage collector
            INDArray sims = Nd4j.gemm(queries.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()), features, false, true);
            float[] s = FloatArrays.values(sims);
            OffHeap.free(sims);
            vote(s, end - start, (int) features.size(0), scores, start * classes);
        }
        OffHeap.free(queries, input);
        return Nd4j.create(scores, new long[] {n, 1, 1, classes}, 'c');
    }

    /** For each of {@code rows} rows of similarities {@code [rows, total]}, writes the class shares at {@code out[at + ...]}. */
    private void vote(float[] sims, int rows, int total, float[] out, int at) {
        int k = spec.k();
        int classes = spec.classes();
        int[] heap = new int[k];
        double[] votes = new double[classes];
        for (int r = 0; r < rows; r++) {
            int base = r * total;
            int size = 0;
            for (int j = 0; j < total; j++) {
                if (size < k) {
                    heap[size++] = j;
                    siftUp(heap, size - 1, sims, base);
                } else if (better(sims, base, j, heap[0])) {
                    heap[0] = j;
                    siftDown(heap, k, sims, base);
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) max = Math.max(max, sims[base + heap[i]]);
            Arrays.fill(votes, 0);
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double w = Math.exp((sims[base + heap[i]] - max) / spec.temperature());
                votes[labelArray[heap[i]]] += w;
                sum += w;
            }
            for (int c = 0; c < classes; c++) out[at + r * classes + c] = (float) (votes[c] / sum);
        }
    }

    /** Whether sample a ranks above sample b: higher similarity, then lower index. */
    private static boolean better(float[] s, int base, int a, int b) {
        return s[base + a] > s[base + b] || (s[base + a] == s[base + b] && a < b);
    }

    /** Min-heap on rank: the root is the worst of the kept neighbours. */
    private static void siftUp(int[] heap, int i, float[] s, int base) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(s, base, heap[parent], heap[i])) break;
            int t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] s, int base) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int worst = i;
            if (l < size && better(s, base, heap[worst], heap[l])) worst = l;
            if (r < size && better(s, base, heap[worst], heap[r])) worst = r;
            if (worst == i) return;
            int t = heap[worst];
            heap[worst] = heap[i];
            heap[i] = t;
            i = worst;
        }
    }

    /** Rows of {@code rows} {@code [n, F]} divided by their L2 norms in one pass; zero rows stay zero. */
    static INDArray normalizeRows(INDArray rows) {
        int f = (int) rows.size(1);
        float[] v = FloatArrays.values(rows);
        for (int start = 0; start < v.length; start += f) normalize(v, start, f);
        return FloatArrays.of(v, rows.shape());
    }

    /**
     * Divides each row of {@code rows} {@code [n, F]}, a float32 array that is a whole buffer in C
     * order (as {@link Nd4j#create} makes it), by its L2 norm where it lies, one row at a time: the
     * values of {@link #normalizeRows} without a second copy of the rows.
     */
    static void normalizeRowsInPlace(INDArray rows) {
        if (rows.dataType() != DataType.FLOAT || rows.ordering() != 'c' || rows.isView() || rows.rank() != 2) {
            throw new IllegalArgumentException("rows to normalise in place must be a whole C-ordered float32 matrix");
        }
        int f = (int) rows.size(1);
        float[] row = new float[f];
        FloatPointer values = new FloatPointer(rows.data().addressPointer());
        for (long i = 0; i < rows.size(0); i++) {
            values.position(i * f).get(row, 0, f);
            normalize(row, 0, f);
            values.position(i * f).put(row, 0, f);
        }
    }

    /** Divides {@code v[start, start + f)} by its L2 norm (accumulated in float64) unless it is zero. */
    private static void normalize(float[] v, int start, int f) {
        double norm = 0;
        for (int j = 0; j < f; j++) norm += (double) v[start + j] * v[start + j];
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < f; j++) v[start + j] *= inv;
        }
    }

    /** {@code features [N, F]} (unit rows) and {@code labels [N]} int32. */
    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("features", features);
        p.put("labels", labels);
        return p;
    }

    /** The stored unit training features {@code [N, F]}. */
    public INDArray features() {
        return features;
    }

    /** The stored training labels {@code [N]}, int32. */
    public INDArray labels() {
        return labels;
    }
}
