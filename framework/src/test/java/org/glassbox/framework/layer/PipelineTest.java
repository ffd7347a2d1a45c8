package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
