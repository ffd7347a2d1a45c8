package org.glassbox.layers.sparse;

import java.util.SplittableRandom;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dictionary of data vectors instead of learned atoms ({@link SparseCodingSpec.AtomSource#SAMPLED}),
 * as the sparse manifold transform builds its first layer (Chen, Yun, Ma, Olshausen, LeCun, ICLR
 * 2023: atoms are whitened patches of the data, kept apart so that no two are nearly the same).
 * The sampled vectors are visited in a random order (drawn with the fit's generator); a non-zero
 * vector, scaled to unit norm, becomes the next atom when its cosine with every atom chosen so far
 * is at most {@link SparseCodingSpec#maxCosine}, until there are {@link SparseCodingSpec#atoms}.
 * Zero vectors (empty patches) are never chosen.
 *
 * <p>Candidates are tested in blocks of {@link #BLOCK}: their cosines with the atoms chosen before
 * the block come from one matrix product, and within the block each candidate is compared with the
 * block's earlier choices, so the result is the same as visiting the candidates one by one.
 */
final class SampledAtoms {
    /** Candidates per matrix product. */
    static final int BLOCK = 512;

    private SampledAtoms() {
    }

    /**
     * The atoms {@code [spec.atoms, d]} (unit rows, in the order chosen) from {@code sample}.
     *
     * @throws GlassboxException naming {@code id} when the sample holds fewer than
     *     {@code spec.atoms} vectors that are far enough apart
     */
    static INDArray choose(SampleRows sample, SparseCodingSpec spec, SplittableRandom rng, String id) {
        int n = sample.count();
        int d = sample.dimension();
        int wanted = spec.atoms();
        float bound = (float) (double) spec.maxCosine();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        DictionaryLearner.shuffle(order, rng);
        float[] atoms = new float[wanted * d];
        int chosen = 0;
        for (int from = 0; from < n && chosen < wanted; from += BLOCK) {
            int[] indices = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + BLOCK));
            float[][] block = sample.rows(indices);
            float[] unit = new float[block.length * d];
            boolean[] candidate = new boolean[block.length];
            for (int i = 0; i < block.length; i++) {
                double norm = 0;
                for (float x : block[i]) norm += (double) x * x;
                candidate[i] = norm > 0 && Double.isFinite(norm);
                if (!candidate[i]) continue;
                float inv = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < d; j++) unit[i * d + j] = block[i][j] * inv;
            }
            float[] before = chosen == 0 ? new float[0] : cosines(unit, block.length, atoms, chosen, d);
            int firstOfBlock = chosen;
            for (int i = 0; i < block.length && chosen < wanted; i++) {
                if (!candidate[i] || exceeds(before, i, firstOfBlock, bound)) continue;
                boolean far = true;
                for (int a = firstOfBlock; a < chosen && far; a++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += (double) unit[i * d + j] * atoms[a * d + j];
                    far = dot <= bound;
                }
                if (!far) continue;
                System.arraycopy(unit, i * d, atoms, chosen * d, d);
                chosen++;
            }
        }
        if (chosen < wanted) {
            throw new GlassboxException(id + ": only " + chosen + " of the " + n + " sampled vectors have cosines of at most "
                    + spec.maxCosine() + " with each other, but atoms = " + wanted + " were asked for (expected a larger "
                    + "maxSamples, a larger maxCosine or fewer atoms)");
        }
        return Nd4j.create(atoms, new long[] {wanted, d}, 'c');
    }

    /** Whether any of the first {@code count} cosines of candidate {@code i} in {@code cosines} {@code [rows, count]} exceeds {@code bound}. */
    private static boolean exceeds(float[] cosines, int i, int count, float bound) {
        for (int a = 0; a < count; a++) {
            if (cosines[i * count + a] > bound) return true;
        }
        return false;
    }

    /** The cosines {@code [rows, count]} of the unit rows {@code unit} with the first {@code count} atoms. */
    private static float[] cosines(float[] unit, int rows, float[] atoms, int count, int d) {
        INDArray u = FloatArrays.of(unit, rows, d);
        INDArray a = FloatArrays.of(java.util.Arrays.copyOf(atoms, count * d), count, d);
        INDArray product = u.mmul(a.transpose());
        float[] cosines = FloatArrays.values(product);
        OffHeap.free(product);
        OffHeap.free(a);
        OffHeap.free(u);
        return cosines;
    }
}
