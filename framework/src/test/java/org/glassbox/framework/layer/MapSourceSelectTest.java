package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link MapSource#select} on an array source (its own copy), on any other source (the default,
 * which streams the other source) and on a pipeline's view (which runs only the chosen samples), and
 * the default {@link MapSource#forEachSparseBatch}.
 */
class MapSourceSelectTest {
    private static final int SAMPLES = 23;
    private static final MapShape SHAPE = new MapShape(2, 3, 4);

    /** {@code [23, 2, 3, 4]}, sample m filled with distinct values (m * 1000 + entry), about half of them 0. */
    static INDArray maps() {
        SplittableRandom rng = new SplittableRandom(4);
        int size = (int) SHAPE.size();
        float[] v = new float[SAMPLES * size];
        for (int m = 0; m < SAMPLES; m++) {
            for (int i = 0; i < size; i++) v[m * size + i] = rng.nextBoolean() ? 0 : m * 1000 + i + 1;
        }
        return Nd4j.create(v, new long[] {SAMPLES, SHAPE.gridH(), SHAPE.gridW(), SHAPE.channels()}, 'c');
    }

    /** A source that is not an array source: it streams copies of batches of an array, counting its visits. */
    static final class StreamingSource implements MapSource {
        final INDArray maps;
        int visits;
        final List<Integer> askedBatchSizes = new ArrayList<>();

        StreamingSource(INDArray maps) {
            this.maps = maps;
        }

        @Override
        public MapShape shape() {
            return new MapShape((int) maps.size(1), (int) maps.size(2), (int) maps.size(3));
        }

        @Override
        public long samples() {
            return maps.size(0);
        }

        @Override
        public void forEachBatch(int batchSize, BatchVisitor visitor) {
            visits++;
            askedBatchSizes.add(batchSize);
            for (long start = 0; start < maps.size(0); start += batchSize) {
                long end = Math.min(maps.size(0), start + batchSize);
                visitor.visit(maps.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup(), start);
            }
        }
    }

    /** Samples {@code indices} of {@code maps}, stacked. */
    private static INDArray chosen(INDArray maps, int[] indices) {
        INDArray out = Nd4j.create(maps.dataType(), indices.length, maps.size(1), maps.size(2), maps.size(3));
        for (int i = 0; i < indices.length; i++) {
            out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(maps.get(NDArrayIndex.point(indices[i]), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return out;
    }

    /**
     * Visits {@code source} in batches of {@code batchSize}, checks that every batch holds at most that
     * many samples and that its offset is the number of samples visited before it, and returns all
     * samples in the order visited.
     */
    private static INDArray visitAll(MapSource source, int batchSize) {
        List<INDArray> batches = new ArrayList<>();
        long[] seen = {0};
        source.forEachBatch(batchSize, (batch, offset) -> {
            assertEquals(seen[0], offset, "offset of the batch");
            assertTrue(batch.size(0) >= 1 && batch.size(0) <= batchSize, "batch of " + batch.size(0));
            seen[0] += batch.size(0);
            batches.add(batch.dup());
        });
        assertEquals(source.samples(), seen[0]);
        return Nd4j.concat(0, batches.toArray(new INDArray[0]));
    }

    private static final int[] INDICES = {0, 2, 3, 4, 9, 10, 17, 21, 22};

    @Test
    void arraySourceSelectsExactlyTheChosenSamplesInOrder() {
        INDArray maps = maps();
        MapSource selected = MapSource.of(maps).select(INDICES);
        assertEquals(INDICES.length, selected.samples());
        assertEquals(SHAPE, selected.shape());
        INDArray expected = chosen(maps, INDICES);
        for (int batchSize : new int[] {1, 2, 4, 9, 256}) {
            assertEquals(expected, visitAll(selected, batchSize), "batches of " + batchSize);
        }
        assertEquals(chosen(maps, new int[] {7}), visitAll(MapSource.of(maps).select(new int[] {7}), 5));
    }

    @Test
    void defaultSelectStreamsTheOtherSourceOnceAndPassesOnTheChosenSamples() {
        INDArray maps = maps();
        StreamingSource source = new StreamingSource(maps);
        MapSource selected = source.select(INDICES);
        assertEquals(INDICES.length, selected.samples());
        assertEquals(SHAPE, selected.shape());
        INDArray expected = chosen(maps, INDICES);
        for (int batchSize : new int[] {1, 2, 4, 9, 256}) {
            int before = source.visits;
            assertEquals(expected, visitAll(selected, batchSize), "batches of " + batchSize);
            assertEquals(before + 1, source.visits, "one pass over the other source");
        }
        int[] all = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) all[i] = i;
        assertEquals(maps, visitAll(source.select(all), 5));
        // a selection of a selection
        assertEquals(chosen(maps, new int[] {2, 10, 22}), visitAll(selected.select(new int[] {1, 5, 8}), 2));
    }

    @Test
    void pipelineViewRunsOnlyTheChosenSamplesThroughItsStages() {
        INDArray maps = maps();
        Pipeline p = Pipeline.fit(MapSource.of(maps), List.of(new Pipeline.Stage("A", new CenteringSpec(1))),
                FitContext.silent(1));
        INDArray expected = p.transform(chosen(maps, INDICES));
        MapSource overArray = p.over(MapSource.of(maps)).select(INDICES);
        assertEquals(INDICES.length, overArray.samples());
        assertEquals(expected, visitAll(overArray, 4));
        StreamingSource streaming = new StreamingSource(maps);
        MapSource overStream = p.over(streaming).select(INDICES);
        assertEquals(INDICES.length, overStream.samples());
        assertEquals(expected, visitAll(overStream, 3));
        assertEquals(expected, visitAll(p.over(streaming.select(INDICES)), 3));
    }

    @Test
    void selectRejectsIndicesThatDoNotAscendWithinTheSamples() {
        INDArray maps = maps();
        Pipeline p = Pipeline.fit(MapSource.of(maps), List.of(new Pipeline.Stage("A", new CenteringSpec(1))),
                FitContext.silent(1));
        List<MapSource> sources = List.of(MapSource.of(maps), new StreamingSource(maps), p.over(MapSource.of(maps)),
                p.over(new StreamingSource(maps)));
        for (MapSource source : sources) {
            assertEquals("selected samples: index 3 at 2 is not ascending within [0, 23)",
                    assertThrows(GlassboxException.class, () -> source.select(new int[] {1, 4, 3})).getMessage());
            assertEquals("selected samples: index 4 at 1 is not ascending within [0, 23)",
                    assertThrows(GlassboxException.class, () -> source.select(new int[] {4, 4})).getMessage());
            assertEquals("selected samples: index 23 at 2 is not ascending within [0, 23)",
                    assertThrows(GlassboxException.class, () -> source.select(new int[] {0, 22, 23})).getMessage());
            assertEquals("selected samples: index -1 at 0 is not ascending within [0, 23)",
                    assertThrows(GlassboxException.class, () -> source.select(new int[] {-1, 5})).getMessage());
        }
    }

    @Test
    void selectDoesNotKeepTheCallersArray() {
        INDArray maps = maps();
        int[] indices = {1, 3};
        MapSource array = MapSource.of(maps).select(indices);
        MapSource streamed = new StreamingSource(maps).select(indices);
        indices[0] = 2;
        assertEquals(chosen(maps, new int[] {1, 3}), visitAll(array, 8));
        assertEquals(chosen(maps, new int[] {1, 3}), visitAll(streamed, 8));
    }

    @Test
    void emptySelectionHasNoSamples() {
        INDArray maps = maps();
        for (MapSource source : List.of(MapSource.of(maps), new StreamingSource(maps))) {
            MapSource none = source.select(new int[0]);
            assertEquals(0, none.samples());
            assertEquals(SHAPE, none.shape());
            int[] visits = {0};
            none.forEachBatch(4, (batch, offset) -> visits[0]++);
            none.forEachSparseBatch(4, (rows, samples, offset) -> visits[0]++);
            assertEquals(0, visits[0]);
        }
    }

    @Test
    void defaultSparseBatchesAreTheNonZerosOfTheBatches() {
        INDArray maps = maps();
        StreamingSource source = new StreamingSource(maps);
        List<INDArray> dense = new ArrayList<>();
        List<Long> denseOffsets = new ArrayList<>();
        source.forEachBatch(5, (batch, offset) -> {
            dense.add(batch.dup());
            denseOffsets.add(offset);
        });
        List<Long> sparseOffsets = new ArrayList<>();
        int[] visit = {0};
        source.forEachSparseBatch(5, (rows, samples, offset) -> {
            INDArray batch = dense.get(visit[0]++);
            assertEquals(batch.size(0), samples);
            assertEquals(samples * SHAPE.positions(), rows.rows());
            assertEquals(SHAPE.channels(), rows.columns());
            assertEquals(Maps.rows(batch), rows.dense());
            long nonZeros = 0;
            for (float x : batch.dup('c').data().asFloat()) if (x != 0) nonZeros++;
            assertEquals(nonZeros, rows.index().length, "only the non-zeros");
            sparseOffsets.add(offset);
        });
        assertEquals(dense.size(), visit[0]);
        assertEquals(denseOffsets, sparseOffsets);
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L), sparseOffsets);

        // on a selection: the chosen samples' non-zeros, offsets counted within the selection
        List<SparseRows> parts = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        source.select(INDICES).forEachSparseBatch(4, (rows, samples, offset) -> {
            assertEquals(samples * SHAPE.positions(), rows.rows());
            parts.add(rows);
            offsets.add(offset);
        });
        List<INDArray> denseParts = new ArrayList<>();
        long seen = 0;
        for (int i = 0; i < parts.size(); i++) {
            assertEquals(seen, offsets.get(i));
            denseParts.add(parts.get(i).dense());
            seen += parts.get(i).rows() / SHAPE.positions();
        }
        assertEquals(INDICES.length, seen);
        assertEquals(Maps.rows(chosen(maps, INDICES)), Nd4j.concat(0, denseParts.toArray(new INDArray[0])));
    }
}
