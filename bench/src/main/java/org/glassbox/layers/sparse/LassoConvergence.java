package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.Locale;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether the LASSO solver converges, and how fast, on real whitened patches ({@link PatchData})
 * with a dictionary of patches sampled from the same data: one call of {@link WorkingSetLasso}
 * with at most 1,000 passes per row and a relative duality-gap tolerance of 1e-4, then the most
 * passes any row took, the largest relative gap, the mean objective 1/2 ||x - a D||^2 +
 * lambda ||a||_1 ({@link LassoObjective#mean}) and a hash of the codes, so that two builds can be
 * compared for identical output.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.glassbox.layers.sparse.LassoConvergence SIDE ATOMS LAMBDA NONNEGATIVE ROWS
 * </pre>
 */
public final class LassoConvergence {
    private LassoConvergence() {
    }

    public static void main(String[] args) {
        int side = Integer.parseInt(args[0]);
        int atoms = Integer.parseInt(args[1]);
        double lambda = Double.parseDouble(args[2]);
        boolean nonNegative = Boolean.parseBoolean(args[3]);
        int rows = Integer.parseInt(args[4]);
        Pipeline whitener = PatchData.whitener(side);
        INDArray x = PatchData.whitenedPatches(whitener, rows, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        long t0 = System.nanoTime();
        WorkingSetLasso.Result result = new WorkingSetLasso(dict, lambda, nonNegative, 1000, 1e-4).solve(x);
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] codes = result.codes().dup('c').data().asFloat();
        double objective = LassoObjective.mean(x, result.codes(), dict, lambda);
        System.out.printf(Locale.ROOT, "d = %d, K = %d, lambda = %s, nonNegative = %s, %d rows: most passes %d,"
                + " largest relative gap %.3g, mean objective %.6f, codes hash %08x, %.2f s%n", side * side, atoms,
                args[2], nonNegative, rows, result.passes(), result.largestGap(), objective, Arrays.hashCode(codes), seconds);
    }
}
