package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayoutMetricsTest {
    private static final int S = 10;

    /** The cell of each pixel of an S x S grid after {@code f} maps (row, column). */
    interface Map2 {
        int[] at(int r, int c);
    }

    private static int[] cells(Map2 f) {
        int[] cell = new int[S * S];
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                int[] rc = f.at(r, c);
                cell[r * S + c] = rc[0] * S + rc[1];
            }
        }
        return cell;
    }

    @Test
    void theTrueLayoutRotatedFlippedOrTransposedScoresOne() {
        int[] truth = Scramble.identity(S * S);
        int[] varying = Scramble.identity(S * S);
        Map2[] answers = {
            (r, c) -> new int[] {r, c},
            (r, c) -> new int[] {c, S - 1 - r},
            (r, c) -> new int[] {S - 1 - r, S - 1 - c},
            (r, c) -> new int[] {S - 1 - c, r},
            (r, c) -> new int[] {r, S - 1 - c},
            (r, c) -> new int[] {S - 1 - r, c},
            (r, c) -> new int[] {c, r},
            (r, c) -> new int[] {S - 1 - c, S - 1 - r},
        };
        for (Map2 answer : answers) {
            LayoutMetrics m = LayoutMetrics.of(truth, cells(answer), S, varying);
            assertEquals(1.0, m.neighbours4());
            assertEquals(1.0, m.neighbours8());
            assertEquals(1.0, m.spearman(), 1e-9);
        }
    }

    @Test
    void theMeasuresAreTheSameForARotatedOrFlippedImperfectAnswer() {
        int[] truth = Scramble.identity(S * S);
        int[] varying = Scramble.identity(S * S);
        int[] answer = cells((r, c) -> new int[] {r, c});
        // Swap two pixels, then rotate and flip the whole answer.
        int t = answer[12];
        answer[12] = answer[57];
        answer[57] = t;
        LayoutMetrics plain = LayoutMetrics.of(truth, answer, S, varying);
        assertTrue(plain.neighbours4() < 1);
        int[] rotated = new int[answer.length];
        int[] flipped = new int[answer.length];
        for (int p = 0; p < answer.length; p++) {
            int r = answer[p] / S;
            int c = answer[p] % S;
            rotated[p] = c * S + (S - 1 - r);
            flipped[p] = r * S + (S - 1 - c);
        }
        assertEquals(plain, LayoutMetrics.of(truth, rotated, S, varying));
        assertEquals(plain, LayoutMetrics.of(truth, flipped, S, varying));
        // 2 pixels with 4 neighbours each moved: 16 of the 2 * 180 (pixel, neighbour) pairs broken.
        assertEquals(1 - 16.0 / 360, plain.neighbours4(), 1e-6);
    }

    @Test
    void aRandomLayoutScoresLowAndConstantPixelsAreLeftOut() {
        int[] truth = Scramble.identity(S * S);
        int[] varying = new int[S * S - S];
        for (int i = 0; i < varying.length; i++) varying[i] = i + S; // the first row never varies
        LayoutMetrics m = LayoutMetrics.of(truth, Scramble.permutation(S * S, 3), S, varying);
        assertTrue(m.neighbours4() < 0.2, "random: " + m);
        assertTrue(Math.abs(m.spearman()) < 0.2, "random: " + m);
        assertEquals(90, m.varying());
        assertEquals(10, m.constant());
    }
}
