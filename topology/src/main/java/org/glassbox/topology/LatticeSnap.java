package org.glassbox.topology;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Turns the embedding into lattice coordinates. The embedding is right locally (neighbours one
 * unit apart) but bends slowly across the image, so rounding its coordinates, or assigning them
 * to the grid as they are, breaks neighbours apart where the bend has turned the local lattice.
 * Instead: rotate the embedding so that its edges line up with the axes (the circular mean of
 * four times their angles), round every edge to a lattice step (one of the 4 unit steps, or of
 * the 4 diagonal steps for a diagonal edge), and find the coordinates whose differences best
 * match those steps (weighted least squares on the graph, re-weighted 1 / max(residual, 1/4) to
 * discount wrong edges). A bend no more than 45 degrees from the mean orientation disappears,
 * because each edge keeps only its lattice step. Last, the coordinates are shifted so that their
 * fractional parts are centred on the grid's cells.
 */
public final class LatticeSnap {
    /** Re-weighting rounds of the least squares. */
    static final int ROUNDS = 6;
    /** Residuals below this count as this, in the re-weighting. */
    static final double RESIDUAL_FLOOR = 0.25;

    private LatticeSnap() {
    }

    /** Lattice coordinates {@code [n][2]} (row, column) of the embedding {@code y} of {@code graph}, near {@code centre}. */
    public static double[][] snap(NeighbourGraph graph, double[][] y, double centreRow, double centreColumn) {
        int n = y.length;
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (graph.edge(i, j)) edges.add(new int[] {i, j, 0});
                else if (graph.diagonal(i, j)) edges.add(new int[] {i, j, 1});
            }
        }
        double sc = 0;
        double ss = 0;
        for (int[] e : edges) {
            double a = Math.atan2(y[e[1]][1] - y[e[0]][1], y[e[1]][0] - y[e[0]][0]) - (e[2] == 1 ? Math.PI / 4 : 0);
            sc += Math.cos(4 * a);
            ss += Math.sin(4 * a);
        }
        double theta = Math.atan2(ss, sc) / 4;
        double cos = Math.cos(-theta);
        double sin = Math.sin(-theta);
        double[][] r = new double[n][2];
        for (int i = 0; i < n; i++) {
            r[i][0] = cos * y[i][0] - sin * y[i][1];
            r[i][1] = sin * y[i][0] + cos * y[i][1];
        }
        int m = edges.size();
        double[][] step = new double[m][2];
        for (int k = 0; k < m; k++) {
            int[] e = edges.get(k);
            for (int c = 0; c < 2; c++) {
                step[k][c] = Math.max(-1, Math.min(1, Math.rint(r[e[1]][c] - r[e[0]][c])));
            }
        }
        double[] weight = new double[m];
        java.util.Arrays.fill(weight, 1);
        double[][] g = new double[n][2];
        for (int round = 0; round < ROUNDS; round++) {
            g = solve(n, edges, step, weight);
            for (int k = 0; k < m; k++) {
                int[] e = edges.get(k);
                double dx = g[e[1]][0] - g[e[0]][0] - step[k][0];
                double dy = g[e[1]][1] - g[e[0]][1] - step[k][1];
                weight[k] = 1 / Math.max(Math.sqrt(dx * dx + dy * dy), RESIDUAL_FLOOR);
            }
        }
        double[] centre = {centreRow, centreColumn};
        for (int c = 0; c < 2; c++) {
            double fc = 0;
            double fs = 0;
            double mean = 0;
            for (double[] p : g) {
                fc += Math.cos(2 * Math.PI * p[c]);
                fs += Math.sin(2 * Math.PI * p[c]);
            }
            double offset = Math.atan2(fs, fc) / (2 * Math.PI);
            for (double[] p : g) mean += (p[c] - offset) / n;
            double shift = offset + Math.rint(mean - centre[c]);
            // Cells are at whole coordinates; the grid's centre may lie between cells.
            for (double[] p : g) p[c] -= shift;
        }
        return g;
    }

    /** Weighted least squares {@code min sum w_k |g_j - g_i - step_k|^2} with mean zero. */
    private static double[][] solve(int n, List<int[]> edges, double[][] step, double[] weight) {
        DMatrixRMaj l = new DMatrixRMaj(n, n);
        DMatrixRMaj b = new DMatrixRMaj(n, 2);
        for (int k = 0; k < edges.size(); k++) {
            int i = edges.get(k)[0];
            int j = edges.get(k)[1];
            double w = weight[k];
            l.add(i, i, w);
            l.add(j, j, w);
            l.add(i, j, -w);
            l.add(j, i, -w);
            for (int c = 0; c < 2; c++) {
                b.add(j, c, w * step[k][c]);
                b.add(i, c, -w * step[k][c]);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) l.add(i, j, 1.0 / n);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
        DMatrixRMaj x = new DMatrixRMaj(n, 2);
        if (!solver.setA(l)) throw new IllegalStateException("lattice coordinates: the graph Laplacian is singular");
        solver.solve(b, x);
        double[][] g = new double[n][2];
        for (int i = 0; i < n; i++) {
            g[i][0] = x.get(i, 0);
            g[i][1] = x.get(i, 1);
        }
        return g;
    }
}
