package org.glassbox.mnist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.Scaling;
import org.glassbox.layers.inspect.StackAnatomy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer-1 atoms in pixel space. An atom D_k lives in whitened patch space; the whitening
 * layer's inverse C^(1/2) (its {@code unwhitening} array) maps it back to a k x k pixel patch,
 * D_k C^(1/2). Each patch is drawn with its own symmetric range (0 is mid grey, the largest
 * magnitude is white or black), enlarged, in a grid ordered by usage (most used first).
 */
final class StrokeAtlas {
    /** Pixels per patch pixel in the atlas. */
    static final int SCALE = 8;

    private StrokeAtlas() {
    }

    /**
     * The pixel pictures {@code [atoms, h, w, channels]} of the atoms of stage {@code stageId}, as
     * the inspection anatomy draws them (layer 1 un-whitened, deeper layers by composition).
     */
    static INDArray pixelAtoms(Pipeline pipeline, String stageId) {
        int stage = pipeline.stages().indexOf(pipeline.stage(stageId));
        return new StackAnatomy().atomImages(pipeline, stage).orElseThrow(
                () -> new IllegalStateException(stageId + " has no pixel-space picture in this stack"));
    }

    /** Writes {@code atlas-L1.png}. */
    static void write(Pipeline pipeline, Path png) {
        INDArray atoms = pixelAtoms(pipeline, StrokeStack.L1_CODE);
        List<INDArray> images = new ArrayList<>();
        for (int k = 0; k < atoms.size(0); k++) {
            images.add(atoms.slice(k));
        }
        AtlasRenderer.writePng(png, images, AtlasRenderer.defaultColumns(images.size()), SCALE, Scaling.SYMMETRIC);
    }
}
