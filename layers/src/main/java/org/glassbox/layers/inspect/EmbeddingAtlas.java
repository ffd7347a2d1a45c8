package org.glassbox.layers.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.Scaling;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The atlas of a manifold-embedding stage, as the sparse manifold transform paper draws it (Chen,
 * Yun, Ma, Olshausen, LeCun, ICLR 2023): one row per embedding dimension j, slowest first, holding
 * the {@link #ATOMS_PER_DIMENSION} atoms of the stage before it with the largest |P_jk|
 * ({@link ManifoldLayer#topAtoms}), each atom's pixel picture ({@link AtomAtlas#pixelAtoms})
 * multiplied by the sign of its weight, so that a row shows what the dimension responds to.
 */
public final class EmbeddingAtlas {
    /** Atoms drawn per embedding dimension. */
    public static final int ATOMS_PER_DIMENSION = 16;

    private EmbeddingAtlas() {
    }

    /** The manifold stages of {@code pipeline} whose input is a stage with pixel pictures of its atoms. */
    public static List<ManifoldLayer> embeddings(Pipeline pipeline) {
        List<ManifoldLayer> out = new ArrayList<>();
        List<Layer> stages = pipeline.stages();
        Anatomy anatomy = Anatomy.of(pipeline);
        for (int s = 1; s < stages.size(); s++) {
            if (stages.get(s) instanceof ManifoldLayer m && stages.get(s - 1) instanceof HasAtoms
                    && anatomy.atomImages(s - 1).isPresent()) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The pictures of the atlas of {@code embedding} (one of {@link #embeddings}), row by row:
     * {@code dims x ATOMS_PER_DIMENSION} pictures {@code [h, w, channels]}.
     */
    public static List<INDArray> pictures(Pipeline pipeline, ManifoldLayer embedding) {
        int stage = pipeline.stages().indexOf(embedding);
        INDArray atoms = AtomAtlas.pixelAtoms(pipeline, pipeline.stages().get(stage - 1).id());
        List<INDArray> images = new ArrayList<>();
        for (int j = 0; j < embedding.spec().dims(); j++) {
            for (ManifoldLayer.AtomWeight a : embedding.topAtoms(j, ATOMS_PER_DIMENSION)) {
                images.add(atoms.slice(a.atom()).mul(Math.signum(a.weight()) == 0 ? 1 : Math.signum(a.weight())));
            }
        }
        return images;
    }

    /** Writes the atlas of {@code embedding} to {@code png}, each picture pixel drawn {@code scale} x {@code scale}. */
    public static void write(Pipeline pipeline, ManifoldLayer embedding, Path png, int scale) {
        AtlasRenderer.writePng(png, pictures(pipeline, embedding), ATOMS_PER_DIMENSION, scale, Scaling.SYMMETRIC);
    }
}
