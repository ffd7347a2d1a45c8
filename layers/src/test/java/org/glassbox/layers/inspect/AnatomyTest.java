package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.inspect.AtomWeight;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.SmallModel;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchLayer;
import org.glassbox.layers.pool.PoolingLayer;
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

    /**
     * An embedding between layer 1's codes and the pooling that layer 2 reads (projection M) draws
     * layer 2's atoms D over embedding dimensions as a stack without it draws the atoms D M over
     * layer 1's atoms: each dimension's weight goes to the atoms through M.
     */
    @Test
    void anEmbeddingBelowTheDeeperCodeIsComposedThroughItsProjection() {
        Pipeline p = SmallModel.get().model.pipeline();
        List<Layer> stages = p.stages(); // L1.patches, L1.whiten, L1.code, L1.pool, L2.patches, L2.code, L2.pool
        SparseCodingLayer l1 = (SparseCodingLayer) stages.get(2);
        PoolingLayer pool = (PoolingLayer) stages.get(3);
        PatchLayer patches = (PatchLayer) stages.get(4);
        SparseCodingLayer l2 = (SparseCodingLayer) stages.get(5);
        int k1 = l1.atomCount();
        int dims = 4;
        int cells = patches.spec().size() * patches.spec().size();
        INDArray m = Nd4j.rand(DataType.FLOAT, dims, k1).subi(0.5);
        ManifoldLayer embed = new ManifoldLayer("L1.embed", ManifoldSpec.defaults().withDims(dims), l1.outputShape(), m,
                Nd4j.zeros(DataType.FLOAT, dims));
        PoolingLayer embeddedPool = new PoolingLayer(pool.id(), pool.spec(), embed.outputShape());
        PatchLayer embeddedPatches = new PatchLayer(patches.id(), patches.spec(), embeddedPool.outputShape());
        INDArray d = Nd4j.rand(DataType.FLOAT, l2.atomCount(), cells * dims).subi(0.5);
        SparseCodingLayer overDims = new SparseCodingLayer(l2.id(), l2.spec(), embeddedPatches.outputShape(), d, l2.usage());
        INDArray dm = d.reshape('c', (long) l2.atomCount() * cells, dims).mmul(m).reshape('c', l2.atomCount(), (long) cells * k1);
        SparseCodingLayer overAtoms = new SparseCodingLayer(l2.id(), l2.spec(), l2.inputShape(), dm, l2.usage());
        Anatomy embedded = Anatomy.of(new Pipeline(p.inputShape(),
                List.of(stages.get(0), stages.get(1), l1, embed, embeddedPool, embeddedPatches, overDims)));
        Anatomy plain = Anatomy.of(new Pipeline(p.inputShape(), List.of(stages.get(0), stages.get(1), l1, pool, patches, overAtoms)));

        INDArray images = embedded.atomImages(6).orElseThrow();
        assertTrue(plain.atomImages(5).orElseThrow().equalsWithEps(images, 1e-5), "D drawn through M is D M");
        for (int atom = 0; atom < 3; atom++) {
            List<AtomWeight> expected = plain.builtFrom(5, atom);
            List<AtomWeight> actual = embedded.builtFrom(6, atom);
            assertEquals(expected.stream().map(AtomWeight::atom).toList(), actual.stream().map(AtomWeight::atom).toList());
            for (int k = 0; k < expected.size(); k++) assertEquals(expected.get(k).weight(), actual.get(k).weight(), 1e-4);
        }
    }
}
