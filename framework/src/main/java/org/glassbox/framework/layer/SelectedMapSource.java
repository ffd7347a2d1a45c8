package org.glassbox.framework.layer;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Some samples of another source ({@link MapSource#select}): visits every batch of the other
 * source and passes on the rows of the chosen samples, so a batch holds at most as many samples
 * as asked for (fewer when few of a batch are chosen).
 */
final class SelectedMapSource implements MapSource {
    private final MapSource source;
    private final int[] indices;

    /** Checks that {@code indices} ascend strictly within [0, source.samples()). */
    SelectedMapSource(MapSource source, int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= source.samples() || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new GlassboxException("selected samples: index " + indices[i] + " at " + i + " is not ascending "
                        + "within [0, " + source.samples() + ")");
            }
        }
        this.source = source;
        this.indices = indices.clone();
    }

    /** The chosen samples' indices in the other source. */
    int[] indices() {
        return indices.clone();
    }

    @Override
    public MapShape shape() {
        return source.shape();
    }

    @Override
    public long samples() {
        return indices.length;
    }

    @Override
    public void forEachBatch(int batchSize, BatchVisitor visitor) {
        int[] cursor = {0};
        source.forEachBatch(batchSize, (batch, offset) -> {
            int from = cursor[0];
            while (cursor[0] < indices.length && indices[cursor[0]] < offset + batch.size(0)) cursor[0]++;
            if (cursor[0] == from) return;
            int[] local = new int[cursor[0] - from];
            for (int i = 0; i < local.length; i++) local[i] = (int) (indices[from + i] - offset);
            visitor.visit(rows(batch, local), from);
        });
    }

    /** The samples {@code local} of {@code batch} {@code [b, gh, gw, c]}, as a new array. */
    static INDArray rows(INDArray batch, int[] local) {
        INDArray flat = batch.dup('c').reshape('c', batch.size(0), batch.size(1) * batch.size(2) * batch.size(3));
        return flat.getRows(local).reshape('c', local.length, batch.size(1), batch.size(2), batch.size(3));
    }
}
