package org.glassbox.framework.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

class McNemarTest {
    /** b = 1, c = 7: p = 2 P(X <= 1), X ~ Bin(8, 1/2) = 2 (1 + 8) / 256 = 18/256, exactly. */
    @Test
    void exactTestOnFewDiscordantItems() {
        McNemar.Result r = McNemar.fromDiscordant(1, 7);
        assertEquals(McNemar.Method.EXACT_BINOMIAL, r.method());
        assertEquals(18.0 / 256, r.pValue(), 1e-15);
        assertEquals(1.0, r.statistic());
        assertEquals(18.0 / 256, McNemar.fromDiscordant(7, 1).pValue(), 1e-15);
    }

    /**
     * b = 7, c = 17, n = 24 (the largest exact case): 2 sum_{k=0..7} C(24, k) / 2^24 =
     * 2 (1 + 24 + 276 + 2024 + 10626 + 42504 + 134596 + 346104) / 16777216 = 1072310 / 16777216.
     */
    @Test
    void exactTestAtTheThreshold() {
        McNemar.Result r = McNemar.fromDiscordant(7, 17);
        assertEquals(McNemar.Method.EXACT_BINOMIAL, r.method());
        assertEquals(1072310.0 / 16777216, r.pValue(), 1e-15);
    }

    @Test
    void equalDiscordantCountsOrNoneGivePOne() {
        assertEquals(1.0, McNemar.fromDiscordant(0, 0).pValue());
        assertEquals(1.0, McNemar.fromDiscordant(4, 4).pValue());
        McNemar.Result large = McNemar.fromDiscordant(30, 30);
        assertEquals(McNemar.Method.CHI_SQUARE_CORRECTED, large.method());
        assertEquals(0.0, large.statistic());
        assertEquals(1.0, large.pValue());
    }

    /**
     * b = 20, c = 5, n = 25: chi2 = (|20 - 5| - 1)^2 / 25 = 7.84 = 2.8^2, so p = 2 (1 - Phi(2.8)) =
     * 0.00511026... (Phi(2.8) = 0.99744 in normal tables).
     */
    @Test
    void continuityCorrectedChiSquareFromTwentyFiveDiscordantItems() {
        McNemar.Result r = McNemar.fromDiscordant(20, 5);
        assertEquals(McNemar.Method.CHI_SQUARE_CORRECTED, r.method());
        assertEquals(7.84, r.statistic(), 1e-12);
        assertEquals(0.0051102606608558641, r.pValue(), 1e-15);
        assertEquals(2 * (1 - 0.99744), r.pValue(), 1e-5);
    }

    /**
     * Agresti, Categorical Data Analysis (2nd ed., 2002), Table 10.1, presidential approval in two
     * surveys of the same 1,600 people: 794 approve both times, 150 approve then disapprove, 86
     * disapprove then approve, 570 disapprove both times. Corrected chi2 = (64 - 1)^2 / 236.
     */
    @Test
    void agrestiPresidentialApprovalTable() {
        int[] first = new int[1600];
        int[] second = new int[1600];
        int[] truth = new int[1600];
        int i = 0;
        for (int k = 0; k < 794; k++, i++) { first[i] = 1; second[i] = 1; truth[i] = 1; }
        for (int k = 0; k < 150; k++, i++) { first[i] = 1; second[i] = 0; truth[i] = 1; }
        for (int k = 0; k < 86; k++, i++) { first[i] = 0; second[i] = 1; truth[i] = 1; }
        for (int k = 0; k < 570; k++, i++) { first[i] = 0; second[i] = 0; truth[i] = 1; }
        McNemar.Result r = McNemar.test(first, second, truth);
        assertEquals(150, r.onlyFirstCorrect());
        assertEquals(86, r.onlySecondCorrect());
        assertEquals(3969.0 / 236, r.statistic(), 1e-12);
        assertEquals(4.1145622813459443e-05, r.pValue(), 1e-18);
        assertEquals(1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(3969.0 / 236), r.pValue(), 1e-14);
    }

    @Test
    void itemsBothGetRightOrBothGetWrongDoNotCount() {
        int[] labels = {0, 1, 2, 3, 4, 5};
        int[] a = {0, 1, 2, 9, 9, 9};
        int[] b = {0, 9, 9, 3, 8, 9};
        McNemar.Result r = McNemar.test(a, b, labels);
        assertEquals(2, r.onlyFirstCorrect());
        assertEquals(1, r.onlySecondCorrect());
        // 2 P(X <= 1), X ~ Bin(3, 1/2) = 2 * 4 / 8 capped at 1
        assertEquals(1.0, r.pValue());
    }

    @Test
    void rejectsMismatchedOrNegativeInput() {
        assertEquals("3 predictions but 2 labels (expected one prediction per test item)",
                assertThrows(GlassboxException.class,
                        () -> McNemar.test(new int[] {0, 1, 2}, new int[] {0, 1}, new int[] {0, 1})).getMessage());
        assertEquals("invalid b = -1: expected a count of at least 0",
                assertThrows(InvalidParameterException.class, () -> McNemar.fromDiscordant(-1, 3)).getMessage());
    }
}
