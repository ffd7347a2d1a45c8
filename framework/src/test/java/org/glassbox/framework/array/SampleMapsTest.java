package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SampleMapsTest {
    /** Each sample's output is its values reversed then summed pairwise: a step that reads every input and writes every output. */
    private static void step(float[] sample, float[] result) {
        for (int j = 0; j < result.length; j++) result[j] = sample[sample.length - 1 - 2 * j] + sample[sample.length - 2 - 2 * j];
    }

    @Test
    void everySampleOfAViewGoesThroughTheStepIntoItsOwnRowAndTheInputIsUnchanged() {
        INDArray all = Nd4j.arange(7 * 2 * 2 * 2).castTo(DataType.FLOAT).reshape('c', 7, 2, 2, 2);
        INDArray view = all.get(NDArrayIndex.interval(1, 6), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        float[] before = FloatArrays.values(view);
        INDArray out = SampleMaps.map(view, new MapShape(2, 1, 2), 2, SampleMapsTest::step);
        assertArrayEquals(new long[] {5, 2, 1, 2}, out.shape());
        float[] expected = new float[5 * 4];
        for (int s = 0; s < 5; s++) {
            float[] sample = Arrays.copyOfRange(before, s * 8, s * 8 + 8);
            float[] result = new float[4];
            step(sample, result);
            System.arraycopy(result, 0, expected, s * 4, 4);
        }
        assertArrayEquals(expected, FloatArrays.values(out));
        assertArrayEquals(before, FloatArrays.values(view), "the input is unchanged");
    }

    @Test
    void anEmptyBatchGivesAnEmptyBatchOfTheOutputShape() {
        INDArray out = SampleMaps.map(Nd4j.create(DataType.FLOAT, 0, 2, 2, 2), new MapShape(2, 1, 2), 2, SampleMapsTest::step);
        assertArrayEquals(new long[] {0, 2, 1, 2}, out.shape());
    }
}
