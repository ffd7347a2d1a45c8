package org.glassbox.framework.layer;

import org.glassbox.framework.array.MapShape;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    /** A source over maps already in memory, {@code [samples, gridH, gridW, channels]}. */
    static MapSource of(INDArray maps) {
        return new ArrayMapSource(maps);
    }
}
