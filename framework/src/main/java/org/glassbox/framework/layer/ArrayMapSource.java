package org.glassbox.framework.layer;

import java.util.Optional;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.ShapeMismatchException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A {@link MapSource} over a rank-4 array held in memory. */
final class ArrayMapSource implements MapSource {
    private final INDArray maps;
    private final MapShape shape;

    ArrayMapSource(INDArray maps) {
        if (maps.rank() != 4) {
            throw new ShapeMismatchException("map source", new long[] {-1, -1, -1, -1}, maps.shape());
        }
        this.maps = maps;
        this.shape = new MapShape((int) maps.size(1), (int) maps.size(2), (int) maps.size(3));
    }

    @Override
    public MapShape shape() {
        return shape;
    }

    @Override
    public long samples() {
        return maps.size(0);
    }

    /** The maps themselves. */
    @Override
    public Optional<INDArray> inMemory() {
        return Optional.of(maps);
    }

    /** The chosen samples, copied into a source of their own. */
    @Override
    public MapSource select(int[] indices) {
        return new ArrayMapSource(SelectedMapSource.rows(maps, new SelectedMapSource(this, indices).indices()));
    }

    @Override
    public void forEachBatch(int batchSize, BatchVisitor visitor) {
        long n = maps.size(0);
        for (long start = 0; start < n; start += batchSize) {
            long end = Math.min(n, start + batchSize);
            visitor.visit(maps.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()), start);
        }
    }
}
