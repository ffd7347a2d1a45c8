package org.glassbox.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The pixels' neighbourhood graph, built from dependence scores alone: an edge of length 1
 * joins two pixels that are each among the other's {@link #K} highest scores (mutual nearest
 * neighbours: a noisy pixel that names a far pixel among its best is not named back); pieces left
 * apart are joined by their single highest-scoring pair. An edge of length sqrt(2) joins two
 * pixels not yet joined that share at least two neighbours, as the diagonal neighbours of a grid
 * do. Shortest paths over these lengths approximate distances on the grid.
 */
public final class NeighbourGraph {
    /** How many best-scoring pixels each pixel names. */
    public static final int K = 4;
    /** The length of a diagonal edge. */
    public static final double DIAGONAL = Math.sqrt(2);

    private final int n;
    private final boolean[][] edge;
    private final boolean[][] diagonal;

    private NeighbourGraph(int n, boolean[][] edge, boolean[][] diagonal) {
        this.n = n;
        this.edge = edge;
        this.diagonal = diagonal;
    }

    /** Builds the graph of the {@code scores} ({@code [n][n]}, higher is more dependent). */
    public static NeighbourGraph build(double[][] scores) {
        int n = scores.length;
        int k = Math.min(K, n - 1);
        boolean[][] named = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j : best(scores[i], i, k)) named[i][j] = true;
        }
        boolean[][] edge = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) edge[i][j] = named[i][j] && named[j][i];
        }
        dropEdgesOutsideSquares(edge);
        connect(scores, edge);
        boolean[][] diagonal = new boolean[n][n];
        List<int[]> adjacency = adjacency(edge);
        for (int i = 0; i < n; i++) {
            int[] common = new int[n];
            for (int a : adjacency.get(i)) {
                for (int j : adjacency.get(a)) common[j]++;
            }
            for (int j = 0; j < n; j++) diagonal[i][j] = j != i && common[j] >= 2 && !edge[i][j];
        }
        return new NeighbourGraph(n, edge, diagonal);
    }

    /** The {@code k} indices of the highest scores in {@code row}, skipping {@code self}; ties by index. */
    static int[] best(double[] row, int self, int k) {
        Integer[] order = new Integer[row.length];
        for (int j = 0; j < row.length; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> {
            if (a == self) return b == self ? 0 : 1;
            if (b == self) return -1;
            int c = Double.compare(row[b], row[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] r = new int[k];
        for (int i = 0; i < k; i++) r[i] = order[i];
        return r;
    }

    /**
     * Removes the edges that lie on no 4-cycle (i, j, l, k): the edges of a grid lie on one or
     * two unit squares, an edge between two far pixels that happen to name each other lies on none.
     */
    private static void dropEdgesOutsideSquares(boolean[][] edge) {
        int n = edge.length;
        List<int[]> adjacency = adjacency(edge);
        List<int[]> drop = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j : adjacency.get(i)) {
                if (j < i) continue;
                boolean square = false;
                for (int k : adjacency.get(i)) {
                    if (k == j) continue;
                    for (int l : adjacency.get(j)) {
                        if (l != i && l != k && edge[k][l]) {
                            square = true;
                            break;
                        }
                    }
                    if (square) break;
                }
                if (!square) drop.add(new int[] {i, j});
            }
        }
        for (int[] e : drop) {
            edge[e[0]][e[1]] = false;
            edge[e[1]][e[0]] = false;
        }
    }

    /** Joins the graph's pieces: each piece but the largest links to the rest by its highest-scoring pair. */
    private static void connect(double[][] scores, boolean[][] edge) {
        int n = scores.length;
        while (true) {
            int[] piece = pieces(edge);
            int count = Arrays.stream(piece).max().orElse(0) + 1;
            if (count <= 1) return;
            int[] sizes = new int[count];
            for (int p : piece) sizes[p]++;
            int largest = 0;
            for (int p = 1; p < count; p++) if (sizes[p] > sizes[largest]) largest = p;
            for (int p = 0; p < count; p++) {
                if (p == largest) continue;
                int bi = -1;
                int bj = -1;
                double bs = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (piece[i] != p) continue;
                    for (int j = 0; j < n; j++) {
                        if (piece[j] != p && scores[i][j] > bs) {
                            bs = scores[i][j];
                            bi = i;
                            bj = j;
                        }
                    }
                }
                edge[bi][bj] = true;
                edge[bj][bi] = true;
            }
        }
    }

    /** The connected piece of each node, numbered from 0 in order of first node. */
    private static int[] pieces(boolean[][] edge) {
        int n = edge.length;
        int[] piece = new int[n];
        Arrays.fill(piece, -1);
        int count = 0;
        int[] stack = new int[n];
        for (int s = 0; s < n; s++) {
            if (piece[s] >= 0) continue;
            int top = 0;
            stack[top++] = s;
            piece[s] = count;
            while (top > 0) {
                int i = stack[--top];
                for (int j = 0; j < n; j++) {
                    if (edge[i][j] && piece[j] < 0) {
                        piece[j] = count;
                        stack[top++] = j;
                    }
                }
            }
            count++;
        }
        return piece;
    }

    private static List<int[]> adjacency(boolean[][] edge) {
        List<int[]> r = new ArrayList<>();
        for (boolean[] row : edge) {
            int c = 0;
            for (boolean b : row) if (b) c++;
            int[] a = new int[c];
            for (int j = 0, t = 0; j < row.length; j++) if (row[j]) a[t++] = j;
            r.add(a);
        }
        return r;
    }

    /** The number of pixels. */
    public int size() {
        return n;
    }

    /** Whether {@code i} and {@code j} are joined by an edge of length 1. */
    public boolean edge(int i, int j) {
        return edge[i][j];
    }

    /** Whether {@code i} and {@code j} are joined by a diagonal edge (length sqrt(2)). */
    public boolean diagonal(int i, int j) {
        return diagonal[i][j];
    }

    /** All shortest-path lengths (Dijkstra from every node); the graph is connected. */
    public double[][] distances() {
        double[][] d = new double[n][];
        for (int s = 0; s < n; s++) d[s] = from(s);
        return d;
    }

    private double[] from(int s) {
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        dist[s] = 0;
        PriorityQueue<double[]> queue = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        queue.add(new double[] {0, s});
        boolean[] done = new boolean[n];
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int i = (int) top[1];
            if (done[i]) continue;
            done[i] = true;
            for (int j = 0; j < n; j++) {
                double len = edge[i][j] ? 1 : diagonal[i][j] ? DIAGONAL : 0;
                if (len > 0 && dist[i] + len < dist[j]) {
                    dist[j] = dist[i] + len;
                    queue.add(new double[] {dist[j], j});
                }
            }
        }
        return dist;
    }
}
