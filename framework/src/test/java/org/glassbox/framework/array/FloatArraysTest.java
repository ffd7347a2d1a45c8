package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** FloatArrays: the same arrays and values as ND4J's element-by-element copies, for views and other types too. */
class FloatArraysTest {
    @Test
    void ofHoldsTheValuesInCOrderOfTheShape() {
        float[] v = {1, -2, 3.5f, Float.MIN_VALUE, 5, 6};
        INDArray a = FloatArrays.of(v, 2, 3);
        assertEquals(Nd4j.create(v, new long[] {2, 3}, 'c'), a);
        assertEquals(DataType.FLOAT, a.dataType());
        assertEquals(-2f, a.getFloat(0, 1), 0f);
        assertEquals(5f, a.getFloat(1, 1), 0f);
        assertArrayEquals(new long[] {0, 4}, FloatArrays.of(new float[0], 0, 4).shape());
    }

    @Test
    void ofRefusesValuesThatDoNotFillTheShape() {
        GlassboxException e = assertThrows(GlassboxException.class, () -> FloatArrays.of(new float[5], 2, 3));
        assertEquals("float array: 5 values do not fill the shape [2, 3]", e.getMessage());
    }

    @Test
    void valuesAreThoseOfNd4jsCopyForWholeArraysViewsAndOtherTypes() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5, 6);
        assertArrayEquals(a.dup('c').data().asFloat(), FloatArrays.values(a), 0f);
        INDArray transposed = a.permute(2, 0, 1);
        assertArrayEquals(transposed.dup('c').data().asFloat(), FloatArrays.values(transposed), 0f);
        INDArray slice = a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all());
        assertArrayEquals(slice.dup('c').data().asFloat(), FloatArrays.values(slice), 0f);
        INDArray fOrder = a.dup('f');
        assertArrayEquals(a.dup('c').data().asFloat(), FloatArrays.values(fOrder), 0f);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 3, 7);
        assertArrayEquals(doubles.castTo(DataType.FLOAT).dup('c').data().asFloat(), FloatArrays.values(doubles), 0f);
        assertEquals(0, FloatArrays.values(Nd4j.create(DataType.FLOAT, 0, 3)).length);
    }

    @Test
    void contiguousKeepsAReshapeOfAWholeBufferAndCopiesEveryOtherView() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5, 6);
        INDArray reshaped = a.reshape('c', 20, 6);
        assertSame(reshaped, FloatArrays.contiguous(reshaped));
        assertSame(a, FloatArrays.contiguous(a));
        INDArray slice = a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray sliceCopy = FloatArrays.contiguous(slice);
        assertNotSame(slice, sliceCopy);
        assertEquals(slice, sliceCopy);
        INDArray firstRows = a.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all());
        assertNotSame(firstRows, FloatArrays.contiguous(firstRows));
        INDArray transposed = a.reshape('c', 20, 6).transpose();
        INDArray transposedCopy = FloatArrays.contiguous(transposed);
        assertNotSame(transposed, transposedCopy);
        assertEquals(transposed, transposedCopy);
        assertArrayEquals(transposed.dup('c').data().asFloat(), FloatArrays.values(transposedCopy), 0f);
    }
}
