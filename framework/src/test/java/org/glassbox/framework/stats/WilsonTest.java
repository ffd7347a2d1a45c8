package org.glassbox.framework.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

class WilsonTest {
    /**
     * Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score interval), prints
     * these four examples to four decimals; the 17-digit values are the closed form of {@link Wilson}
     * evaluated with z = 1.959963984540054.
     */
    @Test
    void matchesNewcombesPublishedExamples() {
        assertInterval(81, 263, 0.25528851987827422, 0.36620957698280004);
        assertInterval(15, 148, 0.062386399530736297, 0.16048724172330803);
        assertInterval(0, 20, 0.0, 0.16112515805281938);
        assertInterval(1, 29, 0.0061132142927626532, 0.17175521879320288);
        // Newcombe's four-decimal figures.
        ConfidenceInterval a = Wilson.ci95(81, 263);
        assertEquals(0.2553, a.low(), 5e-5);
        assertEquals(0.3662, a.high(), 5e-5);
        ConfidenceInterval d = Wilson.ci95(1, 29);
        assertEquals(0.0061, d.low(), 5e-5);
        assertEquals(0.1718, d.high(), 5e-5);
    }

    @Test
    void aTypicalTestAccuracyAndThePerfectScoreStayInsideTheUnitInterval() {
        assertInterval(1970, 2000, 0.97866756217429129, 0.98947290196289317);
        ConfidenceInterval perfect = Wilson.ci95(20, 20);
        assertEquals(0.83887484194718065, perfect.low(), 1e-12);
        assertEquals(1.0, perfect.high());
        assertArrayEquals(new double[] {perfect.low(), 1.0}, perfect.toArray());
        assertEquals(0.95, perfect.confidence());
    }

    @Test
    void aHigherConfidenceGivesAWiderInterval() {
        ConfidenceInterval c95 = Wilson.interval(81, 263, 0.95);
        ConfidenceInterval c99 = Wilson.interval(81, 263, 0.99);
        assertEquals(true, c99.low() < c95.low() && c99.high() > c95.high());
    }

    @Test
    void rejectsInvalidCounts() {
        assertEquals("invalid trials = 0: expected at least 1",
                assertThrows(InvalidParameterException.class, () -> Wilson.ci95(0, 0)).getMessage());
        assertEquals("invalid successes = 11: expected a count in [0, 10]",
                assertThrows(InvalidParameterException.class, () -> Wilson.ci95(11, 10)).getMessage());
        assertEquals("invalid successes = -1: expected a count in [0, 10]",
                assertThrows(InvalidParameterException.class, () -> Wilson.ci95(-1, 10)).getMessage());
        assertEquals("invalid confidence = 1.0: expected a level in (0, 1)",
                assertThrows(InvalidParameterException.class, () -> Wilson.interval(1, 10, 1.0)).getMessage());
    }

    private static void assertInterval(int k, int n, double low, double high) {
        ConfidenceInterval ci = Wilson.ci95(k, n);
        assertEquals(low, ci.low(), 1e-12, "low of " + k + "/" + n);
        assertEquals(high, ci.high(), 1e-12, "high of " + k + "/" + n);
    }
}
