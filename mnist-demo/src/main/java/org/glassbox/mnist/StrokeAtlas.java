package org.glassbox.mnist;

import java.nio.file.Path;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.inspect.AtomAtlas;

/**
 * {@code atlas-L1.png}: the layer-1 stroke atoms in pixel space ({@link AtomAtlas}). An atom D_k
 * lives in whitened patch space; the whitening layer's inverse C^(1/2) maps it back to a 7 x 7
 * pixel patch, D_k C^(1/2).
 */
final class StrokeAtlas {
    /** Pixels per patch pixel in the atlas. */
    static final int SCALE = 8;

    private StrokeAtlas() {
    }

    /** Writes {@code atlas-L1.png}. */
    static void write(Pipeline pipeline, Path png) {
        AtomAtlas.write(pipeline, DefaultStack.L1_CODE, png, SCALE);
    }
}
