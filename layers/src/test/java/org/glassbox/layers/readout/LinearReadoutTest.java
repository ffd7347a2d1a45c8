package org.glassbox.layers.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.error.ShapeMismatchException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FileMapSource;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearReadoutTest {
    private static final MapShape SHAPE = new MapShape(2, 2, 3);

    /** J and its gradient in plain float64, independent of the solver. */
    static double objective(double[][] x, int[] y, double[][] w, double[] b, double l2, double[][] gw, double[] gb) {
        int n = x.length;
        int classes = b.length;
        double loss = 0;
        for (double[] row : gw) java.util.Arrays.fill(row, 0);
        java.util.Arrays.fill(gb, 0);
        for (int i = 0; i < n; i++) {
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                z[c] = b[c];
                for (int j = 0; j < x[i].length; j++) z[c] += w[c][j] * x[i][j];
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.exp(z[c] - max);
            loss += Math.log(sum) + max - z[y[i]];
            for (int c = 0; c < classes; c++) {
                double d = (Math.exp(z[c] - max) / sum - (c == y[i] ? 1 : 0)) / n;
                gb[c] += d;
                for (int j = 0; j < x[i].length; j++) gw[c][j] += d * x[i][j];
            }
        }
        double pen = 0;
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < w[c].length; j++) {
                gw[c][j] += l2 * w[c][j];
                pen += w[c][j] * w[c][j];
            }
        }
        return loss / n + 0.5 * l2 * pen;
    }

    @Test
    void reachesTheMinimumOfThePenalisedLogLoss() {
        ReadoutData d = ReadoutData.clusters(90, 3, 0.9, 11);
        LinearSpec spec = new LinearSpec(3, 0.05, 500, 1e-7);
        LinearReadout linear = spec.fit("linear", MapSource.of(d.maps), d.labels, FitContext.silent(1));
        double[][] x = d.maps.reshape(90, 12).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] w = linear.weights().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = linear.bias().castTo(DataType.DOUBLE).toDoubleVector();
        double[][] gw = new double[3][12];
        double[] gb = new double[3];
        double best = objective(x, d.labels, w, b, 0.05, gw, gb);
        double maxGrad = 0;
        for (double[] row : gw) for (double g : row) maxGrad = Math.max(maxGrad, Math.abs(g));
        for (double g : gb) maxGrad = Math.max(maxGrad, Math.abs(g));
        assertTrue(maxGrad < 1e-5, "the gradient vanishes at the solution: max |dJ| = " + maxGrad);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            double[][] w2 = new double[3][];
            for (int c = 0; c < 3; c++) {
                w2[c] = w[c].clone();
                for (int j = 0; j < 12; j++) w2[c][j] += 0.01 * (rng.nextDouble() - 0.5);
            }
            double[] b2 = b.clone();
            b2[t % 3] += 0.01;
            assertTrue(objective(x, d.labels, w2, b2, 0.05, new double[3][12], new double[3]) > best,
                    "a perturbed point has a larger objective");
        }
    }

    /** Fits {@code spec} on the clusters, recording its progress task: {iterations stepped, 1 if ended early}. */
    private static int[] solverProgress(LinearSpec spec) {
        ReadoutData d = ReadoutData.clusters(90, 3, 0.9, 11);
        int[] recorded = new int[2];
        Progress recording = (name, total) -> new Progress.Task() {
            @Override
            public void step(long units) {
                recorded[0] += (int) units;
            }

            @Override
            public void endEarly() {
                recorded[1] = 1;
            }

            @Override
            public void close() {
            }
        };
        spec.fit("linear", MapSource.of(d.maps), d.labels, new FitContext(1, recording));
        return recorded;
    }

    @Test
    void theSolversProgressEndsEarlyWhenItConvergesBeforeItsLastIteration() {
        int[] converged = solverProgress(new LinearSpec(3, 0.05, 500, 1e-7));
        assertTrue(converged[0] > 3 && converged[0] < 500, converged[0] + " iterations");
        assertEquals(1, converged[1], "the task ends early");
        assertArrayEquals(new int[] {3, 0}, solverProgress(new LinearSpec(3, 0.05, 3, 1e-7)),
                "three iterations of three: the task is closed at its total");
    }

    @Test
    void featuresInChunkFilesReachTheSameMinimumReadAChunkAtATime(@TempDir Path dir) {
        ReadoutData d = ReadoutData.clusters(90, 3, 0.9, 11);
        LinearSpec spec = new LinearSpec(3, 0.05, 500, 1e-7);
        LinearReadout inMemory = spec.fit("linear", MapSource.of(d.maps), d.labels, FitContext.silent(1));
        try (FileMapSource files = FileMapSource.write(dir.resolve("features"), MapSource.of(d.maps), 32, 10, n -> { })) {
            LinearReadout streamed = spec.fit("linear", files, d.labels, FitContext.silent(1));
            double[][] x = d.maps.reshape(90, 12).castTo(DataType.DOUBLE).toDoubleMatrix();
            double[][] w = streamed.weights().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] b = streamed.bias().castTo(DataType.DOUBLE).toDoubleVector();
            double[][] gw = new double[3][12];
            double[] gb = new double[3];
            objective(x, d.labels, w, b, 0.05, gw, gb);
            double maxGrad = 0;
            for (double[] row : gw) for (double g : row) maxGrad = Math.max(maxGrad, Math.abs(g));
            for (double g : gb) maxGrad = Math.max(maxGrad, Math.abs(g));
            assertTrue(maxGrad < 1e-5, "the gradient vanishes at the solution of three chunks: max |dJ| = " + maxGrad);
            double[] a = inMemory.weights().dup().data().asDouble();
            double[] c = streamed.weights().dup().data().asDouble();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], c[i], 1e-4, "weight " + i);
            assertEquals(SHAPE, streamed.inputShape());
        }
    }

    @Test
    void contributionsPlusBiasSumExactlyToTheScores() {
        ReadoutData d = ReadoutData.clusters(60, 3, 0.5, 12);
        LinearReadout linear = LinearSpec.defaults(3).fit("linear", MapSource.of(d.maps), d.labels, FitContext.silent(1));
        ReadoutData test = ReadoutData.clusters(9, 3, 0.5, 13);
        INDArray scores = linear.encode(test.maps);
        INDArray contributions = linear.contributions(test.maps);
        assertArrayEquals(new long[] {9, 3, 3}, contributions.shape());
        float[] bias = linear.bias().toFloatVector();
        for (int i = 0; i < 9; i++) {
            for (int c = 0; c < 3; c++) {
                double sum = bias[c];
                for (int k = 0; k < 3; k++) sum += contributions.getDouble(i, k, c);
                assertEquals(scores.getDouble(i, 0, 0, c), sum, 1e-5 * (1 + Math.abs(sum)), "item " + i + " class " + c);
            }
        }
        double[][] w = linear.weights().castTo(DataType.DOUBLE).toDoubleMatrix();
        double expected = 0;
        for (int pos = 0; pos < 4; pos++) expected += w[2][pos * 3 + 1] * test.maps.getDouble(5, pos / 2, pos % 2, 1);
        assertEquals(expected, contributions.getDouble(5, 1, 2), 1e-6, "channel 1's contribution to class 2");
    }

    @Test
    void separatesSeparableClassesAndIsDeterministic() {
        ReadoutData train = ReadoutData.clusters(120, 4, 0.1, 14);
        ReadoutData test = ReadoutData.clusters(40, 4, 0.1, 15);
        LinearReadout a = LinearSpec.defaults(4).fit("linear", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        LinearReadout b = LinearSpec.defaults(4).fit("linear", MapSource.of(train.maps), train.labels, FitContext.silent(2));
        assertEquals(1.0, ConfusionMatrix.accuracy(test.labels, a.predict(test.maps), 4));
        assertEquals(a.weights(), b.weights());
        assertEquals(a.bias(), b.bias());
    }

    @Test
    void rejectsInvalidSpecs() {
        assertEquals("invalid classes = 0: expected at least 2 classes",
                assertThrows(InvalidParameterException.class, () -> LinearSpec.defaults(0)).getMessage());
        assertEquals("invalid l2 = 0.0: expected a finite penalty > 0",
                assertThrows(InvalidParameterException.class, () -> LinearSpec.defaults(2).withL2(0)).getMessage());
        assertEquals("invalid maxIterations = 0: expected a positive number of iterations",
                assertThrows(InvalidParameterException.class, () -> LinearSpec.defaults(2).withMaxIterations(0)).getMessage());
        assertEquals("invalid tolerance = Infinity: expected a finite value > 0",
                assertThrows(InvalidParameterException.class,
                        () -> LinearSpec.defaults(2).withTolerance(Double.POSITIVE_INFINITY)).getMessage());
    }

    @Test
    void restoresFromAModelFolderWithIdenticalScores(@TempDir Path dir) {
        ReadoutData d = ReadoutData.clusters(40, 3, 0.5, 16);
        LinearReadout linear = LinearSpec.defaults(3).fit("linear", MapSource.of(d.maps), d.labels, FitContext.silent(1));
        Model model = new Model(Provenance.now(1, "synthetic", "none", 40), new Pipeline(SHAPE, List.of()),
                List.of(linear), Map.of());
        ModelFile.write(model, dir.resolve("m"));
        LinearReadout restored = (LinearReadout) ModelFile.read(dir.resolve("m")).readout("linear");
        assertEquals(linear.spec(), restored.spec());
        assertEquals(linear.encode(d.maps), restored.encode(d.maps));
        var wrong = assertThrows(ShapeMismatchException.class, () -> LayerKind.named("linear-readout").restore("linear",
                linear.spec(), SHAPE, Map.of("weights", Nd4j.zeros(DataType.FLOAT, 3, 11), "bias", linear.bias())));
        assertEquals("linear.weights: expected shape [3, 12] but got [3, 11]", wrong.getMessage());
    }
}
