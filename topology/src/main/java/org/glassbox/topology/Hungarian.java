package org.glassbox.topology;

import java.util.Arrays;

/**
 * The minimum-cost assignment of {@code n} rows to distinct columns among {@code m >= n}
 * (Kuhn-Munkres with potentials, O(n^2 m)). Apache Commons Math and EJML have none.
 */
public final class Hungarian {
    private Hungarian() {
    }

    /** For each row, its column; {@code cost[n][m]}, {@code n <= m}. */
    public static int[] assign(double[][] cost) {
        int n = cost.length;
        int m = n == 0 ? 0 : cost[0].length;
        if (n > m) throw new IllegalArgumentException("more rows (" + n + ") than columns (" + m + ")");
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                double[] row = cost[i0 - 1];
                for (int j = 1; j <= m; j++) {
                    if (used[j]) continue;
                    double cur = row[j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] column = new int[n];
        for (int j = 1; j <= m; j++) if (p[j] != 0) column[p[j] - 1] = j - 1;
        return column;
    }
}
