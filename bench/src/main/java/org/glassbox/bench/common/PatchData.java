package org.glassbox.bench.common;

import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The benchmark data: real k x k patches of the embedded MNIST training digits (8,000 images,
 * {@link EmbeddedMnist#split()}), at stride 1, with each patch's mean removed and ZCA-whitened by
 * the project's own {@link WhiteningSpec#defaults()} layer (eps = 0.1 lambda_max) fitted on those
 * digits. Blank patches (all background: zero after mean removal and whitening) are dropped, since
 * their LASSO solution is trivially zero and would flatter every solver alike; what remains are the
 * patches that touch a pen stroke.
 */
public final class PatchData {
    /** The seed of the whitening fit. */
    static final long WHITEN_SEED = 7L;

    private PatchData() {
    }

    /** Patches plus whitening, fitted on the embedded MNIST training split. */
    public static Pipeline whitener(int patch) {
        MapSource train = EmbeddedMnist.split().train().source();
        return Pipeline.fit(train, List.of(new Pipeline.Stage("L1.patches", new PatchSpec(patch, 1)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults())), FitContext.silent(WHITEN_SEED));
    }

    /**
     * {@code n} non-blank whitened patch vectors {@code [n, patch * patch]} float32, a uniform sample
     * (with {@code seed}) of the training positions.
     */
    public static INDArray whitenedPatches(Pipeline whitener, int n, long seed) {
        MapSource train = whitener.over(EmbeddedMnist.split().train().source());
        INDArray sample = PositionSampler.sample(train, 3L * n, new SplittableRandom(seed));
        float[] all = sample.dup('c').data().asFloat();
        int d = (int) sample.size(1);
        float[] kept = new float[n * d];
        int rows = 0;
        for (int i = 0; i < sample.size(0) && rows < n; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) sq += (double) all[i * d + j] * all[i * d + j];
            if (sq > 1e-8) {
                System.arraycopy(all, i * d, kept, rows * d, d);
                rows++;
            }
        }
        if (rows < n) {
            throw new IllegalStateException("only " + rows + " non-blank patches in a sample of " + sample.size(0));
        }
        return Nd4j.create(kept, new long[] {n, d}, 'c');
    }

    /**
     * The benchmarks' dictionary {@code [atoms, d]}: {@link #sampledDictionary} of 4 x atoms
     * whitened patches other than the encoded ones (seeds 2 and 3; the encoded rows use seed 1).
     */
    public static INDArray benchmarkDictionary(Pipeline whitener, int atoms) {
        return sampledDictionary(whitenedPatches(whitener, 4 * atoms, 2L), atoms, 3L);
    }

    /** A dictionary {@code [atoms, d]} of distinct data rows, each scaled to unit L2 norm (rows of {@code data} in random order). */
    public static INDArray sampledDictionary(INDArray data, int atoms, long seed) {
        if (data.size(0) < atoms) {
            throw new IllegalArgumentException("need at least " + atoms + " rows, got " + data.size(0));
        }
        int[] idx = new int[(int) data.size(0)];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < atoms; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        INDArray d = Nd4j.pullRows(data, 1, java.util.Arrays.copyOf(idx, atoms)).dup('c');
        INDArray norms = d.norm2(1).reshape(atoms, 1);
        return d.diviColumnVector(norms);
    }

    /** Rows {@code [from, to)} of {@code x} as a C-order copy. */
    public static INDArray rows(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }
}
