package org.glassbox.layers.manifold;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.RowChunks;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.ChannelMap;
import org.glassbox.framework.layer.LocallyLinear;
import org.glassbox.framework.layer.SparseInput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fitted sparse manifold transform (Chen, Paiton, Olshausen, NeurIPS 2018; Chen, Yun, Ma,
 * Olshausen, LeCun, ICLR 2023): each position's sparse code a {@code [K]} is embedded as
 *
 * <pre>
 *   beta = P a,   then beta / ||beta||_2 when {@link ManifoldSpec#normalize()} (a zero beta stays zero)
 * </pre>
 *
 * mapping {@code [n, gridH, gridW, K]} to {@code [n, gridH, gridW, dims]} with one matrix product.
 * Row j of P is the j-th slowest direction over the atoms (smallest mu in S p = mu V p after the
 * skipped trivial ones): atoms that appear at neighbouring positions get similar values in it, so
 * each embedding dimension can be read as a smooth ordering of the atoms ({@link #topAtoms}).
 *
 * <p>Learned arrays: {@code projection} P {@code [dims, K]}, with P (V + r I) P^T = I over the
 * fitted sample; {@code mu} {@code [dims]}, the generalised eigenvalue of each row, ascending.
 */
public final class ManifoldLayer implements SparseInput, LocallyLinear, ChannelMap {
    /** Code rows (positions) per chunk of the sparse embedding, on the common fork-join pool. */
    private static final int CHUNK_ROWS = 4096;

    private final String id;
    private final ManifoldSpec spec;
    private final MapShape inputShape;
    private final INDArray projection;
    private final INDArray mu;
    /** P^T {@code [K * dims]} row-major: row k is atom k's direction in the embedding. */
    private final float[] atomDirections;

    /** An atom's weight in one embedding dimension. */
    public record AtomWeight(int atom, float weight) {
    }

    /**
     * Wraps fitted arrays; checks their shapes against the spec and input shape.
     *
     * @param projection P {@code [spec.dims, inputShape.channels]}
     * @param mu {@code [spec.dims]}
     */
    public ManifoldLayer(String id, ManifoldSpec spec, MapShape inputShape, INDArray projection, INDArray mu) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        this.projection = Shapes.requireFinite(id + ".projection",
                Shapes.require(id + ".projection", projection, spec.dims(), inputShape.channels()));
        this.mu = Shapes.requireFinite(id + ".mu", Shapes.require(id + ".mu", mu, spec.dims()));
        this.atomDirections = projection.transpose().dup('c').data().asFloat();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ManifoldSpec spec() {
        return spec;
    }

    @Override
    public MapShape inputShape() {
        return inputShape;
    }

    @Override
    public MapShape outputShape() {
        return inputShape.withChannels(spec.dims());
    }

    /** True: every position is embedded on its own with the same projection (the neighbourhoods matter only to the fit). */
    @Override
    public boolean translationEquivariant() {
        return true;
    }

    /** Embeds every position: {@code [n, gridH, gridW, K]} to {@code [n, gridH, gridW, dims]}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        INDArray rows = Maps.rows(input);
        INDArray beta = rows.mmul(projection.transpose());
        OffHeap.free(rows, input, beta);
        if (!spec.normalize()) return Maps.map(beta, outputShape());
        float[] b = FloatArrays.values(beta);
        normalizeRows(b);
        INDArray normalized = FloatArrays.of(b, beta.shape());
        OffHeap.free(beta, input);
        return Maps.map(normalized, outputShape());
    }

    /**
     * Embeds codes given as their non-zeros, {@code [n * gridH * gridW, K]}: beta = sum over the
     * non-zeros a_k of a_k P[:, k], then normalised as {@link #encode(INDArray)} does; the same
     * result at the cost of the non-zeros.
     */
    @Override
    public INDArray encodeSparse(SparseRows codes) {
        int k = inputShape.channels();
        int f = spec.dims();
        if (codes.columns() != k || codes.rows() % inputShape.positions() != 0) {
            throw new GlassboxException(id + " input: expected code rows [n x " + inputShape.positions() + ", " + k
                    + "] but got [" + codes.rows() + ", " + codes.columns() + "]");
        }
        int[] start = codes.start();
        int[] index = codes.index();
        float[] value = codes.value();
        if (codes.rows() == 0) return Maps.map(Nd4j.create(DataType.FLOAT, 0, f), outputShape());
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {codes.rows(), f}, 'c');
        RowChunks.forEach(codes.rows(), CHUNK_ROWS, (first, last) -> {
            float[] beta = new float[(last - first) * f];
            for (int r = first; r < last; r++) {
                int at = (r - first) * f;
                for (int u = start[r]; u < start[r + 1]; u++) {
                    float a = value[u];
                    int from = index[u] * f;
                    for (int j = 0; j < f; j++) beta[at + j] += a * atomDirections[from + j];
                }
            }
            if (spec.normalize()) normalizeRows(beta, 0, last - first);
            new FloatPointer(out.data().addressPointer()).position((long) first * f).put(beta, 0, beta.length);
        });
        return Maps.map(out, outputShape());
    }

    /**
     * A_x^T w of the embedding of the one code map {@code input} {@code [1, gh, gw, K]}: position q's
     * output is t_q P a_q with t_q = 1 / ||P a_q|| (1 without normalisation), so the weight on atom k
     * at q is t_q sum over j of P[j, k] w[q, j]. Returns {@code [m, gh, gw, K]}.
     */
    @Override
    public INDArray inputWeights(INDArray input, INDArray outputWeights) {
        Shapes.requireMap(id + " input", input, inputShape);
        if (input.size(0) != 1) {
            throw new GlassboxException(id + ": input weights are for one map at a time (got " + input.size(0) + ")");
        }
        double[] scale = scales(SparseRows.of(Maps.rows(input)));
        int m = (int) outputWeights.size(0);
        int q = inputShape.positions();
        Shapes.requireMap(id + " output weights", outputWeights, outputShape());
        INDArray weights = outputWeights.dup('c').reshape('c', (long) m * q, spec.dims()).mmul(projection);
        float[] tiled = new float[m * q];
        for (int r = 0; r < m; r++) {
            for (int p = 0; p < q; p++) tiled[r * q + p] = (float) scale[p];
        }
        weights.muliColumnVector(Nd4j.create(tiled, new long[] {(long) m * q, 1}, 'c'));
        return weights.reshape('c', m, inputShape.gridH(), inputShape.gridW(), inputShape.channels());
    }

    /** {@link #channelContributions(SparseRows, INDArray)} of the non-zeros of {@code input} {@code [1, gh, gw, K]}. */
    @Override
    public INDArray channelContributions(INDArray input, INDArray outputWeights) {
        Shapes.requireMap(id + " input", input, inputShape);
        if (input.size(0) != 1) {
            throw new GlassboxException(id + ": contributions are for one map at a time (got " + input.size(0) + ")");
        }
        return channelContributions(SparseRows.of(Maps.rows(input)), outputWeights);
    }

    /**
     * {@link LocallyLinear#channelContributions} from the non-zero codes of one map only: atom k's
     * share of sum w_i beta is the sum over the positions q where a_q[k] is not zero of
     * a_q[k] t_q sum over j of P[j, k] w_i[q, j], with t_q = 1 / ||P a_q|| (1 without normalisation).
     */
    @Override
    public INDArray channelContributions(SparseRows codes, INDArray outputWeights) {
        int f = spec.dims();
        int k = inputShape.channels();
        int q = inputShape.positions();
        if (codes.rows() != q || codes.columns() != k) {
            throw new GlassboxException(id + ": expected the codes of one map [" + q + ", " + k + "] but got ["
                    + codes.rows() + ", " + codes.columns() + "]");
        }
        Shapes.requireMap(id + " output weights", outputWeights, outputShape());
        int m = (int) outputWeights.size(0);
        float[] w = FloatArrays.values(outputWeights);
        double[] scale = scales(codes);
        double[] out = new double[k * m];
        for (int p = 0; p < q; p++) {
            for (int u = codes.start()[p]; u < codes.start()[p + 1]; u++) {
                int atom = codes.index()[u];
                double share = codes.value()[u] * scale[p];
                for (int r = 0; r < m; r++) {
                    double dot = 0;
                    int at = (r * q + p) * f;
                    for (int j = 0; j < f; j++) dot += (double) atomDirections[atom * f + j] * w[at + j];
                    out[atom * m + r] += share * dot;
                }
            }
        }
        float[] rounded = new float[out.length];
        for (int e = 0; e < out.length; e++) rounded[e] = (float) out[e];
        return FloatArrays.of(rounded, k, m);
    }

    /** t_q for each row (position) of {@code codes}: 1 / ||P a_q|| with normalisation (1 for a zero beta), else 1. */
    private double[] scales(SparseRows codes) {
        int f = spec.dims();
        double[] scale = new double[codes.rows()];
        double[] beta = new double[f];
        for (int p = 0; p < codes.rows(); p++) {
            java.util.Arrays.fill(beta, 0);
            for (int u = codes.start()[p]; u < codes.start()[p + 1]; u++) {
                int from = codes.index()[u] * f;
                for (int j = 0; j < f; j++) beta[j] += codes.value()[u] * atomDirections[from + j];
            }
            double norm = 0;
            for (double b : beta) norm += b * b;
            scale[p] = spec.normalize() && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        }
        return scale;
    }

    /** Divides each row of {@code b} ({@code [n, dims]} row-major) by its L2 norm, in place; zero rows stay zero. */
    private void normalizeRows(float[] b) {
        normalizeRows(b, 0, b.length / spec.dims());
    }

    /** {@link #normalizeRows(float[])} for rows {@code [first, last)} only. */
    private void normalizeRows(float[] b, int first, int last) {
        int f = spec.dims();
        for (int start = first * f; start < last * f; start += f) {
            double norm = 0;
            for (int j = 0; j < f; j++) norm += (double) b[start + j] * b[start + j];
            if (norm > 0) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < f; j++) b[start + j] *= inv;
            }
        }
    }

    /** {@code projection} P {@code [dims, K]} and {@code mu} {@code [dims]}. */
    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("projection", projection);
        p.put("mu", mu);
        return p;
    }

    /** P {@code [dims, K]}; row j is embedding dimension j as a direction over the input's atoms. */
    public INDArray projection() {
        return projection;
    }

    /** The projection P {@code [dims, K]}: beta = P a at every position. */
    @Override
    public INDArray channelMap() {
        return projection;
    }

    /** {@code [dims]}: the slowness mu of each dimension (ascending; smaller is smoother). */
    public INDArray mu() {
        return mu;
    }

    /**
     * The {@code count} atoms (input channels) with the largest |P_jk| in embedding dimension
     * {@code dim}, largest first (ties by atom index), with their signed weights P_jk.
     */
    public List<AtomWeight> topAtoms(int dim, int count) {
        if (dim < 0 || dim >= spec.dims()) {
            throw new GlassboxException(id + ": no embedding dimension " + dim + " (expected 0 to " + (spec.dims() - 1) + ")");
        }
        if (count < 0) {
            throw new GlassboxException(id + ": cannot list " + count + " atoms (expected a count >= 0)");
        }
        float[] row = projection.getRow(dim).dup().data().asFloat();
        List<AtomWeight> all = new ArrayList<>(row.length);
        for (int k = 0; k < row.length; k++) all.add(new AtomWeight(k, row[k]));
        all.sort(Comparator.comparingDouble((AtomWeight a) -> -Math.abs(a.weight())).thenComparingInt(AtomWeight::atom));
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }
}
