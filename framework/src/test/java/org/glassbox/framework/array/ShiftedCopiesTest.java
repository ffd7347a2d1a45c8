package org.glassbox.framework.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

/** {@link ShiftedCopies}: the order of the moves, the labels that go with it, and a move with its fill. */
class ShiftedCopiesTest {
    @Test
    void theMapsComeFirstThenDownUpRightLeftForEachDistance() {
        List<int[]> moves = ShiftedCopies.moves(2);
        int[][] expected = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}, {2, 0}, {-2, 0}, {0, 2}, {0, -2}};
        assertEquals(expected.length, moves.size());
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], moves.get(i), "move " + i);
        assertEquals(1, ShiftedCopies.moves(0).size());
        assertArrayEquals(new int[] {4, 7, 4, 7, 4, 7, 4, 7, 4, 7}, ShiftedCopies.labels(new int[] {4, 7}, 1));
        assertEquals("shifted copies: -1 shifts (expected at least 0)",
                assertThrows(GlassboxException.class, () -> ShiftedCopies.moves(-1)).getMessage());
    }

    @Test
    void aMoveTakesTheFillWhereItVacatesAndDropsWhatLeaves() {
        // two 2 x 3 maps of two channels: value 100 n + 10 y + x, channel 1 negated
        MapShape shape = new MapShape(2, 3, 2);
        float[] in = new float[2 * 2 * 3 * 2];
        float[] fill = new float[2 * 3 * 2];
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    int at = ((n * 2 + y) * 3 + x) * 2;
                    in[at] = 100 * n + 10 * y + x;
                    in[at + 1] = -in[at];
                    fill[(y * 3 + x) * 2] = 0.5f + y * 3 + x;
                    fill[(y * 3 + x) * 2 + 1] = -0.5f;
                }
            }
        }
        float[] upLeft = ShiftedCopies.move(in, shape, -1, -2, fill);
        // out[y][x] = in[y + 1][x + 2] inside, else fill[y][x]
        float[] expected = new float[in.length];
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    int at = ((n * 2 + y) * 3 + x) * 2;
                    boolean inside = y + 1 < 2 && x + 2 < 3;
                    expected[at] = inside ? 100 * n + 10 * (y + 1) + x + 2 : fill[(y * 3 + x) * 2];
                    expected[at + 1] = inside ? -expected[at] : -0.5f;
                }
            }
        }
        assertArrayEquals(expected, upLeft);
        float[] right = ShiftedCopies.move(in, shape, 0, 1, null);
        assertArrayEquals(new float[] {0, 0, 10, -10, 11, -11}, java.util.Arrays.copyOfRange(right, 6, 12));
        assertArrayEquals(in, ShiftedCopies.move(in, shape, 0, 0, fill));
    }

    @Test
    void movesAsLargeAsTheMapAndPartMapsAreRefused() {
        MapShape shape = new MapShape(2, 3, 1);
        assertEquals("shifted copies: a move of (0, 3) positions leaves nothing of 2 x 3 maps (expected moves smaller "
                + "than the map)", assertThrows(GlassboxException.class,
                        () -> ShiftedCopies.move(new float[6], shape, 0, 3, null)).getMessage());
        assertEquals("shifted copies: 7 values are not whole maps of shape " + shape, assertThrows(GlassboxException.class,
                () -> ShiftedCopies.move(new float[7], shape, 1, 0, null)).getMessage());
        assertEquals("shifted copies: 6 values are not whole maps of shape " + shape + " or the fill holds 5 values "
                + "(expected 6)", assertThrows(GlassboxException.class,
                        () -> ShiftedCopies.move(new float[6], shape, 1, 0, new float[5])).getMessage());
    }
}
