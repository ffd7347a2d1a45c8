package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The frozen layer: map encoding, traced intermediates, ablation, restore and save/load round trips, boundary errors. */
class SparseCodingLayerTest {
    private static final MapShape SHAPE = new MapShape(2, 3, 36);
    private static final int ATOMS = 16;
    private static final SparseCodingSpec SPEC = SparseCodingSpec.of("L1", ATOMS, 0.1).withEpochs(1).withBatchSize(200)
            .withMaxSamples(1200);
    private static INDArray maps;
    private static SparseCodingLayer layer;

    /** 300 maps of 2 x 3 positions, each position a real normalised digit patch. */
    @BeforeAll
    static void fit() {
        maps = TestData.digitPatches(300 * 6, 41).reshape('c', 300, 2, 3, 36);
        layer = SPEC.fit("L1.code", MapSource.of(maps), FitContext.silent(5));
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(List.of(Nd4j.createFromArray(expected.shape())), List.of(Nd4j.createFromArray(actual.shape())));
        double[] a = TestData.toDouble(expected);
        double[] b = TestData.toDouble(actual);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], tolerance, "entry " + i);
    }

    @Test
    void encodesEveryPositionOnItsOwn() {
        INDArray some = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 20)).dup();
        INDArray codes = layer.encode(some);
        assertEquals(new MapShape(2, 3, ATOMS), layer.outputShape());
        assertEquals(List.of(20L, 2L, 3L, (long) ATOMS), List.of(codes.size(0), codes.size(1), codes.size(2), codes.size(3)));
        assertClose(layer.encodeRows(Maps.rows(some)), Maps.rows(codes), 0);
        assertEquals("L1", layer.atomPrefix());
        assertEquals("L1/a15", layer.atomId(15));
        assertEquals(List.of("dictionary", "usage"), List.copyOf(layer.parameters().keySet()));
        INDArray none = layer.encode(Nd4j.create(maps.dataType(), 0, 2, 3, 36));
        assertEquals(List.of(0L, 2L, 3L, (long) ATOMS), List.of(none.size(0), none.size(1), none.size(2), none.size(3)));
    }

    @Test
    void sparseCodesAreTheNonZerosOfTheDenseCodes() {
        INDArray some = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)).dup();
        INDArray codes = layer.encode(some);
        SparseRows sparse = layer.encodeSparse(some);
        assertEquals(10 * SHAPE.positions(), sparse.rows());
        assertClose(Maps.rows(codes), sparse.dense(), 0);
        assertTrue(sparse.index().length > 0, "no atom is active");
        SparseCodingLayer ablated = layer.withAtomsOff(List.of("L1/a0"));
        assertClose(Maps.rows(ablated.encode(some)), ablated.encodeSparse(some).dense(), 0);
    }

    @Test
    void switchedOffAtomsHaveZeroCodesAndTheOthersAreUnchanged() {
        INDArray rows = Maps.rows(maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50)).dup());
        INDArray full = layer.encodeRows(rows);
        SparseCodingLayer ablated = layer.withAtomsOff(List.of("L1/a0", "L1/a3")).withAtomsOff(List.of("L1/a7"));
        assertEquals(List.of("L1/a0", "L1/a3", "L1/a7"), ablated.atomsOff());
        assertEquals(List.of(), layer.atomsOff());
        INDArray codes = ablated.encodeRows(rows);
        for (int k = 0; k < ATOMS; k++) {
            INDArray expected = k == 0 || k == 3 || k == 7 ? full.getColumn(k).mul(0) : full.getColumn(k);
            assertClose(expected, codes.getColumn(k), 0);
        }
        assertTrue(full.getColumn(0).amaxNumber().doubleValue() > 0, "atom 0 should be active before ablation");
        assertEquals("L1.code: unknown atom id 'L2/a1' (expected L1/a0 .. L1/a15)",
                assertThrows(GlassboxException.class, () -> layer.withAtomsOff(List.of("L2/a1"))).getMessage());
        assertEquals("L1.code: unknown atom id 'L1/a16' (expected L1/a0 .. L1/a15)",
                assertThrows(GlassboxException.class, () -> layer.withAtomsOff(List.of("L1/a16"))).getMessage());
    }

    @Test
    void restoreThroughTheLayerKindGivesIdenticalCodes() {
        LayerKind kind = LayerKind.named("sparse-coding");
        SparseCodingLayer restored = (SparseCodingLayer) kind.restore("L1.code", layer.spec(), SHAPE, layer.parameters());
        INDArray some = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30)).dup();
        assertEquals(layer.encode(some), restored.encode(some));
        assertEquals(layer.usage(), restored.usage());
    }

    @Test
    void saveAndLoadGiveIdenticalCodes(@TempDir Path dir) {
        Model model = new Model(Provenance.now(5, "digit patches", "0", 300), new Pipeline(SHAPE, List.of(layer)),
                List.of(), Map.of());
        ModelFile.write(model, dir.resolve("model"));
        Model loaded = ModelFile.read(dir.resolve("model"));
        INDArray some = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30)).dup();
        assertEquals(model.pipeline().transform(some), loaded.pipeline().transform(some));
        assertEquals(layer.spec(), loaded.pipeline().stage("L1.code").spec());
    }

    @Test
    void restoreNamesTheBadArray() {
        LayerKind kind = LayerKind.named("sparse-coding");
        Map<String, INDArray> wrongShape = new LinkedHashMap<>(layer.parameters());
        wrongShape.put("dictionary", Nd4j.zeros(layer.dictionary().dataType(), ATOMS, 35));
        assertEquals("L1.code dictionary: expected shape [16, 36] but got [16, 35]",
                assertThrows(GlassboxException.class, () -> kind.restore("L1.code", SPEC, SHAPE, wrongShape)).getMessage());
        Map<String, INDArray> missing = new LinkedHashMap<>(layer.parameters());
        missing.remove("usage");
        assertEquals("L1.code: missing array 'usage' (expected shape [16])",
                assertThrows(GlassboxException.class, () -> kind.restore("L1.code", SPEC, SHAPE, missing)).getMessage());
        Map<String, INDArray> extra = new LinkedHashMap<>(layer.parameters());
        extra.put("bias", layer.usage());
        assertEquals("L1.code: unknown array 'bias' (a sparse-coding layer has dictionary and usage)",
                assertThrows(GlassboxException.class, () -> kind.restore("L1.code", SPEC, SHAPE, extra)).getMessage());
        Map<String, INDArray> badUsage = new LinkedHashMap<>(layer.parameters());
        badUsage.put("usage", layer.usage().add(1));
        assertTrue(assertThrows(GlassboxException.class, () -> kind.restore("L1.code", SPEC, SHAPE, badUsage))
                .getMessage().startsWith("L1.code usage: value "));
    }

    @Test
    void badInputNamesTheLayerAndBothShapes() {
        INDArray narrow = Nd4j.zeros(maps.dataType(), 4, 2, 3, 35);
        assertEquals("L1.code input: expected shape [*, 2, 3, 36] but got [4, 2, 3, 35]",
                assertThrows(GlassboxException.class, () -> layer.encode(narrow)).getMessage());
        INDArray nan = maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup();
        nan.putScalar(new long[] {1, 1, 2, 5}, Float.NaN);
        assertEquals("L1.code input: expected finite values but found NaN or infinity",
                assertThrows(GlassboxException.class, () -> layer.encode(nan)).getMessage());
        assertEquals("L1.code input rows: expected shape [*, 36] but got [3, 4]",
                assertThrows(GlassboxException.class, () -> layer.encodeRows(Nd4j.zeros(maps.dataType(), 3, 4))).getMessage());
    }

    @Test
    void everyEncoderFitsAndEncodesThroughTheSpec() {
        INDArray some = Maps.rows(maps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 40)).dup());
        for (Encoder encoder : Encoder.values()) {
            SparseCodingSpec spec = SPEC.withEncoder(encoder).withK(3).withNonNegative(true).withMaxSamples(400);
            SparseCodingLayer fitted = spec.fit("L1.code", MapSource.of(maps), FitContext.silent(9));
            float[] codes = fitted.encodeRows(some).dup('c').data().asFloat();
            int limit = encoder == Encoder.TOP_K ? 3 : encoder == Encoder.ONE_SPARSE ? 1 : ATOMS;
            for (int i = 0; i < some.size(0); i++) {
                int nonZero = 0;
                for (int k = 0; k < ATOMS; k++) {
                    assertTrue(codes[i * ATOMS + k] >= 0, encoder + " gave a negative code");
                    if (codes[i * ATOMS + k] != 0) nonZero++;
                }
                assertTrue(nonZero <= limit, encoder + " row " + i + " has " + nonZero + " non-zeros");
            }
            assertTrue(fitted.usage().getDouble(0) > 0, encoder + " left every atom unused");
        }
    }

    @Test
    void theSameSeedGivesTheSameLayer() {
        SparseCodingLayer again = SPEC.fit("L1.code", MapSource.of(maps), FitContext.silent(5));
        assertEquals(layer.dictionary(), again.dictionary());
        assertEquals(layer.usage(), again.usage());
    }
}
