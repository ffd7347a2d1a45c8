package org.glassbox.framework.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ConfusionMatrixTest {
    @Test
    void countsAccuracyAndPerClassAccuracy() {
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 0, 1, 1, 2, 0, 0};
        ConfusionMatrix m = ConfusionMatrix.of(truth, predicted, 4);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(2, m.count(2, 0));
        assertEquals(8, m.total());
        assertEquals(5.0 / 8, m.accuracy(), 1e-15);
        assertEquals(5.0 / 8, ConfusionMatrix.accuracy(truth, predicted, 4), 1e-15);
        double[] per = m.perClassAccuracy();
        assertEquals(2.0 / 3, per[0], 1e-15);
        assertEquals(1.0, per[1], 1e-15);
        assertEquals(1.0 / 3, per[2], 1e-15);
        assertEquals(Double.NaN, per[3]);
        long[][] counts = m.counts();
        counts[0][0] = 99;
        assertEquals(2, m.count(0, 0), "counts() is a copy");
    }

    @Test
    void rejectsMismatchedOrOutOfRangeInput() {
        assertEquals("confusion matrix: 2 true labels but 3 predictions (expected one prediction per label)",
                assertThrows(GlassboxException.class, () -> ConfusionMatrix.of(new int[2], new int[3], 2)).getMessage());
        assertEquals("confusion matrix: no items (expected at least one prediction)",
                assertThrows(GlassboxException.class, () -> ConfusionMatrix.of(new int[0], new int[0], 2)).getMessage());
        assertEquals("confusion matrix: prediction 5 of item 1 is outside [0, 3)",
                assertThrows(GlassboxException.class, () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 5}, 3))
                        .getMessage());
        assertEquals("confusion matrix: true label -1 of item 0 is outside [0, 3)",
                assertThrows(GlassboxException.class, () -> ConfusionMatrix.of(new int[] {-1}, new int[] {0}, 3))
                        .getMessage());
    }

    @Test
    void argmaxTakesTheFirstHighestScoreOfFlatOrMapScores() {
        float[] s = {0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0.0f};
        assertArrayEquals(new int[] {1, 0}, Predictions.argmax(Nd4j.create(s, new long[] {2, 3}, 'c')));
        assertArrayEquals(new int[] {1, 0}, Predictions.argmax(Nd4j.create(s, new long[] {2, 1, 1, 3}, 'c')));
        assertEquals("class scores: expected shape [n, classes] or [n, 1, 1, classes] but got [2, 3, 1]",
                assertThrows(GlassboxException.class, () -> Predictions.argmax(Nd4j.create(s, new long[] {2, 3, 1}, 'c')))
                        .getMessage());
    }
}
