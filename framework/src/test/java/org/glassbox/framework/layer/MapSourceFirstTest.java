package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link MapSource#first} on an array source (a view of its maps) and on a streaming source (its
 * selection of the samples before n: the batches before sample n, the last one cut), and
 * {@link MapSource#inMemory}.
 */
class MapSourceFirstTest {
    @Test
    void anArraySourceGivesAViewOfItsFirstSamples() {
        INDArray maps = MapSourceSelectTest.maps();
        MapSource source = MapSource.of(maps);
        assertSame(maps, source.inMemory().orElseThrow());
        MapSource first = source.first(9);
        assertEquals(9, first.samples());
        INDArray view = first.inMemory().orElseThrow();
        assertEquals(maps.get(NDArrayIndex.interval(0, 9), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()), view);
        assertEquals(maps.data().addressPointer().address(), view.data().addressPointer().address(), "a view, not a copy");
    }

    @Test
    void aStreamingSourcePassesOnTheBatchesBeforeSampleNAndCutsTheLast() {
        INDArray maps = MapSourceSelectTest.maps();
        MapSourceSelectTest.StreamingSource stream = new MapSourceSelectTest.StreamingSource(maps);
        assertTrue(stream.inMemory().isEmpty());
        MapSource first = stream.first(10);
        INDArray seen = Nd4j.zeros(10, 2, 3, 4);
        int[] batches = {0};
        first.forEachBatch(4, (batch, offset) -> {
            assertTrue(offset + batch.size(0) <= 10, "a batch past sample 10: " + offset + " + " + batch.size(0));
            seen.get(NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(batch);
            batches[0]++;
        });
        assertEquals(3, batches[0]);
        assertEquals(maps.get(NDArrayIndex.interval(0, 10), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()), seen);
        assertEquals(23, stream.first(23).samples());
    }

    @Test
    void moreSamplesThanTheSourceHoldsAreRefused() {
        MapSource source = MapSource.of(MapSourceSelectTest.maps());
        assertEquals("map source: cannot take the first 24 of 23 samples",
                assertThrows(GlassboxException.class, () -> source.first(24)).getMessage());
        assertEquals("map source: cannot take the first -1 of 23 samples",
                assertThrows(GlassboxException.class, () -> source.first(-1)).getMessage());
    }
}
