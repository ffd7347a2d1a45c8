package org.glassbox.layers.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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

    /** J at {@code theta} by {@link LinearReadoutTest#objective}, with its gradient into {@code gradient} in theta's layout. */
    private static double reference(float[] x, int[] y, double[] theta, double[] gradient) {
        double[][] rows = new double[y.length][DIMS];
        for (int i = 0; i < y.length; i++) for (int f = 0; f < DIMS; f++) rows[i][f] = x[i * DIMS + f];
        double[][] w = new double[CLASSES][];
        for (int c = 0; c < CLASSES; c++) w[c] = Arrays.copyOfRange(theta, c * DIMS, (c + 1) * DIMS);
        double[] b = Arrays.copyOfRange(theta, CLASSES * DIMS, theta.length);
        double[][] gw = new double[CLASSES][DIMS];
        double[] gb = new double[CLASSES];
        double value = LinearReadoutTest.objective(rows, y, w, b, L2, gw, gb);
        for (int c = 0; c < CLASSES; c++) System.arraycopy(gw[c], 0, gradient, c * DIMS, DIMS);
        System.arraycopy(gb, 0, gradient, CLASSES * DIMS, CLASSES);
        return value;
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
