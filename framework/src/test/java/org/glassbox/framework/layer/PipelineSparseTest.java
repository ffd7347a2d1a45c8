package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.array.SparseRows;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Pipeline#batchSize()} and the hand-over of sparse codes: {@link Pipeline#transform} with
 * and without a {@link Pipeline.CodeListener}, with test stages whose sparse and dense paths can be
 * told apart.
 */
class PipelineSparseTest {
    /** A stage of given shapes that only {@link Pipeline#batchSize()} looks at. */
    record ShapeOnly(String id, MapShape inputShape, MapShape outputShape) implements Layer {
        @Override
        public LayerSpec spec() {
            return new CenteringSpec(1);
        }

        @Override
        public INDArray encode(INDArray input) {
            throw new AssertionError("not run");
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    private static int batchSize(MapShape input, MapShape... outputs) {
        List<Layer> stages = new ArrayList<>();
        MapShape in = input;
        for (int i = 0; i < outputs.length; i++) {
            stages.add(new ShapeOnly("S" + i, in, outputs[i]));
            in = outputs[i];
        }
        return new Pipeline(input, stages).batchSize();
    }

    @Test
    void batchSizeIsTheMostSamplesWhoseWidestMapHoldsAtMostBatchValues() {
        assertEquals(1L << 24, Pipeline.BATCH_VALUES);
        assertEquals(256, batchSize(new MapShape(28, 28, 1)));
        assertEquals(256, batchSize(new MapShape(28, 28, 1), new MapShape(23, 23, 36), new MapShape(4, 4, 36)));
        // 2^16 values a sample: exactly 256 fit; one more value and only 255 do
        assertEquals(256, batchSize(new MapShape(1, 1, 1), new MapShape(16, 16, 256)));
        assertEquals(255, batchSize(new MapShape(1, 1, 1), new MapShape(1, 1, (1 << 16) + 1)));
        // 4,096 codes at 23 x 23 positions: 2,166,784 values a sample, 7 samples a batch
        assertEquals(7, batchSize(new MapShape(28, 28, 1), new MapShape(23, 23, 36), new MapShape(23, 23, 4096),
                new MapShape(23, 23, 32), new MapShape(2, 2, 32)));
        // the widest map may be the input
        assertEquals(64, batchSize(new MapShape(64, 64, 64), new MapShape(1, 1, 10)));
        // a sample wider than BATCH_VALUES still streams, one at a time
        assertEquals(1, batchSize(new MapShape(1, 1, 1), new MapShape(4097, 4096, 1)));
        assertEquals(1, batchSize(new MapShape(1, 1, 1), new MapShape(1 << 12, 1 << 12, 1)));
    }

    /** A coder of given shapes that only {@link Pipeline#batchSize()} looks at. */
    record WideCoder(MapShape inputShape, MapShape outputShape) implements SparseOutput {
        @Override
        public SparseRows encodeSparse(INDArray input) {
            throw new AssertionError("not run");
        }

        @Override
        public INDArray encode(INDArray input) {
            throw new AssertionError("not run");
        }

        @Override
        public String id() {
            return "WC";
        }

        @Override
        public LayerSpec spec() {
            return new CenteringSpec(1);
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    /** A reader of given shapes that only {@link Pipeline#batchSize()} looks at. */
    record WideReader(MapShape inputShape, MapShape outputShape) implements SparseInput {
        @Override
        public INDArray encodeSparse(SparseRows codes) {
            throw new AssertionError("not run");
        }

        @Override
        public INDArray encode(INDArray input) {
            throw new AssertionError("not run");
        }

        @Override
        public String id() {
            return "WR";
        }

        @Override
        public LayerSpec spec() {
            return new CenteringSpec(1);
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    @Test
    void codesHandedOverAsNonZerosDoNotLimitTheBatch() {
        MapShape patches = new MapShape(8, 8, 4);
        MapShape codes = new MapShape(8, 8, 1 << 16);
        MapShape embedded = new MapShape(8, 8, 2);
        // 8 x 8 x 65,536 codes a sample would allow 4 samples a batch, but they are never dense
        assertEquals(256, new Pipeline(patches, List.of(new WideCoder(patches, codes), new WideReader(codes, embedded)))
                .batchSize());
        // the same codes as the pipeline's output, or read densely by the next stage, are made dense
        assertEquals(4, new Pipeline(patches, List.of(new WideCoder(patches, codes))).batchSize());
        assertEquals(4, new Pipeline(patches, List.of(new WideCoder(patches, codes), new ShapeOnly("D", codes, embedded)))
                .batchSize());
    }

    @Test
    void pipelineViewAsksItsSourceForAtMostBatchSizeSamples() {
        MapShape input = new MapShape(2, 2, 1);
        Pipeline wide = new Pipeline(input, List.of(new ShapeOnly("W", input, new MapShape(2, 2, 1 << 20))));
        assertEquals(4, wide.batchSize());
        MapSourceSelectTest.StreamingSource none = new MapSourceSelectTest.StreamingSource(
                Nd4j.zeros(DataType.FLOAT, 0, 2, 2, 1));
        wide.over(none).forEachBatch(256, (batch, offset) -> { });
        wide.over(none).forEachBatch(3, (batch, offset) -> { });
        wide.over(none).forEachSparseBatch(100, (rows, samples, offset) -> { });
        assertEquals(List.of(4, 3, 4), none.askedBatchSizes);
    }

    /** Keeps the entries above 0.5, minus 0.5; counts the samples that went through each path. */
    static final class Coder implements SparseOutput {
        final String id;
        final MapShape shape;
        int dense;
        int sparse;

        Coder(String id, MapShape shape) {
            this.id = id;
            this.shape = shape;
        }

        @Override
        public INDArray encode(INDArray input) {
            Shapes.requireMap(id + " input", input, shape);
            dense += (int) input.size(0);
            INDArray out = input.sub(0.5);
            return out.muli(out.gt(0).castTo(DataType.FLOAT));
        }

        @Override
        public SparseRows encodeSparse(INDArray input) {
            Shapes.requireMap(id + " input", input, shape);
            sparse += (int) input.size(0);
            float[] v = Maps.rows(input).dup('c').data().asFloat();
            SparseRows.Builder b = new SparseRows.Builder((int) input.size(0) * shape.positions(), shape.channels());
            for (int r = 0; r < v.length / shape.channels(); r++) {
                for (int j = 0; j < shape.channels(); j++) {
                    float x = v[r * shape.channels() + j] - 0.5f;
                    if (x > 0) b.add(j, x);
                }
                b.endRow();
            }
            return b.build();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public LayerSpec spec() {
            return new CenteringSpec(1);
        }

        @Override
        public MapShape inputShape() {
            return shape;
        }

        @Override
        public MapShape outputShape() {
            return shape;
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    /** Maps each position's channels c to (sum of c_j * (j + 1), count of non-zero c_j): two channels. */
    static final class Reader implements SparseInput {
        final MapShape shape;
        int dense;
        int sparse;

        Reader(MapShape shape) {
            this.shape = shape;
        }

        @Override
        public INDArray encode(INDArray input) {
            Shapes.requireMap("R input", input, shape);
            dense += (int) input.size(0);
            float[] v = Maps.rows(input).dup('c').data().asFloat();
            int k = shape.channels();
            float[] out = new float[v.length / k * 2];
            for (int r = 0; r < v.length / k; r++) {
                for (int j = 0; j < k; j++) {
                    out[2 * r] += v[r * k + j] * (j + 1);
                    if (v[r * k + j] != 0) out[2 * r + 1]++;
                }
            }
            return Maps.map(Nd4j.create(out, new long[] {v.length / k, 2}, 'c'), outputShape());
        }

        @Override
        public INDArray encodeSparse(SparseRows codes) {
            sparse += codes.rows() / shape.positions();
            float[] out = new float[codes.rows() * 2];
            for (int r = 0; r < codes.rows(); r++) {
                for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) {
                    out[2 * r] += codes.value()[u] * (codes.index()[u] + 1);
                }
                out[2 * r + 1] = codes.count(r);
            }
            return Maps.map(Nd4j.create(out, new long[] {codes.rows(), 2}, 'c'), outputShape());
        }

        @Override
        public String id() {
            return "R";
        }

        @Override
        public LayerSpec spec() {
            return new CenteringSpec(1);
        }

        @Override
        public MapShape inputShape() {
            return shape;
        }

        @Override
        public MapShape outputShape() {
            return shape.withChannels(2);
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    private static INDArray uniform(int n, MapShape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[(int) (n * shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextDouble();
        return Nd4j.create(v, shape.batchShape(n), 'c');
    }

    private record Seen(SparseOutput stage, INDArray input, SparseRows codes) {
    }

    @Test
    void sparseCodesAreHandedToASparseInputAndShownToTheListener() {
        MapShape shape = new MapShape(3, 4, 5);
        Coder first = new Coder("C1", shape);
        Reader reader = new Reader(shape);
        Coder last = new Coder("C2", shape.withChannels(2));
        Pipeline p = new Pipeline(shape, List.of(first, reader, last));
        INDArray batch = uniform(6, shape, 1);
        INDArray copy = batch.dup();

        INDArray stageByStage = last.encode(reader.encode(first.encode(batch)));
        first.dense = reader.dense = last.dense = 0;
        INDArray plain = p.transform(batch);
        assertEquals(stageByStage, plain);
        assertEquals(List.of(0, 6, 0, 6), List.of(first.dense, first.sparse, reader.dense, reader.sparse),
                "the codes of C1 reach R as non-zeros");
        assertEquals(List.of(6, 0), List.of(last.dense, last.sparse), "without a listener the last coder encodes densely");

        List<Seen> seen = new ArrayList<>();
        INDArray listened = p.transform(batch, (stage, input, codes) -> seen.add(new Seen(stage, input.dup(), codes)));
        assertEquals(plain, listened);
        assertEquals(copy, batch, "the batch is not modified");
        assertEquals(2, seen.size(), "every sparse-output stage, once");
        assertSame(first, seen.get(0).stage());
        assertEquals(batch, seen.get(0).input());
        assertEquals(6 * shape.positions(), seen.get(0).codes().rows());
        assertEquals(Maps.rows(first.encode(batch)), seen.get(0).codes().dense());
        assertSame(last, seen.get(1).stage());
        assertEquals(reader.encode(first.encode(batch)), seen.get(1).input());
        assertEquals(Maps.rows(stageByStage), seen.get(1).codes().dense());
    }

    @Test
    void aCoderNotFollowedByASparseInputIsShownToTheListenerAndEncodedAsBefore() {
        MapShape shape = new MapShape(2, 2, 3);
        Coder coder = new Coder("C1", shape);
        Pipeline p = new Pipeline(shape, List.of(coder, new CenteringSpec.CenteringLayer("A", new CenteringSpec(1), shape,
                Nd4j.createFromArray(0.1f, 0.2f, 0.3f))));
        INDArray batch = uniform(4, shape, 2);
        INDArray plain = p.transform(batch);
        assertEquals(List.of(4, 0), List.of(coder.dense, coder.sparse));
        int[] calls = {0};
        INDArray listened = p.transform(batch, (stage, input, codes) -> {
            calls[0]++;
            assertEquals(Maps.rows(coder.encode(batch)), codes.dense());
        });
        assertEquals(plain, listened);
        assertEquals(1, calls[0]);
    }

    @Test
    void pipelineViewGivesTheLastCodersNonZerosAndRunsOnlyTheChosenSamples() {
        MapShape shape = new MapShape(3, 4, 5);
        Coder coder = new Coder("C1", shape);
        Pipeline p = new Pipeline(shape, List.of(coder));
        INDArray maps = uniform(10, shape, 3);
        List<INDArray> parts = new ArrayList<>();
        p.over(MapSource.of(maps)).forEachSparseBatch(4, (rows, samples, offset) -> {
            assertEquals(parts.size() * 4L, offset);
            assertEquals(samples * shape.positions(), rows.rows());
            parts.add(rows.dense());
        });
        assertEquals(List.of(0, 10), List.of(coder.dense, coder.sparse), "straight from the coder");
        assertEquals(Maps.rows(coder.encode(maps)), Nd4j.concat(0, parts.toArray(new INDArray[0])));

        coder.dense = coder.sparse = 0;
        List<INDArray> chosen = new ArrayList<>();
        p.over(MapSource.of(maps)).select(new int[] {1, 8}).forEachBatch(256, (batch, offset) -> chosen.add(batch.dup()));
        assertEquals(List.of(2, 0), List.of(coder.dense, coder.sparse), "only the chosen samples are encoded");
        INDArray two = Nd4j.concat(0, maps.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()), maps.get(NDArrayIndex.interval(8, 9), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()));
        assertEquals(coder.encode(two), Nd4j.concat(0, chosen.toArray(new INDArray[0])));
        assertTrue(chosen.size() == 1, "one batch");
    }
}
