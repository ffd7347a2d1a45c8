package org.glassbox.layers.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.inspect.Anatomy;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.AtomWeight;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.patch.PatchLayer;
import org.glassbox.layers.pool.PoolingLayer;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.whiten.WhiteningLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Anatomy} of the layer kinds of the layers module (patches, whitening, sparse coding,
 * pooling, per-position layers such as the manifold embedding, and the linear readout).
 *
 * <ul>
 * <li><b>First-layer atoms in pixels</b>: for a sparse-coding stage reading patches of the input
 * image, optionally whitened, atom D_k becomes the patch D_k U (U = C^(1/2), the whitening layer's
 * {@code unwhitening}) reshaped to the k x k window ({@link PatchLayer#patchImages}).</li>
 * <li><b>Deeper atoms in pixels, by composition</b> (docs/inspection.md): for a sparse-coding stage
 * reading patches (size k2) of a lower sparse-coding stage's codes, through channel-preserving stages
 * such as pooling, the image of atom j is
 * <pre>
 *   sum over patch cells (dy, dx) and lower atoms k of D[j, (dy k2 + dx) K1 + k] / |R(dy, dx)|
 *       * sum over lower positions p in R(dy, dx) of image(lower atom k) placed at p's receptive field
 * </pre>
 * with R(dy, dx) the lower grid positions that cell (dy, dx) pools: each lower atom it uses, weighted,
 * at its grid position. Pooling is treated as an average and the L2 normalisation after it is
 * ignored, so the picture shows the atom's shape, not its exact scale.</li>
 * <li><b>Built from</b>: the weight of lower atom k in atom j is sum over (dy, dx) of
 * |D[j, (dy k2 + dx) K1 + k]|.</li>
 * <li><b>Receptive fields</b>: a patch stage maps output rows [a, b) to input rows
 * [a s, (b - 1) s + k); a pooling stage to the union of its regions; a stage that keeps the grid
 * maps positions to themselves; any other stage to its whole input grid.</li>
 * </ul>
 */
public final class StackAnatomy implements Anatomy {
    /** The most lower atoms listed per atom in {@link #builtFrom}. */
    public static final int BUILT_FROM = 12;

    /** One lower stage a sparse-coding stage reads patches of. */
    private record Lower(PatchLayer patches, int lowerStage, int patchStage) {
    }

    @Override
    public Optional<INDArray> atomImages(Pipeline pipeline, int stage) {
        HasAtoms atoms = (HasAtoms) pipeline.stages().get(stage);
        Optional<PatchLayer> pixelPatches = pixelPatches(pipeline, stage);
        if (pixelPatches.isPresent()) {
            INDArray d = atoms.dictionary();
            if (pipeline.stages().get(stage - 1) instanceof WhiteningLayer w) d = w.unwhitenDirections(d);
            return Optional.of(pixelPatches.get().patchImages(d));
        }
        return lower(pipeline, stage).flatMap(l -> compose(pipeline, stage, l));
    }

    @Override
    public Optional<INDArray> inputImages(Pipeline pipeline, int stage, INDArray maps) {
        Optional<PatchLayer> pixelPatches = pixelPatches(pipeline, stage);
        if (pixelPatches.isEmpty()) return Optional.empty();
        PatchLayer patches = pixelPatches.get();
        INDArray rows = Maps.rows(maps.dup('c'));
        if (pipeline.stages().get(stage - 1) instanceof WhiteningLayer w) rows = w.unwhiten(rows);
        return Optional.of(patches.fold(Maps.map(rows, patches.outputShape())));
    }

    @Override
    public Span inputSpan(Layer layer, Span outputs, boolean rows) {
        if (layer instanceof PatchLayer p) {
            int s = p.spec().stride();
            return new Span(outputs.from() * s, (outputs.to() - 1) * s + p.spec().size());
        }
        if (layer instanceof PoolingLayer p) {
            int[] first = rows ? p.regionRows(outputs.from()) : p.regionColumns(outputs.from());
            int[] last = rows ? p.regionRows(outputs.to() - 1) : p.regionColumns(outputs.to() - 1);
            return new Span(first[0], last[1]);
        }
        boolean keepsGrid = layer.inputShape().gridH() == layer.outputShape().gridH()
                && layer.inputShape().gridW() == layer.outputShape().gridW();
        if (keepsGrid) return outputs;
        return new Span(0, rows ? layer.inputShape().gridH() : layer.inputShape().gridW());
    }

    @Override
    public Optional<ScoreDecomposition> decomposition(Layer readout) {
        if (!(readout instanceof LinearReadout linear)) return Optional.empty();
        return Optional.of(new ScoreDecomposition() {
            @Override
            public INDArray contributions(INDArray features) {
                return linear.contributions(features);
            }

            @Override
            public INDArray weights() {
                return linear.weights().reshape('c', linear.weights().size(0), linear.inputShape().gridH(),
                        linear.inputShape().gridW(), linear.inputShape().channels());
            }

            @Override
            public INDArray bias() {
                return linear.bias();
            }
        });
    }

    @Override
    public List<AtomWeight> builtFrom(Pipeline pipeline, int stage, int atom) {
        Optional<Lower> lower = lower(pipeline, stage);
        if (lower.isEmpty()) return List.of();
        HasAtoms low = (HasAtoms) pipeline.stages().get(lower.get().lowerStage());
        int k1 = low.atomCount();
        float[] row = ((HasAtoms) pipeline.stages().get(stage)).dictionary().getRow(atom).dup().data().asFloat();
        double[] weight = new double[k1];
        for (int i = 0; i < row.length; i++) weight[i % k1] += Math.abs(row[i]);
        List<AtomWeight> out = new ArrayList<>();
        for (int k = 0; k < k1; k++) {
            if (weight[k] > 0) out.add(new AtomWeight(low.atomId(k), weight[k]));
        }
        out.sort(Comparator.comparingDouble(AtomWeight::weight).reversed());
        return out.subList(0, Math.min(BUILT_FROM, out.size()));
    }

    /** The patch stage over the pipeline input that the stage reads (directly or through whitening), if any. */
    private static Optional<PatchLayer> pixelPatches(Pipeline pipeline, int stage) {
        List<Layer> stages = pipeline.stages();
        int p = stage - 1;
        if (p >= 0 && stages.get(p) instanceof WhiteningLayer) p--;
        if (p == 0 && stages.get(0) instanceof PatchLayer patches) return Optional.of(patches);
        return Optional.empty();
    }

    /** The lower sparse-coding stage whose codes (through channel-preserving stages) the stage reads patches of. */
    private static Optional<Lower> lower(Pipeline pipeline, int stage) {
        List<Layer> stages = pipeline.stages();
        if (stage < 2 || !(stages.get(stage - 1) instanceof PatchLayer patches)) return Optional.empty();
        int t = stage - 2;
        int channels = patches.inputShape().channels();
        while (t >= 0 && !(stages.get(t) instanceof HasAtoms) && stages.get(t).inputShape().channels() == channels) t--;
        if (t < 0 || !(stages.get(t) instanceof HasAtoms low) || low.atomCount() != channels) return Optional.empty();
        return Optional.of(new Lower(patches, t, stage - 1));
    }

    private Optional<INDArray> compose(Pipeline pipeline, int stage, Lower lower) {
        Optional<INDArray> lowerImages = atomImages(pipeline, lower.lowerStage());
        if (lowerImages.isEmpty()) return Optional.empty();
        INDArray li = lowerImages.get();
        AtomIndex index = new AtomIndex(pipeline);
        Span[] canvas = index.field(this, stage, 0, 0);
        int h = canvas[0].length();
        int w = canvas[1].length();
        int c = (int) li.size(3);
        int k2 = lower.patches().spec().size();
        int k1 = (int) li.size(0);
        HasAtoms atoms = (HasAtoms) pipeline.stages().get(stage);
        float[] d = atoms.dictionary().dup('c').data().asFloat();
        int dim = (int) atoms.dictionary().size(1);
        float[] low = li.dup('c').data().asFloat();
        int lh = (int) li.size(1);
        int lw = (int) li.size(2);
        float[] out = new float[atoms.atomCount() * h * w * c];
        for (int dy = 0; dy < k2; dy++) {
            for (int dx = 0; dx < k2; dx++) {
                Span r = new Span(dy, dy + 1);
                Span q = new Span(dx, dx + 1);
                for (int s = lower.patchStage() - 1; s > lower.lowerStage(); s--) {
                    r = inputSpan(pipeline.stages().get(s), r, true);
                    q = inputSpan(pipeline.stages().get(s), q, false);
                }
                double share = 1.0 / (r.length() * q.length());
                for (int pr = r.from(); pr < r.to(); pr++) {
                    for (int pc = q.from(); pc < q.to(); pc++) {
                        Span[] f = index.field(this, lower.lowerStage(), pr, pc);
                        int oy = f[0].from() - canvas[0].from();
                        int ox = f[1].from() - canvas[1].from();
                        for (int j = 0; j < atoms.atomCount(); j++) {
                            for (int k = 0; k < k1; k++) {
                                float weight = (float) (d[j * dim + (dy * k2 + dx) * k1 + k] * share);
                                if (weight == 0) continue;
                                for (int y = 0; y < lh && oy + y < h; y++) {
                                    for (int x = 0; x < lw && ox + x < w; x++) {
                                        for (int ch = 0; ch < c; ch++) {
                                            out[((j * h + oy + y) * w + ox + x) * c + ch] += weight * low[((k * lh + y) * lw + x) * c + ch];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Optional.of(Nd4j.create(out, new long[] {atoms.atomCount(), h, w, c}, 'c'));
    }
}
