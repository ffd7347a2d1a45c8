package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PipelineTest {
    static INDArray data() {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.FLOAT, 50, 4, 4, 3).addi(2);
    }

    @Test
    void fitsGreedilyStageAfterStage() {
        INDArray x = data();
        Pipeline p = Pipeline.fit(MapSource.of(x), List.of(
                new Pipeline.Stage("A", new CenteringSpec(0.5)),
                new Pipeline.Stage("B", new CenteringSpec(1.0))), FitContext.silent(1));
        INDArray channelMean = x.mean(0, 1, 2);
        // stage B saw the output of A: x - 0.5 mean, whose mean is 0.5 mean
        INDArray bMean = p.stage("B").parameters().get("mean");
        assertArrayEquals(channelMean.mul(0.5).toFloatVector(), bMean.toFloatVector(), 1e-5f);
        INDArray out = p.transform(x);
        assertArrayEquals(new float[] {0, 0, 0}, out.mean(0, 1, 2).toFloatVector(), 1e-5f);
    }

    private static final List<Pipeline.Stage> THREE = List.of(new Pipeline.Stage("A", new CenteringSpec(0.5)),
            new Pipeline.Stage("B", new CenteringSpec(0.5)), new Pipeline.Stage("C", new CenteringSpec(1.0)));

    /** A hook that writes down every call, and reuses the layers of {@code earlier} for its first stages. */
    private static final class Recorder implements Pipeline.FitHook {
        final List<String> calls = new ArrayList<>();
        final List<Layer> earlier;

        Recorder(List<Layer> earlier) {
            this.earlier = earlier;
        }

        @Override
        public Optional<Layer> reuse(Pipeline.Stage stage, Pipeline prefix) {
            int i = prefix.stages().size();
            calls.add("reuse " + stage.id() + " after " + i);
            return i < earlier.size() ? Optional.of(earlier.get(i)) : Optional.empty();
        }

        @Override
        public Layer fit(Pipeline.Stage stage, Pipeline prefix, MapSource train, FitContext context) {
            calls.add("fit " + stage.id() + " after " + prefix.stages().size());
            return Pipeline.FitHook.super.fit(stage, prefix, train, context);
        }

        @Override
        public void fitted(Pipeline fitted, double seconds) {
            calls.add("fitted " + fitted.stages().stream().map(Layer::id).toList());
            assertTrue(seconds >= 0, "seconds " + seconds);
        }
    }

    @Test
    void theHookSeesEachStageInOrderAndIsNotAskedToReuseAfterAFit() {
        Recorder hook = new Recorder(List.of());
        Pipeline p = Pipeline.fit(MapSource.of(data()), THREE, FitContext.silent(1), hook);
        assertEquals(List.of("reuse A after 0", "fit A after 0", "fitted [A]", "fit B after 1", "fitted [A, B]",
                "fit C after 2", "fitted [A, B, C]"), hook.calls);
        assertEquals(List.of("A", "B", "C"), p.stages().stream().map(Layer::id).toList());
    }

    @Test
    void aReusedLayerIsNotRefittedAndTheRestFitOnItsOutput() {
        INDArray x = data();
        Pipeline first = Pipeline.fit(MapSource.of(x), THREE, FitContext.silent(1));
        Recorder hook = new Recorder(first.stages().subList(0, 2));
        Pipeline resumed = Pipeline.fit(MapSource.of(x), THREE, FitContext.silent(1), hook);
        assertEquals(List.of("reuse A after 0", "reuse B after 1", "reuse C after 2", "fit C after 2",
                "fitted [A, B, C]"), hook.calls);
        assertSame(first.stage("A"), resumed.stage("A"));
        assertSame(first.stage("B"), resumed.stage("B"));
        // C saw the output of the reused A and B: x - 0.5 mean - 0.5 (0.5 mean), whose mean is 0.25 mean
        assertArrayEquals(x.mean(0, 1, 2).mul(0.25).toFloatVector(),
                resumed.stage("C").parameters().get("mean").toFloatVector(), 1e-5f);
    }

    @Test
    void aReusedLayerMustBeTheOneOfItsStage() {
        INDArray x = data();
        Pipeline first = Pipeline.fit(MapSource.of(x), THREE, FitContext.silent(1));
        Recorder hook = new Recorder(List.of(first.stage("B")));
        var e = assertThrows(GlassboxException.class, () -> Pipeline.fit(MapSource.of(x), THREE, FitContext.silent(1),
                hook));
        assertEquals("stage \"A\" (test-centering): the layer to reuse is \"B\" (expected a layer fitted for this stage)",
                e.getMessage());
        assertEquals(List.of("reuse A after 0"), hook.calls);
    }

    @Test
    void theListenerSeesEachFittedLayer() {
        List<String> seen = new ArrayList<>();
        Pipeline.fit(MapSource.of(data()), THREE, FitContext.silent(1), (layer, seconds) -> seen.add(layer.id()));
        assertEquals(List.of("A", "B", "C"), seen);
    }

    @Test
    void rejectsInputOfTheWrongShapeNamingBothShapes() {
        Pipeline p = Pipeline.fit(MapSource.of(data()), List.of(new Pipeline.Stage("A", new CenteringSpec(1))),
                FitContext.silent(1));
        var e = assertThrows(GlassboxException.class, () -> p.transform(Nd4j.zeros(DataType.FLOAT, 2, 4, 5, 3)));
        assertEquals("pipeline input: expected shape [*, 4, 4, 3] but got [2, 4, 5, 3]", e.getMessage());
    }

    @Test
    void streamsBatches() {
        INDArray x = data();
        Pipeline p = Pipeline.fit(MapSource.of(x), List.of(new Pipeline.Stage("A", new CenteringSpec(1))),
                FitContext.silent(1));
        assertEquals(p.transform(x), p.transformAll(MapSource.of(x)));
        assertEquals(new MapShape(4, 4, 3), p.outputShape());
    }

    @Test
    void stageRandomnessDependsOnlyOnSeedAndStage() {
        SplittableRandom a = FitContext.silent(5).random("L1.code");
        SplittableRandom b = FitContext.silent(5).random("L1.code");
        SplittableRandom c = FitContext.silent(5).random("L2.code");
        long first = a.nextLong();
        assertEquals(first, b.nextLong());
        org.junit.jupiter.api.Assertions.assertNotEquals(first, c.nextLong());
    }

    @Test
    void samplesPositionsUniformlyWithoutReplacement() {
        INDArray x = data();
        INDArray sample = PositionSampler.sample(MapSource.of(x), 100, new SplittableRandom(9));
        assertArrayEquals(new long[] {100, 3}, sample.shape());
        INDArray again = PositionSampler.sample(MapSource.of(x), 100, new SplittableRandom(9));
        assertEquals(sample, again);
        INDArray all = PositionSampler.sample(MapSource.of(x), 10_000, new SplittableRandom(9));
        assertEquals(50 * 16, all.size(0));
        assertEquals(x.reshape(800, 3), all);
    }
}
