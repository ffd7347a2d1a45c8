package org.glassbox.mnist.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BaselineOptionsTest {
    @Test
    void copiesChangeOneField() {
        BaselineOptions d = BaselineOptions.defaults();
        assertEquals(new BaselineOptions(9, 30, 3, 64, 1e-3, 0.1), d.withSeed(9));
        assertEquals(new BaselineOptions(1, 5, 3, 64, 1e-3, 0.1), d.withMaxEpochs(5));
        assertEquals(new BaselineOptions(1, 30, 7, 64, 1e-3, 0.1), d.withPatience(7));
        assertEquals(new BaselineOptions(1, 30, 3, 16, 1e-3, 0.1), d.withBatchSize(16));
        assertEquals(new BaselineOptions(1, 30, 3, 64, 0.01, 0.1), d.withLearningRate(0.01));
        assertEquals(new BaselineOptions(1, 30, 3, 64, 1e-3, 0.2), d.withValidationFraction(0.2));
    }

    @Test
    void rejectsInvalidValuesNamingTheParameter() {
        BaselineOptions d = BaselineOptions.defaults();
        assertMessage("invalid maxEpochs = 0: expected at least 1", () -> d.withMaxEpochs(0));
        assertMessage("invalid patience = 0: expected at least 1", () -> d.withPatience(0));
        assertMessage("invalid batchSize = -2: expected at least 1", () -> d.withBatchSize(-2));
        assertMessage("invalid learningRate = NaN: expected a finite positive step size", () -> d.withLearningRate(Double.NaN));
        assertMessage("invalid validationFraction = 1.0: expected a fraction in (0, 1)", () -> d.withValidationFraction(1.0));
    }

    private static void assertMessage(String message, Executable e) {
        assertEquals(message, assertThrows(InvalidParameterException.class, e).getMessage());
    }
}
