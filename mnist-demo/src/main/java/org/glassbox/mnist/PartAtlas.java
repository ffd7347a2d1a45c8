package org.glassbox.mnist;

import org.glassbox.layers.inspect.AtomAtlas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.Scaling;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer-2 atoms (digit parts) in pixel space, drawn two independent ways:
 * <ol>
 *   <li><b>by composition:</b> an L2 atom is a pattern over a window of the grid below it, whose
 *   channels are layer 1's atoms (the stroke-and-part stack: pooled L1 codes) or are mapped to them
 *   by a fixed matrix (the two-layer sparse manifold transform: embedding dimensions, through the
 *   embedding's projection). Its picture is the sum of the pixel images of the L1 atoms it weights,
 *   each at the pixels of its grid cell (drawn by the inspection anatomy, {@link Anatomy#atomImages},
 *   docs/inspection.md);</li>
 *   <li><b>by data:</b> the average of the input crops (the same receptive field) at the
 *   {@link TopActivations#TOP} test positions where the atom's coefficient is largest.</li>
 * </ol>
 * {@code atlas-L2.png} shows them side by side: each atom's composition, then its data average. It is
 * drawn for stacks with a stage {@code L2.code} whose atoms the anatomy can compose
 * ({@code docs/stacks/strokes-and-parts.json}, {@code docs/stacks/mnist-two-layer.json}).
 */
final class PartAtlas {
    /** The id of the layer-2 sparse-coding stage that the atlas draws. */
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

    /** Whether {@code pipeline} has a stage {@link #L2_CODE} whose atoms the anatomy can draw in pixels. */
    static boolean applies(Pipeline pipeline) {
        int stage = stageIndex(pipeline);
        return stage >= 0 && Anatomy.of(pipeline).atomImages(stage).isPresent();
    }

    private static int stageIndex(Pipeline pipeline) {
        List<Layer> stages = pipeline.stages();
        for (int s = 0; s < stages.size(); s++) {
            if (stages.get(s).id().equals(L2_CODE)) return s;
        }
        return -1;
    }

    /**
     * Writes {@code atlas-L2.png}: for each atom its composition and, to its right, its data average
     * over the receptive field of the atom's grid positions, which lie {@code stride} pixels apart.
     */
    static void write(Pipeline pipeline, ImageSet test, TopActivations top, Path png) {
        INDArray composed = AtomAtlas.pixelAtoms(pipeline, L2_CODE);
        int field = (int) composed.size(1);
        AtomIndex index = new AtomIndex(pipeline);
        int stage = stageIndex(pipeline);
        int stride = index.field(stage, 0, 1)[1].from() - index.field(stage, 0, 0)[1].from();
        INDArray crops = averageCrops(top, test, stride, field);
        List<INDArray> images = new ArrayList<>();
        for (int a = 0; a < composed.size(0); a++) {
            images.add(composed.slice(a));
            images.add(crops.slice(a));
        }
        AtlasRenderer.writePng(png, images, 16, 4, Scaling.MIN_MAX);
    }
}
