package org.glassbox.bench.common;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's float32 matrix-product rate through ND4J (OpenBLAS sgemm), the anchor every
 * encoder's rate is set against: C = A B for A {@code [m, k]}, B {@code [k, n]} costs 2 m k n
 * floating-point operations (one multiply and one add per term).
 */
public final class GemmRate {
    private GemmRate() {
    }

    /** The median GFLOP/s of {@code reps} timed products [m, k] x [k, n] (after two untimed ones). */
    public static double gflops(int m, int k, int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        double[] rates = new double[reps];
        for (int r = -2; r < reps; r++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            long t1 = System.nanoTime();
            if (r >= 0) {
                rates[r] = 2.0 * m * k * n / (t1 - t0);
            }
        }
        Arrays.sort(rates);
        return rates[reps / 2];
    }
}
