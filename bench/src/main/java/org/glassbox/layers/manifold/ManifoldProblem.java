package org.glassbox.layers.manifold;

import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Realistic inputs for the manifold-embedding eigen-solve: the sparse manifold transform's matrices
 * (Chen, Paiton and Olshausen, NeurIPS 2018; docs/mnist.md) built from real codes. The codes are
 * top-8 codes (a sparse-coding layer with {@link Encoder#TOP_K}) of the whitened 8 x 8 patches
 * (stride 1, a 21 x 21 grid per digit) of the first {@code images} embedded MNIST training digits,
 * against {@code K} atoms sampled from other whitened patches and unit-normed. With N code vectors and P
 * pairs of horizontally or vertically adjacent grid positions,
 *
 * <pre>
 *   V = (1/N) sum_i a_i a_i^T + r I,       r = 1e-3 trace(V) / K'
 *   S = (1/P) sum_(i,j) (a_i - a_j)(a_i - a_j)^T
 * </pre>
 *
 * both {@code [K', K']} float64 over the K' atoms that some code uses, accumulated from the codes'
 * non-zeros, restricted and given the ridge by the manifold layer's own {@link ActiveAtoms}: an
 * atom no code uses has zero rows in both matrices, which would make mu = 0 an eigenvalue of that
 * multiplicity whose eigenvectors vanish on every input. In the layer's package, since
 * {@link ActiveAtoms} is not public.
 *
 * @param s S, row-major {@code [K' * K']}
 * @param v V + r I, row-major {@code [K' * K']}
 * @param atoms K
 * @param active K'
 */
public record ManifoldProblem(double[] s, double[] v, int atoms, int active) {
    /** The problem of {@code atoms} atoms, from the codes of the first {@code images} training digits. */
    public static ManifoldProblem build(int atoms, int images) {
        Pipeline whitener = PatchData.whitener(8);
        INDArray dict = PatchData.sampledDictionary(PatchData.whitenedPatches(whitener, 4 * atoms, 21L), atoms, 22L);
        ImageSet train = EmbeddedMnist.split().train();
        INDArray first = train.images().get(NDArrayIndex.interval(0, images), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
        MapSource source = whitener.over(MapSource.of(first));
        // lambda is not read by the top-k encoder
        SparseCodingLayer coder = new SparseCodingLayer("L1.code", SparseCodingSpec.of("L1", atoms, 1)
                .withEncoder(Encoder.TOP_K).withK(8), new MapShape(1, 1, (int) dict.size(1)), dict,
                Nd4j.ones(DataType.FLOAT, atoms));
        double[] s = new double[atoms * atoms];
        double[] v = new double[atoms * atoms];
        long[] counts = new long[2];
        int gh = source.shape().gridH();
        int gw = source.shape().gridW();
        source.forEachBatch(16, (batch, offset) -> {
            long b = batch.size(0);
            INDArray rows = batch.dup('c').reshape('c', b * gh * gw, batch.size(3));
            float[] codes = coder.encodeRows(rows).dup('c').data().asFloat();
            int n = (int) (b * gh * gw);
            int[][] idx = new int[n][];
            float[][] val = new float[n][];
            for (int i = 0; i < n; i++) {
                int nnz = 0;
                for (int k = 0; k < atoms; k++) if (codes[i * atoms + k] != 0f) nnz++;
                idx[i] = new int[nnz];
                val[i] = new float[nnz];
                nnz = 0;
                for (int k = 0; k < atoms; k++) {
                    float c = codes[i * atoms + k];
                    if (c != 0f) {
                        idx[i][nnz] = k;
                        val[i][nnz++] = c;
                    }
                }
                addOuter(v, atoms, idx[i], val[i], null, null);
            }
            counts[0] += n;
            for (int img = 0; img < b; img++) {
                for (int y = 0; y < gh; y++) {
                    for (int x = 0; x < gw; x++) {
                        int i = (img * gh + y) * gw + x;
                        if (x + 1 < gw) {
                            addOuter(s, atoms, idx[i], val[i], idx[i + 1], val[i + 1]);
                            counts[1]++;
                        }
                        if (y + 1 < gh) {
                            addOuter(s, atoms, idx[i], val[i], idx[i + gw], val[i + gw]);
                            counts[1]++;
                        }
                    }
                }
            }
        });
        for (int i = 0; i < v.length; i++) {
            v[i] /= counts[0];
            s[i] /= counts[1];
        }
        ActiveAtoms problem = ActiveAtoms.of(s, v, atoms, 1e-3);
        return new ManifoldProblem(problem.s(), problem.v(), atoms, problem.size());
    }

    /** m += u u^T with u = a - b (b absent: u = a), u given by its non-zeros. */
    private static void addOuter(double[] m, int k, int[] ia, float[] va, int[] ib, float[] vb) {
        int na = ia.length;
        int nb = ib == null ? 0 : ib.length;
        int[] iu = new int[na + nb];
        double[] vu = new double[na + nb];
        int p = 0;
        int q = 0;
        int n = 0;
        while (p < na || q < nb) {
            if (q >= nb || (p < na && ia[p] < ib[q])) {
                iu[n] = ia[p];
                vu[n++] = va[p++];
            } else if (p >= na || ib[q] < ia[p]) {
                iu[n] = ib[q];
                vu[n++] = -vb[q++];
            } else {
                iu[n] = ia[p];
                vu[n++] = (double) va[p++] - vb[q++];
            }
        }
        for (int x = 0; x < n; x++) {
            int row = iu[x] * k;
            double ux = vu[x];
            for (int y = 0; y < n; y++) m[row + iu[y]] += ux * vu[y];
        }
    }
}
