package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** OffHeap: frees an array that owns its memory, never one whose memory another array still uses. */
class OffHeapTest {
    @Test
    void freesAnArrayThatOwnsItsMemoryAndSharesNoneWithTheKeptOnes() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray other = a.dup();
        float[] kept = FloatArrays.values(other);
        assertTrue(OffHeap.free(a, other, null));
        assertTrue(a.wasClosed());
        assertFalse(other.wasClosed());
        assertArrayEquals(kept, FloatArrays.values(other), 0f);
        assertFalse(OffHeap.free(a), "an array is freed once");
    }

    @Test
    void neverFreesAViewNorTheArrayAViewIsCutFromWhileTheViewIsKept() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 6, 3);
        INDArray rows = a.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        float[] values = FloatArrays.values(rows);
        assertFalse(OffHeap.free(rows));
        assertFalse(OffHeap.free(a, rows));
        assertFalse(a.wasClosed());
        assertArrayEquals(values, FloatArrays.values(rows), 0f);
    }

    @Test
    void aReshapeOfAWholeArrayFreesItsBufferUnlessTheArrayIsKept() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        INDArray flat = a.reshape('c', 6, 4);
        float[] values = FloatArrays.values(a);
        assertFalse(OffHeap.free(flat, a));
        assertFalse(OffHeap.free(a, flat));
        assertArrayEquals(values, FloatArrays.values(a), 0f);
        assertTrue(OffHeap.free(flat));
        assertTrue(a.wasClosed(), "the reshape's memory is a's");
        assertTrue(flat.wasClosed());
    }

    @Test
    void aViewOfPartOfABufferIsNotFreed() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 3);
        assertFalse(OffHeap.free(a.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all())));
        assertFalse(OffHeap.free(a.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all())));
        assertFalse(a.wasClosed());
    }

    @Test
    void sharedMemoryIsOverlappingBuffers() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 6, 3);
        assertTrue(OffHeap.sharesMemory(a, a));
        assertTrue(OffHeap.sharesMemory(a, a.get(NDArrayIndex.point(5), NDArrayIndex.all())));
        assertTrue(OffHeap.sharesMemory(a.get(NDArrayIndex.point(0), NDArrayIndex.all()), a.reshape('c', 3, 6)));
        assertFalse(OffHeap.sharesMemory(a, a.dup()));
        assertFalse(OffHeap.sharesMemory(a, Nd4j.create(DataType.FLOAT, 0, 3)));
        INDArray b = Nd4j.rand(DataType.FLOAT, 2);
        OffHeap.free(b);
        assertFalse(OffHeap.sharesMemory(a, b), "a freed array has no memory");
    }

    @Test
    void nullEmptyAndClosedArraysAreNotFreed() {
        assertFalse(OffHeap.free(null));
        assertFalse(OffHeap.free(Nd4j.create(DataType.FLOAT, 0, 4)));
    }
}
