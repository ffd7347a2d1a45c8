package org.glassbox.framework.layer;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws position vectors from a {@link MapSource} in one streaming pass: each of the
 * {@code samples * gridH * gridW} positions is a row of {@code channels} values; the result is
 * {@code [min(count, total), channels]}, a uniform sample without replacement, in source order.
 * Fitters that learn from a subset of positions (whitening, dictionary learning) use it.
 */
public final class PositionSampler {
    private PositionSampler() {
    }

    /** Samples up to {@code count} position vectors, the same ones for the same {@code rng} state. */
    public static INDArray sample(MapSource source, long count, SplittableRandom rng) {
        long total = source.samples() * source.shape().positions();
        if (total == 0) {
            throw new GlassboxException("cannot fit on empty data: the source has no samples");
        }
        return gather(source, choose(total, Math.min(count, total), rng));
    }

    /**
     * The position vectors {@code chosen} (sorted ascending, distinct; position p is row
     * {@code p mod positions} of sample {@code p / positions}) of {@code source}, in that order,
     * {@code [chosen.length, channels]}, gathered in one streaming pass. A distributed pass gathers
     * each part's share of a global {@link #choose} this way.
     */
    public static INDArray gather(MapSource source, long[] chosen) {
        long take = chosen.length;
        int channels = source.shape().channels();
        INDArray out = Nd4j.create(DataType.FLOAT, take, channels);
        long perSample = source.shape().positions();
        int[] cursor = {0};
        source.forEachBatch(Pipeline.BATCH, (batch, offset) -> {
            long first = offset * perSample;
            long end = first + batch.size(0) * perSample;
            int from = cursor[0];
            int to = from;
            while (to < chosen.length && chosen[to] < end) to++;
            if (to == from) return;
            INDArray rows = Maps.rows(batch);
            long[] local = new long[to - from];
            for (int i = from; i < to; i++) local[i - from] = chosen[i] - first;
            INDArray picked = Nd4j.pullRows(rows, 1, Arrays.stream(local).mapToInt(l -> (int) l).toArray());
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(picked);
            OffHeap.free(picked, batch);
            OffHeap.free(rows, batch);
            cursor[0] = to;
        });
        return out;
    }

    /**
     * {@code take} distinct sorted indices from [0, total) (Floyd's algorithm: R. W. Floyd and
     * J. Bentley, "Programming pearls: a sample of brilliance", CACM 1987), the same for the same
     * {@code rng} state; all of them when {@code take == total}.
     */
    public static long[] choose(long total, long take, SplittableRandom rng) {
        if (take == total) {
            long[] all = new long[(int) total];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        java.util.HashSet<Long> set = new java.util.HashSet<>();
        for (long j = total - take; j < total; j++) {
            long t = rng.nextLong(j + 1);
            if (!set.add(t)) set.add(j);
        }
        long[] result = set.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(result);
        return result;
    }
}
