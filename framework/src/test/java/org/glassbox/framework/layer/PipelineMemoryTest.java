package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;

/**
 * Pipeline frees each stage's output as soon as it is read, and each streamed batch's output once
 * its visitor is done: the same results as without freeing, and never an array still in use (the
 * input, the result, or memory a later stage shares).
 */
class PipelineMemoryTest {
    /** Wraps a layer and keeps every output it made, to look at them after a pass. */
    static final class Watched implements Layer {
        final Layer layer;
        final List<INDArray> made = new ArrayList<>();

        Watched(Layer layer) {
            this.layer = layer;
        }

        @Override
        public String id() {
            return layer.id();
        }

        @Override
        public ComponentSpec spec() {
            return layer.spec();
        }

        @Override
        public MapShape inputShape() {
            return layer.inputShape();
        }

        @Override
        public MapShape outputShape() {
            return layer.outputShape();
        }

        @Override
        public INDArray encode(INDArray input) {
            INDArray out = layer.encode(input);
            made.add(out);
            return out;
        }

        @Override
        public Map<String, INDArray> parameters() {
            return layer.parameters();
        }
    }

    /** A stage that hands on its input under the same shape without copying: ND4J's whole reshape shares the buffer. */
    record Reshaping(String id, MapShape inputShape) implements Layer {
        @Override
        public ComponentSpec spec() {
            return new CenteringSpec(0);
        }

        @Override
        public MapShape outputShape() {
            return inputShape;
        }

        @Override
        public INDArray encode(INDArray input) {
            return input.reshape('c', input.shape());
        }

        @Override
        public Map<String, INDArray> parameters() {
            return Map.of();
        }
    }

    private static Pipeline fitted(INDArray x) {
        return Pipeline.fit(MapSource.of(x), List.of(new Pipeline.Stage("A", new CenteringSpec(0.5)),
                new Pipeline.Stage("B", new CenteringSpec(1.0))), FitContext.silent(1));
    }

    /** The stages' outputs one after another, nothing freed. */
    private static float[] unfreed(List<Layer> stages, INDArray x) {
        INDArray y = x;
        for (Layer s : stages) y = s.encode(y);
        return FloatArrays.values(y);
    }

    @Test
    void eachStagesOutputIsFreedOnceReadAndTheResultIsUnchanged() {
        INDArray x = PipelineTest.data();
        float[] input = FloatArrays.values(x);
        Pipeline p = fitted(x);
        float[] expected = unfreed(p.stages(), x);
        Watched a = new Watched(p.stage("A"));
        Watched b = new Watched(p.stage("B"));
        INDArray out = new Pipeline(p.inputShape(), List.of(a, b)).transform(x);
        assertArrayEquals(expected, FloatArrays.values(out), 0f);
        assertTrue(a.made.get(0).wasClosed(), "A's output, read by B");
        assertFalse(b.made.get(0).wasClosed(), "the result");
        assertFalse(x.wasClosed());
        assertArrayEquals(input, FloatArrays.values(x), 0f);
    }

    @Test
    void aStageOutputThatSharesTheInputsMemoryIsNotFreed() {
        INDArray x = PipelineTest.data();
        float[] input = FloatArrays.values(x);
        Pipeline p = fitted(x);
        List<Layer> stages = List.of(new Reshaping("same", p.inputShape()), p.stage("A"),
                new Reshaping("again", p.inputShape()), p.stage("B"));
        float[] expected = unfreed(stages, x);
        INDArray out = new Pipeline(p.inputShape(), stages).transform(x);
        assertArrayEquals(expected, FloatArrays.values(out), 0f);
        assertFalse(x.wasClosed());
        assertArrayEquals(input, FloatArrays.values(x), 0f);
    }

    @Test
    void aStreamedBatchIsFreedAfterItsVisitButNotTheSourcesMaps() {
        INDArray x = PipelineTest.data();
        float[] input = FloatArrays.values(x);
        Pipeline p = fitted(x);
        float[] expected = unfreed(p.stages(), x);
        int per = (int) p.outputShape().size();
        List<INDArray> seen = new ArrayList<>();
        p.over(MapSource.of(x)).forEachBatch(16, (batch, offset) -> {
            float[] values = FloatArrays.values(batch);
            for (int i = 0; i < values.length; i++) assertEquals(expected[(int) offset * per + i], values[i], 0f);
            seen.add(batch);
        });
        assertEquals(4, seen.size());
        for (INDArray batch : seen) assertTrue(batch.wasClosed());
        assertFalse(x.wasClosed());
        assertArrayEquals(input, FloatArrays.values(x), 0f);
    }

    @Test
    void withoutStagesTheSourcesOwnBatchesAreHandedOnAndKept() {
        INDArray x = PipelineTest.data();
        float[] input = FloatArrays.values(x);
        Pipeline none = new Pipeline(new MapShape(4, 4, 3), List.of());
        // a source that hands out a whole array it owns (not a view): closeable, and still the source's
        INDArray own = x.dup();
        MapSource whole = new MapSource() {
            @Override
            public MapShape shape() {
                return none.inputShape();
            }

            @Override
            public long samples() {
                return own.size(0);
            }

            @Override
            public void forEachBatch(int batchSize, BatchVisitor visitor) {
                visitor.visit(own, 0);
            }
        };
        List<INDArray> seen = new ArrayList<>();
        none.over(whole).forEachBatch(64, (batch, offset) -> seen.add(batch));
        assertEquals(1, seen.size());
        assertSame(own, seen.get(0));
        assertFalse(own.wasClosed());
        assertArrayEquals(input, FloatArrays.values(own), 0f);
    }
}
