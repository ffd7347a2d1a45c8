package org.glassbox.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    @Test
    void stopsAfterPatienceEpochsWithoutANewBestAndKeepsTheFirstBest() {
        EarlyStopping s = new EarlyStopping(3, 100);
        double[] curve = {0.50, 0.60, 0.60, 0.55, 0.58};
        for (double v : curve) {
            assertTrue(s.goOn());
            s.record(v);
        }
        assertFalse(s.goOn());
        assertEquals(5, s.epochs());
        assertEquals(2, s.bestEpoch());
        assertEquals(0.60, s.bestAccuracy());
        assertArrayEquals(curve, s.history());
    }

    @Test
    void aNewBestRestartsThePatience() {
        EarlyStopping s = new EarlyStopping(2, 100);
        assertTrue(s.record(0.5));
        assertFalse(s.record(0.4));
        assertTrue(s.goOn());
        assertTrue(s.record(0.7));
        assertFalse(s.record(0.7));
        assertTrue(s.goOn());
        assertFalse(s.record(0.6));
        assertFalse(s.goOn());
        assertEquals(3, s.bestEpoch());
    }

    @Test
    void stopsAtTheEpochLimitWhileStillImproving() {
        EarlyStopping s = new EarlyStopping(5, 3);
        s.record(0.1);
        s.record(0.2);
        assertTrue(s.goOn());
        s.record(0.3);
        assertFalse(s.goOn());
        assertEquals(3, s.bestEpoch());
    }
}
