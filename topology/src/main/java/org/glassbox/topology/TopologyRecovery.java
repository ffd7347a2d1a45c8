package org.glassbox.topology;

import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Recovers the pixel grid of images from their statistics alone (docs/topology.md): the
 * dependence of every pair of pixels ({@link PixelDependence}, partial correlations), a mutual
 * nearest-neighbour graph ({@link NeighbourGraph}), a 2-D embedding by stress majorisation
 * ({@link StressEmbedding}), lattice coordinates that follow the embedding's bends
 * ({@link LatticeSnap}), an assignment of pixels to cells ({@link Hungarian}), and annealed
 * swaps that raise the dependence of grid neighbours ({@link SwapRefinement}). Pixels that never
 * vary fill the cells left free.
 */
public final class TopologyRecovery {
    private TopologyRecovery() {
    }

    /**
     * What the recovery found.
     *
     * @param layout the recovered layout of the input pixels
     * @param dependence the measured dependence (which pixels vary, the scores)
     * @param seconds wall time of the recovery
     */
    public record Result(Layout layout, PixelDependence dependence, double seconds) {
    }

    /**
     * Recovers the layout of {@code trainImages} {@code [n, height, width, channels]} onto a grid of
     * the same size; {@code seed} seeds the annealing.
     */
    public static Result recover(INDArray trainImages, String name, long seed, Progress progress) {
        long start = System.nanoTime();
        int height = (int) trainImages.size(1);
        int width = (int) trainImages.size(2);
        try (Progress.Task task = progress.task("topology", 5)) {
            PixelDependence dependence = PixelDependence.measure(trainImages, name);
            task.step(1);
            NeighbourGraph graph = NeighbourGraph.build(dependence.scores());
            double[][] y = StressEmbedding.embed(graph);
            task.step(1);
            double[][] g = LatticeSnap.snap(graph, y, (height - 1) / 2.0, (width - 1) / 2.0);
            task.step(1);
            int n = dependence.size();
            double[][] cost = new double[n][height * width];
            for (int i = 0; i < n; i++) {
                for (int cell = 0; cell < height * width; cell++) {
                    double dy = g[i][0] - cell / width;
                    double dx = g[i][1] - cell % width;
                    cost[i][cell] = dy * dy + dx * dx;
                }
            }
            int[] cell = Hungarian.assign(cost);
            task.step(1);
            SwapRefinement.refine(cell, dependence.scores(), height, width, seed,
                    (long) SwapRefinement.MOVES_PER_PIXEL * n);
            task.step(1);
            int[] pixelAt = new int[height * width];
            java.util.Arrays.fill(pixelAt, -1);
            for (int i = 0; i < n; i++) pixelAt[cell[i]] = dependence.varying()[i];
            int next = 0;
            for (int c = 0; c < pixelAt.length; c++) {
                if (pixelAt[c] < 0) pixelAt[c] = dependence.constant()[next++];
            }
            Layout layout = new Layout(height, width, pixelAt, dependence.constant());
            return new Result(layout, dependence, Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        }
    }
}
