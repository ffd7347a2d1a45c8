package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianTest {
    @Test
    void matchesBruteForceOnSmallRectangularProblems() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(5);
            int m = n + random.nextInt(3);
            double[][] cost = new double[n][m];
            for (double[] row : cost) for (int j = 0; j < m; j++) row[j] = random.nextInt(20) - 5;
            int[] a = Hungarian.assign(cost);
            boolean[] used = new boolean[m];
            double total = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(false, used[a[i]], "columns are distinct");
                used[a[i]] = true;
                total += cost[i][a[i]];
            }
            assertEquals(best(cost, 0, new boolean[m]), total, 1e-9);
        }
    }

    private static double best(double[][] cost, int row, boolean[] used) {
        if (row == cost.length) return 0;
        double b = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cost[0].length; j++) {
            if (used[j]) continue;
            used[j] = true;
            b = Math.min(b, cost[row][j] + best(cost, row + 1, used));
            used[j] = false;
        }
        return b;
    }
}
