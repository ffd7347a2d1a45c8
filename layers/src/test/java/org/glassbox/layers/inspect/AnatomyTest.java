package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.SmallModel;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.whiten.WhiteningLayer;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The anatomy walks whatever reversible stages lie below a sparse-coding stage, not a fixed list of kinds. */
class AnatomyTest {
    /**
     * A whitening stage between layer 2's patches and its sparse coding (unwhitening U) draws the
     * atoms D as a stack without it draws the atoms D U: the atoms are un-whitened, then composed.
     */
    @Test
    void aWhiteningBeforeTheDeeperCodeIsUndoneBeforeComposing() {
        Pipeline p = SmallModel.get().model.pipeline();
        List<Layer> stages = p.stages(); // L1.patches, L1.whiten, L1.code, L1.pool, L2.patches, L2.code, L2.pool
        SparseCodingLayer l2 = (SparseCodingLayer) stages.get(5);
        int d = l2.inputShape().channels();
        float[] u = new float[d * d];
        float[] w = new float[d * d];
        for (int i = 0; i < d; i++) {
            u[i * d + i] = 1 + (i % 5) * 0.25f;
            w[i * d + i] = 1 / u[i * d + i];
        }
        INDArray unwhitening = Nd4j.create(u, new long[] {d, d}, 'c');
        WhiteningLayer whiten = new WhiteningLayer("L2.whiten", WhiteningSpec.defaults(), l2.inputShape(),
                Nd4j.zeros(DataType.FLOAT, d), Nd4j.create(w, new long[] {d, d}, 'c'), unwhitening);
        List<Layer> whitened = new ArrayList<>(stages);
        whitened.add(5, whiten);
        List<Layer> plain = new ArrayList<>(stages);
        plain.set(5, new SparseCodingLayer(l2.id(), l2.spec(), l2.inputShape(), l2.dictionary().mmul(unwhitening), l2.usage()));
        Anatomy withWhitening = Anatomy.of(new Pipeline(p.inputShape(), whitened));
        Anatomy unwhitened = Anatomy.of(new Pipeline(p.inputShape(), plain));

        INDArray images = withWhitening.atomImages(6).orElseThrow();
        assertEquals(unwhitened.atomImages(5).orElseThrow(), images);
        assertNotEquals(Anatomy.of(p).atomImages(5).orElseThrow(), images, "U changes the pictures");
        for (int atom = 0; atom < 3; atom++) assertEquals(unwhitened.builtFrom(5, atom), withWhitening.builtFrom(6, atom));
        assertFalse(withWhitening.builtFrom(6, 0).isEmpty());
        assertTrue(withWhitening.inputImages(6, Nd4j.zeros(DataType.FLOAT, 1, 5, 5, d)).isEmpty(),
                "layer 2's input goes back through the whitening and the patches, then stops at the pooling");
    }
}
