package org.glassbox.layers.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LabelledFeatures#view} borrows the maps of a source held whole in memory and copies any
 * other; releasing a view leaves the source's maps as they were, so a linear readout fitted on them
 * does not free them.
 */
class LabelledFeaturesTest {
    private static final MapShape SHAPE = new MapShape(2, 2, 3);

    /** 12 samples of shape [2, 2, 3], sample i's entry j = i + j / 10. */
    private static INDArray maps() {
        float[] v = new float[12 * 12];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) v[i * 12 + j] = i + j / 10f;
        }
        return FloatArrays.of(v, 12, 2, 2, 3);
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return y;
    }

    @Test
    void aWholeArrayInMemoryIsBorrowedAndReleasingItKeepsIt() {
        INDArray maps = maps();
        float[] before = FloatArrays.values(maps);
        LabelledFeatures view = LabelledFeatures.view("r", MapSource.of(maps), labels(12), 3);
        LabelledFeatures copy = LabelledFeatures.read("r", MapSource.of(maps), labels(12), 3);
        assertFalse(view.own());
        assertTrue(copy.own());
        assertEquals(maps.data().addressPointer().address(), view.features().data().addressPointer().address());
        assertEquals(copy.features(), view.features());
        assertArrayEquals(new long[] {12, 12}, view.features().shape());
        view.release();
        assertArrayEquals(before, FloatArrays.values(maps));
    }

    @Test
    void partOfAnArrayIsCopied() {
        MapSource part = MapSource.of(maps()).first(5);
        LabelledFeatures view = LabelledFeatures.view("r", part, labels(5), 3);
        assertTrue(view.own());
        assertEquals(LabelledFeatures.read("r", part, labels(5), 3).features(), view.features());
    }

    @Test
    void aLinearReadoutFittedOnMapsInMemoryLeavesThem() {
        INDArray maps = maps();
        float[] before = FloatArrays.values(maps);
        LinearReadout r = LinearSpec.defaults(3).withMaxIterations(20).fit("linear", MapSource.of(maps), labels(12),
                FitContext.silent(1));
        assertEquals(SHAPE, r.inputShape());
        assertArrayEquals(before, FloatArrays.values(maps));
    }
}
