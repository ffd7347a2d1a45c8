package org.glassbox.layers.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KnnReadoutTest {
    private static final MapShape SHAPE = new MapShape(2, 2, 3);

    @Test
    void classifiesSeparableClustersPerfectly() {
        ReadoutData train = ReadoutData.clusters(120, 4, 0.1, 1);
        ReadoutData test = ReadoutData.clusters(60, 4, 0.1, 2);
        KnnReadout knn = KnnSpec.defaults(4).fit("knn", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        int[] predicted = knn.predict(test.maps);
        assertEquals(1.0, ConfusionMatrix.accuracy(test.labels, predicted, 4));
        assertArrayEquals(new long[] {60, 1, 1, 4}, knn.encode(test.maps).shape());
    }

    @Test
    void scoresAreTheTemperatureWeightedVoteSharesOfTheKNearest() {
        ReadoutData train = ReadoutData.clusters(50, 3, 0.8, 3);
        ReadoutData test = ReadoutData.clusters(7, 3, 0.8, 4);
        KnnSpec spec = new KnnSpec(3, 9, 0.2);
        KnnReadout knn = spec.fit("knn", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        float[][] scores = knn.encode(test.maps).reshape(7, 3).toFloatMatrix();
        double[][] x = flatRows(train.maps);
        double[][] q = flatRows(test.maps);
        for (int i = 0; i < 7; i++) {
            final int qi = i;
            Integer[] order = new Integer[50];
            for (int j = 0; j < 50; j++) order[j] = j;
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -cosine(q[qi], x[j])));
            double[] votes = new double[3];
            double total = 0;
            for (int r = 0; r < 9; r++) {
                double w = Math.exp(cosine(q[qi], x[order[r]]) / 0.2);
                votes[train.labels[order[r]]] += w;
                total += w;
            }
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                assertEquals(votes[c] / total, scores[i][c], 1e-5, "item " + i + " class " + c);
                sum += scores[i][c];
            }
            assertEquals(1.0, sum, 1e-5, "the shares of one input sum to 1");
        }
    }

    private static double[][] flatRows(INDArray maps) {
        return maps.reshape(maps.size(0), SHAPE.size()).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void normalisingInPlaceGivesTheSameBitsAsTheCopyAndLeavesZeroRowsZero() {
        INDArray rows = Nd4j.rand(DataType.FLOAT, 7, 13).subi(0.5).muli(3);
        rows.getRow(2).assign(0);
        INDArray copy = KnnReadout.normalizeRows(rows);
        KnnReadout.normalizeRowsInPlace(rows);
        assertArrayEquals(copy.data().asFloat(), rows.data().asFloat());
        assertEquals(0.0, rows.getRow(2).sumNumber().doubleValue());
        assertEquals(1.0, rows.getRow(0).norm2Number().doubleValue(), 1e-6);
    }

    @Test
    void refusesToNormaliseAViewInPlace() {
        INDArray view = Nd4j.rand(DataType.FLOAT, 6, 4).get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertEquals("rows to normalise in place must be a whole C-ordered float32 matrix",
                assertThrows(IllegalArgumentException.class, () -> KnnReadout.normalizeRowsInPlace(view)).getMessage());
    }

    @Test
    void rejectsInvalidSpecsLabelsAndTooFewSamples() {
        assertEquals("invalid classes = 1: expected at least 2 classes",
                assertThrows(InvalidParameterException.class, () -> new KnnSpec(1, 30, 0.07)).getMessage());
        assertEquals("invalid k = 0: expected a positive number of neighbours",
                assertThrows(InvalidParameterException.class, () -> KnnSpec.defaults(10).withK(0)).getMessage());
        assertEquals("invalid temperature = -1.0: expected a finite value > 0",
                assertThrows(InvalidParameterException.class, () -> KnnSpec.defaults(10).withTemperature(-1)).getMessage());
        ReadoutData d = ReadoutData.clusters(20, 2, 0.1, 5);
        assertEquals("invalid k = 30: expected at most the 20 training samples",
                assertThrows(InvalidParameterException.class,
                        () -> KnnSpec.defaults(2).fit("knn", MapSource.of(d.maps), d.labels, FitContext.silent(1))).getMessage());
        assertEquals("knn: 19 labels but the features have 20 samples (expected one label per sample)",
                assertThrows(GlassboxException.class, () -> KnnSpec.defaults(2).withK(3)
                        .fit("knn", MapSource.of(d.maps), Arrays.copyOf(d.labels, 19), FitContext.silent(1))).getMessage());
        int[] bad = d.labels.clone();
        bad[4] = 2;
        assertEquals("knn: label 2 of sample 4 is outside [0, 2)",
                assertThrows(GlassboxException.class, () -> KnnSpec.defaults(2).withK(3)
                        .fit("knn", MapSource.of(d.maps), bad, FitContext.silent(1))).getMessage());
    }

    @Test
    void restoresFromAModelFolderWithIdenticalScores(@TempDir Path dir) {
        ReadoutData train = ReadoutData.clusters(40, 3, 0.5, 6);
        KnnReadout knn = KnnSpec.defaults(3).withK(5).fit("knn", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        Model model = new Model(Provenance.now(1, "synthetic", "none", 40), new Pipeline(SHAPE, List.of()),
                List.of(knn), Map.of());
        ModelFile.write(model, dir.resolve("m"));
        Model back = ModelFile.read(dir.resolve("m"));
        KnnReadout restored = (KnnReadout) back.readout("knn");
        assertEquals(knn.spec(), restored.spec());
        assertArrayEquals(train.labels, restored.labels().toIntVector());
        ReadoutData test = ReadoutData.clusters(10, 3, 0.5, 7);
        assertEquals(knn.encode(test.maps), restored.encode(test.maps));
        var badLabels = assertThrows(GlassboxException.class, () -> new KnnReadout("knn", knn.spec(), SHAPE,
                knn.features(), Nd4j.createFromArray(new int[40]).addi(3)));
        assertEquals("knn.labels: label 3 of sample 0 is outside [0, 3)", badLabels.getMessage());
    }

    @Test
    void comparesOnlyTheLeadingChannelsWhenAsked(@TempDir Path dir) {
        ReadoutData train = ReadoutData.clusters(60, 3, 0.6, 8);
        ReadoutData test = ReadoutData.clusters(12, 3, 0.6, 9);
        KnnSpec two = KnnSpec.defaults(3).withK(7).withChannels(2);
        KnnReadout knn = two.fit("knn", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        assertArrayEquals(new long[] {60, 8}, knn.features().shape(), "2 x 2 positions x the 2 channels compared");
        KnnReadout onTwo = KnnSpec.defaults(3).withK(7)
                .fit("knn", MapSource.of(firstChannels(train.maps, 2)), train.labels, FitContext.silent(1));
        INDArray expected = onTwo.encode(firstChannels(test.maps, 2));
        assertEquals(expected, knn.encode(test.maps.dup()));
        INDArray otherThird = test.maps.dup();
        otherThird.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2))
                .assign(ReadoutData.clusters(12, 3, 2.0, 10).maps.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.point(0)).mul(5));
        assertEquals(expected, knn.encode(otherThird), "the third channel is not compared");
        KnnReadout all = KnnSpec.defaults(3).withK(7).fit("knn", MapSource.of(train.maps), train.labels, FitContext.silent(1));
        assertNotEquals(all.encode(otherThird), knn.encode(otherThird.dup()), "comparing every channel differs");

        Model model = new Model(Provenance.now(1, "synthetic", "none", 60), new Pipeline(SHAPE, List.of()),
                List.of(knn), Map.of());
        ModelFile.write(model, dir.resolve("m"));
        KnnReadout restored = (KnnReadout) ModelFile.read(dir.resolve("m")).readout("knn");
        assertEquals(two, restored.spec());
        assertEquals(expected, restored.encode(test.maps.dup()));
    }

    private static INDArray firstChannels(INDArray maps, int channels) {
        return maps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, channels)).dup('c');
    }

    @Test
    void refusesMoreChannelsThanTheInputHasAndReadsSpecsWrittenWithoutChannels() throws Exception {
        assertEquals("invalid channels = 4: expected at most the input's 3 channels (0: all)",
                assertThrows(InvalidParameterException.class, () -> KnnSpec.defaults(3).withChannels(4).check(SHAPE, 100))
                        .getMessage());
        assertEquals("invalid channels = -1: expected 0 (every channel) or a positive number of leading channels",
                assertThrows(InvalidParameterException.class, () -> KnnSpec.defaults(3).withChannels(-1)).getMessage());
        String before = "{\"classes\":3,\"k\":5,\"temperature\":0.2}";
        assertEquals(new KnnSpec(3, 5, 0.2, 0), Json.MAPPER.readValue(before, KnnSpec.class),
                "a spec of a model written before the field compares every channel");
        assertEquals(Json.MAPPER.readTree(before), Json.MAPPER.valueToTree(new KnnSpec(3, 5, 0.2)), "and is written as it was");
        assertEquals(Json.MAPPER.readTree("{\"classes\":3,\"k\":5,\"temperature\":0.2,\"channels\":2}"),
                Json.MAPPER.valueToTree(new KnnSpec(3, 5, 0.2, 2)));
    }
}
