package org.glassbox.layers.sparse;

import org.glassbox.framework.array.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sparse-coding objective, averaged over samples, for rows x of X {@code [n, d]}, codes a of
 * A {@code [n, K]} and dictionary D {@code [K, d]}:
 *
 * <pre>
 *   (1/n) sum_i [ 1/2 ||x_i - a_i D||^2 + lambda ||a_i||_1 ]
 * </pre>
 *
 * accumulated in float64 (the reconstruction A D is one float32 matrix product). It is what FISTA
 * minimises over A and what dictionary learning lowers over D (Mairal et al., JMLR 2010, eq. 1).
 */
final class LassoObjective {
    private LassoObjective() {
    }

    /** The mean objective; none of the arguments is modified. */
    static double mean(INDArray x, INDArray codes, INDArray dictionary, double lambda) {
        Shapes.require("objective dictionary", dictionary, Shapes.ANY, Shapes.ANY);
        Shapes.require("objective input", x, Shapes.ANY, dictionary.size(1));
        Shapes.require("objective codes", codes, x.size(0), dictionary.size(0));
        NativeRows xs = NativeRows.of(x);
        NativeRows as = NativeRows.of(codes);
        NativeRows recon = NativeRows.of(Nd4j.gemm(codes, dictionary, false, false));
        float[] xr = new float[xs.cols];
        float[] rr = new float[xs.cols];
        float[] ar = new float[as.cols];
        double total = 0;
        for (int i = 0; i < xs.rows; i++) {
            xs.get(i, xr, 0);
            recon.get(i, rr, 0);
            as.get(i, ar, 0);
            double sq = 0;
            for (int j = 0; j < xr.length; j++) {
                double e = (double) xr[j] - rr[j];
                sq += e * e;
            }
            double l1 = 0;
            for (float v : ar) l1 += Math.abs(v);
            total += 0.5 * sq + lambda * l1;
        }
        return xs.rows == 0 ? 0 : total / xs.rows;
    }
}
