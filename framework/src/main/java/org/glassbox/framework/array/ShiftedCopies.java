package org.glassbox.framework.array;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;

/**
 * The shifted copies of a set of maps, the augmentation of Simard, Steinkraus and Platt (ICDAR 2003):
 * the maps themselves, then for each distance s = 1..shifts their copies moved by s positions down,
 * up, right and left, in that order. One order for images ({@code ImageSet#withShiftedCopies}) and
 * for a pipeline's maps ({@code Pipeline#transformAllWithShiftedCopies}), so that both pair a copy
 * with the same label.
 */
public final class ShiftedCopies {
    private ShiftedCopies() {
    }

    /** The moves {@code (dy, dx)} in order, the first being {@code (0, 0)}: 1 + 4 x shifts of them. */
    public static List<int[]> moves(int shifts) {
        if (shifts < 0) throw new GlassboxException("shifted copies: " + shifts + " shifts (expected at least 0)");
        List<int[]> moves = new ArrayList<>();
        moves.add(new int[] {0, 0});
        for (int s = 1; s <= shifts; s++) {
            moves.add(new int[] {s, 0});
            moves.add(new int[] {-s, 0});
            moves.add(new int[] {0, s});
            moves.add(new int[] {0, -s});
        }
        return moves;
    }

    /** {@code labels} once for each of the {@link #moves} in their order, the labels of the maps and their copies. */
    public static int[] labels(int[] labels, int shifts) {
        int copies = moves(shifts).size();
        int[] all = new int[labels.length * copies];
        for (int c = 0; c < copies; c++) System.arraycopy(labels, 0, all, c * labels.length, labels.length);
        return all;
    }

    /**
     * Moves each of the maps {@code in} {@code [n, h, w, c]} (C order) by {@code dy} rows down and
     * {@code dx} columns right (negative: up, left): {@code out[i][y][x] = in[i][y - dy][x - dx]} where
     * that position is inside the map, otherwise {@code fill[y][x]} ({@code [h, w, c]}; zeros when
     * {@code fill} is null). What moves past the far side is dropped.
     *
     * @throws GlassboxException when a move is as large as the map, or an array does not hold the shape
     */
    public static float[] move(float[] in, MapShape shape, int dy, int dx, float[] fill) {
        int h = shape.gridH();
        int w = shape.gridW();
        int c = shape.channels();
        int size = h * w * c;
        if (Math.abs(dy) >= h || Math.abs(dx) >= w) {
            throw new GlassboxException("shifted copies: a move of (" + dy + ", " + dx + ") positions leaves nothing of "
                    + h + " x " + w + " maps (expected moves smaller than the map)");
        }
        if (in.length % size != 0 || fill != null && fill.length != size) {
            throw new GlassboxException("shifted copies: " + in.length + " values are not whole maps of shape " + shape
                    + (fill == null ? "" : " or the fill holds " + fill.length + " values (expected " + size + ")"));
        }
        int n = in.length / size;
        float[] out = new float[in.length];
        if (fill != null) {
            for (int i = 0; i < n; i++) System.arraycopy(fill, 0, out, i * size, size);
        }
        int rowLength = (w - Math.abs(dx)) * c;
        for (int i = 0; i < n; i++) {
            for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                int from = ((i * h + y - dy) * w + Math.max(0, -dx)) * c;
                int to = ((i * h + y) * w + Math.max(0, dx)) * c;
                System.arraycopy(in, from, out, to, rowLength);
            }
        }
        return out;
    }
}
