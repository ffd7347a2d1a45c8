package org.glassbox.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well a recovered layout matches the true one, on the pixels that vary (the others cannot be
 * placed from statistics and are left out). All three measures use only distances between pixels,
 * so they are the same for the answer rotated by 90 degrees, flipped or shifted.
 *
 * @param neighbours4 of all (pixel, true 4-neighbour) pairs of varying pixels, the share whose
 *                    recovered cells are 4-adjacent too: on a grid, each pixel's 4 nearest cells
 * @param neighbours8 the same with the 8 cells around (4-adjacent and diagonal)
 * @param spearman Spearman's rank correlation of the true and the recovered Euclidean distances of
 *                 all pairs of varying pixels
 * @param varying pixels that vary, on which the measures are taken
 * @param constant pixels that never vary, left out
 */
public record LayoutMetrics(@JsonProperty("neighbours_4") double neighbours4,
                            @JsonProperty("neighbours_8") double neighbours8,
                            double spearman,
                            @JsonProperty("varying_pixels") int varying,
                            @JsonProperty("constant_pixels") int constant) {

    /**
     * Compares {@code recoveredCell[j]} with {@code trueCell[j]} (cells row-major on a grid of
     * {@code width} columns) for the pixels {@code varying} only.
     */
    public static LayoutMetrics of(int[] trueCell, int[] recoveredCell, int width, int[] varying) {
        int n = varying.length;
        int[] tr = new int[n];
        int[] tc = new int[n];
        int[] rr = new int[n];
        int[] rc = new int[n];
        for (int a = 0; a < n; a++) {
            tr[a] = trueCell[varying[a]] / width;
            tc[a] = trueCell[varying[a]] % width;
            rr[a] = recoveredCell[varying[a]] / width;
            rc[a] = recoveredCell[varying[a]] % width;
        }
        long true4 = 0;
        long hit4 = 0;
        long true8 = 0;
        long hit8 = 0;
        int pairs = n * (n - 1) / 2;
        double[] dt = new double[pairs];
        double[] dr = new double[pairs];
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                int ty = Math.abs(tr[a] - tr[b]);
                int tx = Math.abs(tc[a] - tc[b]);
                int ry = Math.abs(rr[a] - rr[b]);
                int rx = Math.abs(rc[a] - rc[b]);
                if (ty + tx == 1) {
                    true4++;
                    if (ry + rx == 1) hit4++;
                }
                if (Math.max(ty, tx) == 1) {
                    true8++;
                    if (Math.max(ry, rx) == 1) hit8++;
                }
                dt[k] = Math.sqrt(ty * ty + tx * tx);
                dr[k] = Math.sqrt(ry * ry + rx * rx);
                k++;
            }
        }
        double spearman = pairs < 2 ? Double.NaN : new SpearmansCorrelation().correlation(dt, dr);
        return new LayoutMetrics(share(hit4, true4), share(hit8, true8), round(spearman), n,
                trueCell.length - n);
    }

    private static double share(long hit, long total) {
        return total == 0 ? Double.NaN : round((double) hit / total);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
