package org.glassbox.layers.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.Scaling;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The atlas of one sparse-coding stage: every atom's picture in pixel space as the inspection
 * pipeline's anatomy draws it ({@link Anatomy#atomImages}: a first-layer atom un-whitened,
 * D_k C^(1/2), reshaped to its k x k (x 3 for RGB) window; a deeper atom by composition of the
 * lower atoms it uses at their grid positions), each with its own symmetric range (0 is mid grey,
 * the largest magnitude white or black, per colour channel for RGB), enlarged, in a grid ordered by
 * usage (most used first).
 */
public final class AtomAtlas {
    private AtomAtlas() {
    }

    /**
     * The pixel pictures {@code [atoms, h, w, channels]} of the atoms of stage {@code stageId}.
     *
     * @throws IllegalStateException if the stack gives that stage no pixel picture
     */
    public static INDArray pixelAtoms(Pipeline pipeline, String stageId) {
        int stage = pipeline.stages().indexOf(pipeline.stage(stageId));
        return Anatomy.of(pipeline).atomImages(stage).orElseThrow(
                () -> new IllegalStateException(stageId + " has no pixel-space picture in this stack"));
    }

    /** Writes the atlas of stage {@code stageId} to {@code png}, each picture pixel drawn {@code scale} x {@code scale}. */
    public static void write(Pipeline pipeline, String stageId, Path png, int scale) {
        write(pixelAtoms(pipeline, stageId), png, scale);
    }

    /** Writes the atlas of pictures {@code [atoms, h, w, channels]} (from {@link #pixelAtoms}) to {@code png}. */
    public static void write(INDArray atoms, Path png, int scale) {
        List<INDArray> images = new ArrayList<>();
        for (int k = 0; k < atoms.size(0); k++) images.add(atoms.slice(k));
        AtlasRenderer.writePng(png, images, AtlasRenderer.defaultColumns(images.size()), scale, Scaling.SYMMETRIC);
    }
}
