package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.layers.SmallSmtStack;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The sparse manifold transform's stack fitted on real digits: patches, whitening (flat patches
 * empty, outputs normalised), sampled atoms with cosine-threshold codes, a NEIGHBOUR_MEAN manifold
 * and pooling. The pipeline hands the codes to the manifold as their non-zeros; the result is that
 * of running each stage's dense encode in turn.
 */
class SparseManifoldStackTest {
    private static final int DIGITS = 300;
    private static final MapShape GRID = new MapShape(23, 23, 256);
    private static Pipeline pipeline;
    private static INDArray images;

    @BeforeAll
    static void fit() {
        images = SmallSmtStack.spread(EmbeddedMnist.split().train(), DIGITS).images();
        List<Pipeline.Stage> stages = SmallSmtStack.stages(256, 8, DIGITS);
        pipeline = Pipeline.fit(MapSource.of(images), stages, FitContext.silent(21));
    }

    private static INDArray digits(int from, int to) {
        return images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
    }

    /** Every stage's output for {@code batch}, each stage's dense encode of the previous output. */
    private static List<INDArray> stageByStage(INDArray batch) {
        List<INDArray> out = new ArrayList<>();
        INDArray x = batch;
        for (Layer stage : pipeline.stages()) {
            x = stage.encode(x);
            out.add(x);
        }
        return out;
    }

    private static double maxDifference(INDArray a, INDArray b) {
        assertEquals(List.of(a.shape()[0], a.shape()[1], a.shape()[2], a.shape()[3]),
                List.of(b.shape()[0], b.shape()[1], b.shape()[2], b.shape()[3]));
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        return worst;
    }

    @Test
    void theStackHasTheShapesOfTheSparseManifoldTransform() {
        assertEquals(new MapShape(2, 2, 8), pipeline.outputShape());
        assertEquals(GRID, pipeline.stage("L1.code").outputShape());
        assertTrue(pipeline.stage("L1.code") instanceof SparseOutput);
        assertTrue(pipeline.stage("L1.embed") instanceof org.glassbox.framework.layer.SparseInput);
        // the 23 x 23 x 256 codes (135,424 values a sample, 123 samples a batch if dense) are handed
        // to the embedding as non-zeros, so the widest map is the 23 x 23 x 36 patches: a full batch
        assertEquals(256, pipeline.batchSize());
        assertEquals(123, pipeline.prefix(3).batchSize());
    }

    @Test
    void theFusedSparsePathEqualsEncodingStageByStage() {
        INDArray batch = digits(0, 40);
        List<INDArray> expected = stageByStage(batch);
        INDArray codes = expected.get(2);
        long nonZero = 0;
        for (float v : codes.dup('c').data().asFloat()) if (v != 0) nonZero++;
        long positions = 40L * GRID.positions();
        assertTrue(nonZero > positions / 4 && nonZero < positions * 20, "non-zero codes: " + nonZero);
        INDArray fused = pipeline.transform(batch);
        double worst = maxDifference(expected.get(4), fused);
        assertTrue(worst < 1e-5, "fused and stage by stage differ by " + worst);
        assertTrue(fused.norm2Number().doubleValue() > 1, "the output is not all zero");
        // and up to the manifold, before pooling mixes positions
        double embed = maxDifference(expected.get(3), pipeline.prefix(4).transform(batch));
        assertTrue(embed < 1e-5, "embeddings differ by " + embed);
    }

    @Test
    void aCodeListenerSeesTheCodeStageOncePerBatchAndChangesNothing() {
        SparseCodingLayer coder = (SparseCodingLayer) pipeline.stage("L1.code");
        for (int[] range : new int[][] {{0, 40}, {100, 107}}) {
            INDArray batch = digits(range[0], range[1]);
            int n = range[1] - range[0];
            List<INDArray> expected = stageByStage(batch);
            List<SparseRows> seen = new ArrayList<>();
            INDArray listened = pipeline.transform(batch, (stage, input, codes) -> {
                assertSame(coder, stage);
                assertEquals(expected.get(1), input, "the code stage's input is the whitened batch");
                seen.add(codes);
            });
            assertEquals(1, seen.size(), "once per batch");
            SparseRows codes = seen.get(0);
            assertEquals(n * GRID.positions(), codes.rows());
            assertEquals(256, codes.columns());
            assertEquals(Maps.rows(expected.get(2)), codes.dense());
            assertEquals(pipeline.transform(batch), listened);
        }
    }

    @Test
    void flatPatchesHaveNoCodeAndNoEmbedding() {
        INDArray batch = digits(0, 10);
        List<INDArray> expected = stageByStage(batch);
        double[] patches = Maps.rows(expected.get(0)).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        SparseRows codes = SparseRows.of(Maps.rows(expected.get(2)));
        double[] embed = Maps.rows(expected.get(3)).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int flat = 0;
        for (int r = 0; r < codes.rows(); r++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 36; j++) {
                min = Math.min(min, patches[r * 36 + j]);
                max = Math.max(max, patches[r * 36 + j]);
            }
            if (max > min) continue;
            flat++;
            assertEquals(0, codes.count(r), "a flat patch activates no atom");
            for (int j = 0; j < 8; j++) assertEquals(0.0, embed[r * 8 + j], 0.0, "a flat patch embeds to zero");
        }
        assertTrue(flat > 100, "flat patches: " + flat);
    }
}
