package org.glassbox.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ThroughputTest {
    /**
     * Every model classifies the same images in the same batches; the baseline's training steps run on
     * a copy, so the compared network keeps its weights; ND4J's thread count is restored afterwards.
     */
    @Test
    void measuresEveryModelTheSameWayWithoutChangingTheComparedWeights() {
        TrainTest full = EmbeddedMnist.split();
        ImageSet train = StratifiedSplit.split(full.train(), 0.05, 2).test();
        ImageSet test = StratifiedSplit.split(full.test(), 0.1, 2).test();
        BaselineResult mlp = Baselines.train(Recipes.mlp(10, 1).withMaxEpochs(1), new TrainTest(train, test),
                Progress.silent());
        INDArray before = mlp.network().params().dup();
        List<Long> batches = new ArrayList<>();
        Throughput.Subject counting = Throughput.of("glassbox", batch -> {
            batches.add(batch.size(0));
            return new int[(int) batch.size(0)];
        });
        int threads = CpuSetup.current();
        Throughput.Settings settings = new Throughput.Settings(150, 64, 3, 1, Throughput.Settings.currentBlasThreads());
        Map<String, Throughput.Rates> rates = Throughput.measure(List.of(counting, Throughput.of(mlp)), train, test,
                settings, Progress.silent());
        assertEquals(List.of("glassbox", "mlp"), List.copyOf(rates.keySet()));
        assertEquals(List.of(64L, 64L, 22L), batches.subList(0, 3), "150 images in batches of 64");
        assertEquals(4 * 3, batches.size(), "a warm-up round and 3 timed rounds");
        assertNull(rates.get("glassbox").train());
        assertTrue(rates.get("glassbox").inference() > 0);
        assertTrue(rates.get("mlp").inference() > 0 && rates.get("mlp").train() > 0);
        assertEquals(before, mlp.network().params());
        assertEquals(threads, CpuSetup.current());
    }

    @Test
    void theMedianOfTheRounds() {
        assertEquals(2.0, Throughput.median(new double[] {9, 1, 2}));
        assertEquals(2.5, Throughput.median(new double[] {4, 1, 2, 3}));
    }
}
