package org.glassbox.framework.layer;

import java.util.Optional;
import java.util.stream.IntStream;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A read-only, repeatable sequence of spatial maps {@code [samples, gridH, gridW, channels]},
 * visited in batches so that a data set larger than memory can stream through a pipeline.
 */
public interface MapSource {
    /** The shape of one sample. */
    MapShape shape();

    /** How many samples a full pass visits. */
    long samples();

    /**
     * Visits every sample once, in order, in batches of at most {@code batchSize} samples.
     * The visitor must not keep a batch beyond its call unless it copies it.
     */
    void forEachBatch(int batchSize, BatchVisitor visitor);

    /** Receives one batch and the index of its first sample. */
    @FunctionalInterface
    interface BatchVisitor {
        void visit(INDArray batch, long offset);
    }

    /**
     * Visits every sample once, in order, in batches of at most {@code batchSize} samples, each
     * batch given as the non-zeros of its rows ({@link Maps#rows}: one row per sample and position).
     * The default takes the non-zeros of the dense batches; a source whose maps are sparse codes
     * gives them without making the dense maps ({@link SparseOutput}).
     */
    default void forEachSparseBatch(int batchSize, SparseBatchVisitor visitor) {
        forEachBatch(batchSize, (batch, offset) -> visitor.visit(SparseRows.of(Maps.rows(batch)), (int) batch.size(0), offset));
    }

    /** Receives one batch of {@code samples} samples as non-zero rows, and the index of its first sample. */
    @FunctionalInterface
    interface SparseBatchVisitor {
        void visit(SparseRows rows, int samples, long offset);
    }

    /**
     * The samples {@code indices} (ascending, distinct, each in [0, samples)) of this source, in that
     * order, as a source of its own. The default visits every sample of this source and passes on the
     * chosen ones; a source that can reach a sample directly reads only those.
     */
    default MapSource select(int[] indices) {
        return new SelectedMapSource(this, indices);
    }

    /**
     * The first {@code n} samples of this source (0 <= n <= samples), as a source of its own. The
     * source {@linkplain #inMemory in memory} gives a view of them; another gives {@link #select} of
     * samples 0 to n - 1.
     */
    default MapSource first(long n) {
        if (n < 0 || n > samples()) {
            throw new GlassboxException("map source: cannot take the first " + n + " of " + samples() + " samples");
        }
        Optional<INDArray> maps = inMemory();
        if (maps.isPresent()) {
            return of(maps.get().get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return select(IntStream.range(0, Math.toIntExact(n)).toArray());
    }

    /**
     * All samples as one array {@code [samples, gridH, gridW, channels]} when this source holds them
     * in memory, not a copy (the caller must neither modify nor free it); empty otherwise.
     */
    default Optional<INDArray> inMemory() {
        return Optional.empty();
    }

    /** A source over maps already in memory, {@code [samples, gridH, gridW, channels]}. */
    static MapSource of(INDArray maps) {
        return new ArrayMapSource(maps);
    }
}
