package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

class ManifoldSpecTest {
    private static String message(Runnable r) {
        return assertThrows(InvalidParameterException.class, r::run).getMessage();
    }

    @Test
    void rejectsEachInvalidHyperparameterWithItsName() {
        ManifoldSpec d = ManifoldSpec.defaults();
        assertEquals("invalid dims = 0: expected a positive number of embedding dimensions",
                message(() -> d.withDims(0)));
        assertEquals("invalid window = 4: expected an odd neighbourhood side of at least 3",
                message(() -> d.withWindow(4)));
        assertEquals("invalid window = 1: expected an odd neighbourhood side of at least 3",
                message(() -> d.withWindow(1)));
        assertEquals("invalid difference = null: expected FIRST, SECOND or NEIGHBOUR_MEAN",
                message(() -> d.withDifference(null)));
        assertEquals("invalid ridge = 0.0: expected a finite value > 0", message(() -> d.withRidge(0)));
        assertEquals("invalid ridge = NaN: expected a finite value > 0", message(() -> d.withRidge(Double.NaN)));
        assertEquals("invalid sampleMaps = 0: expected a positive number of maps", message(() -> d.withSampleMaps(0)));
        assertEquals("invalid skip = -1: expected a count >= 0 of trivial eigenvectors to skip",
                message(() -> d.withSkip(-1)));
    }

    @Test
    void copiesChangeOneField() {
        ManifoldSpec d = ManifoldSpec.defaults();
        assertEquals(new ManifoldSpec(48, 7, ManifoldSpec.Difference.SECOND, 0.01, 100, 2, false),
                d.withDims(48).withWindow(7).withDifference(ManifoldSpec.Difference.SECOND).withRidge(0.01)
                        .withSampleMaps(100).withSkip(2).withNormalize(false));
        assertEquals("manifold", d.kind());
    }
}
