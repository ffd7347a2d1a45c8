package org.glassbox.topology;

import java.util.SplittableRandom;

/**
 * Improves an assignment of pixels to grid cells by moves that raise the sum of the dependence
 * scores (negative ones counted as 0) of every pair of 4-adjacent cells: a pixel moves to a cell
 * at most {@link #RADIUS} rows and columns away, swapping with the pixel there if the cell is
 * taken. Moves that lower the sum are taken with probability exp(change / T), T falling
 * geometrically from {@link #START_TEMPERATURE} to a thousandth of it (simulated annealing), so
 * that a few pixels misplaced together can still get out. Deterministic for a seed.
 */
public final class SwapRefinement {
    /** How far a pixel may move in one step, in rows and in columns. */
    static final int RADIUS = 3;
    /** The starting temperature, in units of partial correlation. */
    static final double START_TEMPERATURE = 0.05;
    /** Moves per pixel. */
    static final int MOVES_PER_PIXEL = 30_000;

    private SwapRefinement() {
    }

    /**
     * Refines {@code cell} (each pixel's cell, row-major on a {@code height x width} grid; distinct)
     * in place, with {@code scores} as the dependence. Returns the sum after.
     */
    public static double refine(int[] cell, double[][] scores, int height, int width, long seed, long moves) {
        int n = cell.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) s[i][j] = Math.max(scores[i][j], 0);
        }
        int[] grid = new int[height * width];
        java.util.Arrays.fill(grid, -1);
        for (int i = 0; i < n; i++) grid[cell[i]] = i;
        SplittableRandom random = new SplittableRandom(seed);
        int span = 2 * RADIUS + 1;
        for (long m = 0; m < moves; m++) {
            double t = START_TEMPERATURE * Math.pow(1e-3, (double) m / moves);
            int i = random.nextInt(n);
            int ri = cell[i] / width;
            int ci = cell[i] % width;
            int r = ri + random.nextInt(span) - RADIUS;
            int c = ci + random.nextInt(span) - RADIUS;
            if (r < 0 || r >= height || c < 0 || c >= width || (r == ri && c == ci)) continue;
            int target = r * width + c;
            int j = grid[target];
            double before = around(i, ri, ci, grid, s, height, width) + (j >= 0 ? around(j, r, c, grid, s, height, width) : 0);
            grid[cell[i]] = j;
            grid[target] = i;
            double after = around(i, r, c, grid, s, height, width) + (j >= 0 ? around(j, ri, ci, grid, s, height, width) : 0);
            double change = after - before;
            if (change >= 0 || random.nextDouble() < Math.exp(change / t)) {
                if (j >= 0) cell[j] = cell[i];
                cell[i] = target;
            } else {
                grid[cell[i]] = i;
                grid[target] = j;
            }
        }
        return objective(cell, scores, height, width);
    }

    /** The sum of the scores (negative ones as 0) of {@code i} with the pixels 4-adjacent to cell (r, c). */
    private static double around(int i, int r, int c, int[] grid, double[][] s, int height, int width) {
        double sum = 0;
        if (r > 0) sum += score(i, grid[(r - 1) * width + c], s);
        if (r + 1 < height) sum += score(i, grid[(r + 1) * width + c], s);
        if (c > 0) sum += score(i, grid[r * width + c - 1], s);
        if (c + 1 < width) sum += score(i, grid[r * width + c + 1], s);
        return sum;
    }

    private static double score(int i, int j, double[][] s) {
        return j < 0 || j == i ? 0 : s[i][j];
    }

    /** The sum over 4-adjacent pairs of cells of their pixels' scores (negative ones as 0). */
    public static double objective(int[] cell, double[][] scores, int height, int width) {
        int[] grid = new int[height * width];
        java.util.Arrays.fill(grid, -1);
        for (int i = 0; i < cell.length; i++) grid[cell[i]] = i;
        double sum = 0;
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int i = grid[r * width + c];
                if (i < 0) continue;
                if (r + 1 < height && grid[(r + 1) * width + c] >= 0) sum += Math.max(scores[i][grid[(r + 1) * width + c]], 0);
                if (c + 1 < width && grid[r * width + c + 1] >= 0) sum += Math.max(scores[i][grid[r * width + c + 1]], 0);
            }
        }
        return sum;
    }
}
