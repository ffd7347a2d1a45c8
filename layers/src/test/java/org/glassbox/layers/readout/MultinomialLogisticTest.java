package org.glassbox.layers.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MultinomialLogisticTest {
    private static final int CLASSES = 3;
    private static final int DIMS = 4096;
    /** Two blocks of rows: 4,096 rows of 4,096 values make one block of {@link MultinomialLogistic#BLOCK_VALUES}, 104 more the second. */
    private static final int ROWS = 4200;
    private static final double L2 = 0.01;

    /** J at {@code theta} in plain float64 from the float32 features, with its gradient into {@code gradient}. */
    private static double reference(float[] x, int[] y, double[] theta, double[] gradient) {
        int n = y.length;
        int biasAt = CLASSES * DIMS;
        java.util.Arrays.fill(gradient, 0);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] z = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                z[c] = theta[biasAt + c];
                for (int f = 0; f < DIMS; f++) z[c] += theta[c * DIMS + f] * x[i * DIMS + f];
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) sum += Math.exp(z[c] - max);
            loss += Math.log(sum) + max - z[y[i]];
            for (int c = 0; c < CLASSES; c++) {
                double d = (Math.exp(z[c] - max) / sum - (c == y[i] ? 1 : 0)) / n;
                gradient[biasAt + c] += d;
                for (int f = 0; f < DIMS; f++) gradient[c * DIMS + f] += d * x[i * DIMS + f];
            }
        }
        double penalty = 0;
        for (int j = 0; j < biasAt; j++) {
            gradient[j] += L2 * theta[j];
            penalty += theta[j] * theta[j];
        }
        return loss / n + 0.5 * L2 * penalty;
    }

    @Test
    void rowsHeldInMemoryAreEvaluatedInBlocksThatGiveTheObjectiveAndItsGradient() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] values = new float[ROWS * DIMS];
        for (int i = 0; i < values.length; i++) values[i] = (float) rng.nextDouble(-1, 1) / 64;
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) labels[i] = rng.nextInt(CLASSES);
        double[] theta = new double[CLASSES * DIMS + CLASSES];
        for (int j = 0; j < theta.length; j++) theta[j] = rng.nextDouble(-1, 1);
        INDArray x = Nd4j.create(values, new long[] {ROWS, DIMS}, 'c');

        MultinomialLogistic inMemory = new MultinomialLogistic(x, labels, CLASSES, L2);
        double[] gradient = new double[inMemory.size()];
        double value = inMemory.evaluate(theta, gradient);
        double[] expected = new double[theta.length];
        assertEquals(reference(values, labels, theta, expected), value, 1e-5, "J");
        for (int j = 0; j < theta.length; j++) assertEquals(expected[j], gradient[j], 1e-6, "dJ/dtheta_" + j);

        int blockRows = (int) (MultinomialLogistic.BLOCK_VALUES / DIMS);
        MultinomialLogistic streamed = new MultinomialLogistic(visitor -> {
            for (int from = 0; from < ROWS; from += blockRows) {
                INDArray copy = x.get(NDArrayIndex.interval(from, Math.min(ROWS, from + blockRows)), NDArrayIndex.all()).dup('c');
                visitor.visit(copy, from);
            }
        }, DIMS, labels, CLASSES, L2);
        double[] streamedGradient = new double[theta.length];
        assertEquals(value, streamed.evaluate(theta, streamedGradient), 0, "the same blocks, held elsewhere");
        assertArrayEquals(gradient, streamedGradient, 0);
    }
}
