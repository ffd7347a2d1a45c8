package org.glassbox.mnist;

import org.glassbox.layers.inspect.AtomAtlas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.Scaling;
import org.glassbox.layers.patch.PatchLayer;
import org.glassbox.layers.pool.PoolingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer-2 atoms (digit parts) in pixel space, drawn two independent ways:
 * <ol>
 *   <li><b>by composition:</b> an L2 atom is a vector over a {@code k2 x k2} patch of the pooled
 *   L1 code grid, entry {@code (dy, dx, c)} weighting L1 atom c in pooled cell (dy, dx). Each pooled
 *   cell averages a {@code p x p} window of L1 positions, and L1 position (y, x) sees the pixels
 *   from (y, x) on. So the atom's picture is sum over (dy, dx, c) and the window offsets (a, b) of
 *   w[dy, dx, c] / p^2 times the pixel image of L1 atom c, placed at pixel (p dy + a, p dx + b):
 *   a canvas of {@code (k2 - 1) p + (p - 1) + k1} pixels a side (drawn by the inspection
 *   anatomy, {@link Anatomy#atomImages});</li>
 *   <li><b>by data:</b> the average of the input crops (the same receptive field) at the
 *   {@link TopActivations#TOP} test positions where the atom's coefficient is largest.</li>
 * </ol>
 * {@code atlas-L2.png} shows them side by side: each atom's composition, then its data average. It is
 * drawn for stacks with the stage ids of {@code docs/stacks/strokes-and-parts.json}.
 */
final class PartAtlas {
    /** The stage ids of the stroke-and-part stack that the atlas reads. */
    static final String L1_PATCHES = "L1.patches";
    static final String L1_POOL = "L1.pool";
    static final String L2_PATCHES = "L2.patches";
    static final String L2_CODE = "L2.code";

    private PartAtlas() {
    }

    /**
     * The average input crop {@code [atoms, field, field, 1]} at each atom's strongest positions, as
     * collected by {@code top}; positions are spaced {@code stride} pixels apart.
     */
    static INDArray averageCrops(TopActivations top, ImageSet images, int stride, int field) {
        int h = (int) images.images().size(1);
        int w = (int) images.images().size(2);
        float[] pixels = images.images().dup('c').data().asFloat();
        float[] out = new float[top.atoms() * field * field];
        for (int a = 0; a < top.atoms(); a++) {
            long[] hits = top.positions(a);
            for (long flat : hits) {
                int image = (int) (flat / top.positionsPerSample());
                int pos = (int) (flat % top.positionsPerSample());
                int y0 = (pos / top.gridW()) * stride;
                int x0 = (pos % top.gridW()) * stride;
                for (int y = 0; y < field && y0 + y < h; y++) {
                    for (int x = 0; x < field && x0 + x < w; x++) {
                        out[(a * field + y) * field + x] += pixels[(image * h + y0 + y) * w + x0 + x] / hits.length;
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {top.atoms(), field, field, 1}, 'c');
    }

    /**
     * Whether {@code pipeline}'s stages are those the atlas reads: {@code L1.patches}, {@code L1.pool}
     * and {@code L2.patches} of their kinds, and {@code L2.code} (a stack whose layer 1 is pooled in a
     * branch, such as {@code docs/stacks/mnist-two-layer.json}, is not).
     */
    static boolean applies(Pipeline pipeline) {
        Map<String, Layer> stages = new HashMap<>();
        pipeline.stages().forEach(l -> stages.put(l.id(), l));
        return stages.get(L1_PATCHES) instanceof PatchLayer && stages.get(L1_POOL) instanceof PoolingLayer
                && stages.get(L2_PATCHES) instanceof PatchLayer && stages.containsKey(L2_CODE);
    }

    /** Writes {@code atlas-L2.png}: for each atom its composition and, to its right, its data average. */
    static void write(Pipeline pipeline, ImageSet test, TopActivations top, Path png) {
        PatchLayer l1Patches = (PatchLayer) pipeline.stage(L1_PATCHES);
        PoolingLayer l1Pool = (PoolingLayer) pipeline.stage(L1_POOL);
        PatchLayer l2Patches = (PatchLayer) pipeline.stage(L2_PATCHES);
        INDArray composed = AtomAtlas.pixelAtoms(pipeline, L2_CODE);
        int field = (int) composed.size(1);
        int stride = l1Pool.spec().window() * l2Patches.spec().stride() * l1Patches.spec().stride();
        INDArray crops = averageCrops(top, test, stride, field);
        List<INDArray> images = new ArrayList<>();
        for (int a = 0; a < composed.size(0); a++) {
            images.add(composed.slice(a));
            images.add(crops.slice(a));
        }
        AtlasRenderer.writePng(png, images, 16, 4, Scaling.MIN_MAX);
    }
}
