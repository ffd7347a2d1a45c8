package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassbox.framework.layer.ChannelMap;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the atoms and inputs of a pipeline's sparse-coding stages look in pixel space, worked out
 * from the stages themselves: each stage says what it can through {@link Reversible} (patches,
 * whitening) and {@link ReceptiveField} (patches, pooling), and this class walks the stages
 * (docs/inspection.md).
 *
 * <ul>
 * <li><b>Atoms in pixels, directly</b>: the dictionary of a sparse-coding stage, each atom a
 * pattern on one grid position, goes back through the reversible stages below it
 * ({@link Reversible#patternToInput}); when they reach the pipeline's input, that is the picture.
 * For patches over the image and whitening, atom D_k becomes the patch D_k U (U = C^(1/2), the
 * whitening's {@code unwhitening}) laid out as its k x k window.</li>
 * <li><b>Deeper atoms in pixels, by composition</b>: when the walk stops at a stage that is not
 * reversible, the atoms are patterns P[j, dy, dx, k] on a window of that stage's output grid (for
 * patches of a lower stage's codes: P[j, dy, dx, k] = D[j, (dy k2 + dx) K1 + k]). Through stages
 * that keep the channel count (pooling) down to a lower sparse-coding stage with K1 atoms (one per
 * channel), the image of atom j is
 * <pre>
 *   sum over cells (dy, dx) and lower atoms k of P[j, dy, dx, k] / |R(dy, dx)|
 *       * sum over lower positions p in R(dy, dx) of image(lower atom k) placed at p's receptive field
 * </pre>
 * with R(dy, dx) the lower grid positions that cell (dy, dx) reads: each lower atom it uses,
 * weighted, at its grid position. Pooling is treated as an average and the L2 normalisation after
 * it is ignored, so the picture shows the atom's shape, not its exact scale. A stage between them
 * that maps channels by one fixed matrix M ({@link ChannelMap}: a manifold embedding, whose
 * dimensions are the channels the upper atoms read) turns the pattern on its output channels into
 * P M on its input channels, the lower atoms, its normalisation ignored likewise.</li>
 * <li><b>Built from</b>: the weight of lower atom k in atom j is the sum over cells (dy, dx) of
 * |P[j, dy, dx, k]|.</li>
 * <li><b>Inputs in pixels</b>: a sparse-coding stage's input (or its reconstruction) goes back
 * through the reversible stages below it ({@link Reversible#toInput}) when they reach the
 * pipeline's input.</li>
 * </ul>
 * Where none of this applies (a stage between two sparse-coding stages that changes the channels in
 * another way), there is no picture: the catalog then averages the atom's top-activating crops.
 */
public final class Anatomy {
    /** The most lower atoms listed per atom in {@link #builtFrom}. */
    public static final int BUILT_FROM = 12;

    private final Pipeline pipeline;
    private final AtomIndex index;
    private final Map<Integer, Patterns> patterns = new HashMap<>();
    private final Map<Integer, Optional<Composition>> compositions = new HashMap<>();

    /**
     * A stage's atoms as patterns {@code [atoms, h, w, channels]} on the output positions from (0, 0)
     * of stage {@code below}, the first stage under it that is not {@link Reversible}; -1 when the
     * patterns are in the pipeline's input pixels.
     */
    private record Patterns(INDArray values, int below) {
    }

    /**
     * A stage's atoms as patterns {@code [atoms, h, w, C]} on the output positions of stage
     * {@code below}, whose C channels are the K1 atoms of the sparse-coding stage {@code lower}
     * ({@code toAtoms} null), or map to them by {@code toAtoms} {@code [C, K1]} (the product of the
     * {@link ChannelMap} matrices between them): atom k's weight in a pattern w is (w toAtoms)[k].
     */
    private record Composition(INDArray values, int below, int lower, INDArray toAtoms) {
    }

    private Anatomy(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.index = new AtomIndex(pipeline);
    }

    /** The anatomy of {@code pipeline}'s stages. */
    public static Anatomy of(Pipeline pipeline) {
        return new Anatomy(pipeline);
    }

    /**
     * The atoms of the sparse-coding stage {@code stage} (an index into {@code pipeline.stages()})
     * as pixel-space images {@code [atoms, h, w, channels]}, or empty when they have none (the
     * catalog then averages top-activating crops).
     */
    public Optional<INDArray> atomImages(int stage) {
        Patterns p = patterns(stage);
        if (p.below() < 0) return Optional.of(p.values());
        Optional<Composition> lower = composition(stage);
        if (lower.isEmpty()) return Optional.empty();
        return compose(stage, lower.get());
    }

    /**
     * Maps {@code maps} {@code [n, inputShape of stage]}, vectors in the input space of stage
     * {@code stage} (its input, a reconstruction), to pixel images {@code [n, H, W, C]} of the
     * pipeline's input shape, or empty when the stages below it are not all {@link Reversible}.
     */
    public Optional<INDArray> inputImages(int stage, INDArray maps) {
        List<Layer> stages = pipeline.stages();
        for (int t = stage - 1; t >= 0; t--) {
            if (!(stages.get(t) instanceof Reversible)) return Optional.empty();
        }
        INDArray x = maps;
        for (int t = stage - 1; t >= 0; t--) x = ((Reversible) stages.get(t)).toInput(x);
        return Optional.of(x);
    }

    /**
     * The lower-layer atoms that atom {@code atom} of the sparse-coding stage {@code stage} is built
     * from, largest weight first, at most {@link #BUILT_FROM}; empty for an atom drawn directly in
     * pixels.
     */
    public List<AtomWeight> builtFrom(int stage, int atom) {
        Optional<Composition> lower = composition(stage);
        if (lower.isEmpty()) return List.of();
        HasAtoms low = index.atoms(lower.get().lower());
        int k1 = low.atomCount();
        INDArray pattern = lower.get().values().slice(atom).dup('c');
        INDArray toAtoms = lower.get().toAtoms();
        float[] row = (toAtoms == null ? pattern : pattern.reshape('c', pattern.length() / toAtoms.size(0), toAtoms.size(0))
                .mmul(toAtoms)).data().asFloat();
        double[] weight = new double[k1];
        for (int i = 0; i < row.length; i++) weight[i % k1] += Math.abs(row[i]);
        List<AtomWeight> out = new ArrayList<>();
        for (int k = 0; k < k1; k++) {
            if (weight[k] > 0) out.add(new AtomWeight(low.atomId(k), weight[k]));
        }
        out.sort(Comparator.comparingDouble(AtomWeight::weight).reversed());
        return out.subList(0, Math.min(BUILT_FROM, out.size()));
    }

    /** The atoms of stage {@code stage} taken back through the reversible stages below it, worked out once. */
    private synchronized Patterns patterns(int stage) {
        return patterns.computeIfAbsent(stage, s -> {
            INDArray d = index.atoms(s).dictionary();
            INDArray values = d.reshape('c', d.size(0), 1, 1, d.size(1));
            int t = s - 1;
            for (; t >= 0 && pipeline.stages().get(t) instanceof Reversible r; t--) values = r.patternToInput(values);
            return new Patterns(values, t);
        });
    }

    /**
     * The atoms of stage {@code stage} as patterns on the atoms of the lower sparse-coding stage,
     * reached from the first stage under it that is not reversible through stages that keep the
     * channel count and stages that map channels by a fixed matrix ({@link ChannelMap}); empty when
     * there is none. Worked out once per stage.
     */
    private synchronized Optional<Composition> composition(int stage) {
        return compositions.computeIfAbsent(stage, s -> {
            Patterns p = patterns(s);
            List<Layer> stages = pipeline.stages();
            INDArray toAtoms = null;
            long channels = p.values().size(3);
            int t = p.below();
            for (; t >= 0 && !(stages.get(t) instanceof HasAtoms); t--) {
                Layer below = stages.get(t);
                if (below instanceof ChannelMap map) {
                    toAtoms = toAtoms == null ? map.channelMap() : toAtoms.mmul(map.channelMap());
                    channels = toAtoms.size(1);
                } else if (below.inputShape().channels() != channels) {
                    return Optional.empty();
                }
            }
            if (t < 0 || !(stages.get(t) instanceof HasAtoms low) || low.atomCount() != channels) return Optional.empty();
            return Optional.of(new Composition(p.values(), p.below(), t, toAtoms));
        });
    }

    /** The composition formula of the class comment: atoms of {@code stage} drawn from the pictures of the lower stage's atoms. */
    private Optional<INDArray> compose(int stage, Composition p) {
        int lower = p.lower();
        Optional<INDArray> lowerImages = atomImages(lower);
        if (lowerImages.isEmpty()) return Optional.empty();
        // through a channel map the pattern's channels are drawn as toAtoms times the atoms' pictures
        INDArray li = p.toAtoms() == null ? lowerImages.get() : imagesOfChannels(p.toAtoms(), lowerImages.get());
        Span[] canvas = index.field(stage, 0, 0);
        int h = canvas[0].length();
        int w = canvas[1].length();
        int c = (int) li.size(3);
        int k1 = (int) li.size(0);
        int atoms = (int) p.values().size(0);
        int gh = (int) p.values().size(1);
        int gw = (int) p.values().size(2);
        float[] d = p.values().dup('c').data().asFloat();
        float[] low = li.dup('c').data().asFloat();
        int lh = (int) li.size(1);
        int lw = (int) li.size(2);
        float[] out = new float[atoms * h * w * c];
        for (int dy = 0; dy < gh; dy++) {
            for (int dx = 0; dx < gw; dx++) {
                Span r = new Span(dy, dy + 1);
                Span q = new Span(dx, dx + 1);
                for (int s = p.below(); s > lower; s--) {
                    r = AtomIndex.inputSpan(pipeline.stages().get(s), r, true);
                    q = AtomIndex.inputSpan(pipeline.stages().get(s), q, false);
                }
                double share = 1.0 / (r.length() * q.length());
                for (int pr = r.from(); pr < r.to(); pr++) {
                    for (int pc = q.from(); pc < q.to(); pc++) {
                        Span[] f = index.field(lower, pr, pc);
                        int oy = f[0].from() - canvas[0].from();
                        int ox = f[1].from() - canvas[1].from();
                        for (int j = 0; j < atoms; j++) {
                            for (int k = 0; k < k1; k++) {
                                float weight = (float) (d[((j * gh + dy) * gw + dx) * k1 + k] * share);
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
        return Optional.of(Nd4j.create(out, new long[] {atoms, h, w, c}, 'c'));
    }

    /** The pictures {@code [C, h, w, c]} of channels that weight the atoms' pictures {@code [K1, h, w, c]} by {@code toAtoms} {@code [C, K1]}. */
    private static INDArray imagesOfChannels(INDArray toAtoms, INDArray atomImages) {
        long[] shape = atomImages.shape();
        INDArray flat = atomImages.dup('c').reshape('c', shape[0], shape[1] * shape[2] * shape[3]);
        return toAtoms.mmul(flat).reshape('c', toAtoms.size(0), shape[1], shape[2], shape[3]);
    }
}
