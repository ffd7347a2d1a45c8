package org.glassbox.layers.sparse;

import java.util.Arrays;
import java.util.Locale;
import org.glassbox.bench.common.PatchData;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The LASSO solver's full check alone, q~ = c - a G over all K atoms in float32 for every row, in
 * its two forms: one Gram row per pass over q ({@link WorkingSetLasso#subtractRow} once per
 * non-zero code) and four per pass ({@link WorkingSetLasso#subtractRows}, the form the solver
 * uses). The codes are the solver's own at gap
 * 1e-4 on 1,024 real whitened patches ({@link PatchData}, lambda = 0.5), so each row subtracts the
 * Gram rows of its real support. One thread; the two forms alternate round by round; it prints
 * each one's fastest and median milliseconds for all rows, after checking that both give every row's
 * q to the bit.
 *
 * <pre>
 *   java -Xmx4g -cp bench/target/benchmarks.jar org.glassbox.layers.sparse.FullCheckTimes SIDE ATOMS ROUNDS
 * </pre>
 */
public final class FullCheckTimes {
    private static final int ROWS = 1024;

    private FullCheckTimes() {
    }

    /** q = row i of c minus its codes times their Gram rows, in form 0 (one row per pass) or 1 (four). */
    private static void fullCheck(int form, float[] c, int i, int atoms, double[] codes, float[][] rows, float[] q) {
        System.arraycopy(c, i * atoms, q, 0, atoms);
        if (form == 0) {
            for (int s = 0; s < codes.length; s++) WorkingSetLasso.subtractRow(q, (float) codes[s], rows[s]);
        } else {
            WorkingSetLasso.subtractRows(q, codes, rows, codes.length);
        }
    }

    public static void main(String[] args) {
        int side = Integer.parseInt(args[0]);
        int atoms = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Pipeline whitener = PatchData.whitener(side);
        INDArray x = PatchData.whitenedPatches(whitener, ROWS, 1L);
        INDArray dict = PatchData.benchmarkDictionary(whitener, atoms);
        float[] codes = new WorkingSetLasso(dict, 0.5, false, 1000, 1e-4).encode(x).data().asFloat();
        float[] c = Nd4j.gemm(x, dict, false, true).data().asFloat();
        float[][] gram = SupportOracle.javaRows(Nd4j.gemm(dict, dict, false, true));
        double[][] values = new double[ROWS][];
        float[][][] rows = new float[ROWS][][];
        long nonZeros = 0;
        for (int i = 0; i < ROWS; i++) {
            int[] support = new int[atoms];
            int m = 0;
            for (int k = 0; k < atoms; k++) {
                if (codes[i * atoms + k] != 0) support[m++] = k;
            }
            values[i] = new double[m];
            rows[i] = new float[m][];
            for (int s = 0; s < m; s++) {
                values[i][s] = codes[i * atoms + support[s]];
                rows[i][s] = gram[support[s]];
            }
            nonZeros += m;
        }
        float[] q = new float[atoms];
        float[] check = new float[atoms];
        for (int i = 0; i < ROWS; i++) {
            fullCheck(0, c, i, atoms, values[i], rows[i], check);
            fullCheck(1, c, i, atoms, values[i], rows[i], q);
            if (!Arrays.equals(check, q)) {
                throw new IllegalStateException("row " + i + ": the two forms gave different values");
            }
        }
        double[][] ms = new double[2][rounds];
        for (int r = -5; r < rounds; r++) {
            for (int form = 0; form < 2; form++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < ROWS; i++) fullCheck(form, c, i, atoms, values[i], rows[i], q);
                if (r >= 0) {
                    ms[form][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        System.out.printf(Locale.ROOT, "d = %d, K = %d, %d rows, %.1f non-zero codes per row, %d rounds, one thread%n",
                side * side, atoms, ROWS, (double) nonZeros / ROWS, rounds);
        String[] names = {"one Gram row per pass", "four Gram rows per pass"};
        for (int form = 0; form < 2; form++) {
            Arrays.sort(ms[form]);
            System.out.printf(Locale.ROOT, "%-24s fastest %7.3f ms  median %7.3f ms%n", names[form], ms[form][0],
                    ms[form][rounds / 2]);
        }
    }
}
