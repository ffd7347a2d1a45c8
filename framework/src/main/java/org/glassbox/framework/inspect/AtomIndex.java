package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.DerivedChannels;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;

/**
 * The atoms of a pipeline: which stages have a dictionary ({@link HasAtoms}), how an atom id such
 * as {@code L2/a17} resolves to a stage and an index, what the channels of the pipeline's output
 * are called, and where a grid position of a stage lies in the input image (its receptive field).
 */
public final class AtomIndex {
    private static final Pattern ATOM_ID = Pattern.compile("(.+)/a(0|[1-9][0-9]{0,8})");

    private final Pipeline pipeline;
    private final List<Integer> sparseStages = new ArrayList<>();

    /** One resolved atom: the stage index in {@code pipeline.stages()} and the atom's row in its dictionary. */
    public record Ref(int stage, int atom) {
    }

    /** Indexes the sparse-coding stages of {@code pipeline}. */
    public AtomIndex(Pipeline pipeline) {
        this.pipeline = pipeline;
        List<Layer> stages = pipeline.stages();
        for (int s = 0; s < stages.size(); s++) {
            if (stages.get(s) instanceof HasAtoms) sparseStages.add(s);
        }
    }

    /** The pipeline indexed. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The indices (into {@code pipeline.stages()}) of the stages with atoms, in order. */
    public List<Integer> sparseStages() {
        return Collections.unmodifiableList(sparseStages);
    }

    /** The dictionary of stage {@code stage}, which must have atoms. */
    public HasAtoms atoms(int stage) {
        return (HasAtoms) pipeline.stages().get(stage);
    }

    /**
     * Resolves {@code atomId}; an id that names no atom of this pipeline gives a
     * {@link GlassboxException}: {@code unknown atom id 'X' (this model's atoms: L1/a0 .. L1/a63)}.
     */
    public Ref resolve(String atomId) {
        Matcher m = atomId == null ? null : ATOM_ID.matcher(atomId.trim());
        if (m != null && m.matches()) {
            for (int s : sparseStages) {
                HasAtoms a = atoms(s);
                int k = Integer.parseInt(m.group(2));
                if (a.atomPrefix().equals(m.group(1)) && k < a.atomCount()) return new Ref(s, k);
            }
        }
        throw new GlassboxException("unknown atom id '" + atomId + "' (this model's atoms: " + describe() + ")");
    }

    /** The atom ranges, such as {@code L1/a0 .. L1/a63, L2/a0 .. L2/a127}, or {@code none}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (int s : sparseStages) {
            HasAtoms a = atoms(s);
            parts.add(a.atomId(0) + " .. " + a.atomId(a.atomCount() - 1));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * The names of the pipeline output's channels: walking back from the last stage over stages
     * that keep the channel count (pooling), the first stage that sets the channels names them;
     * when it has atoms, channel k is its atom k ({@code L2/a17}), otherwise {@code <stage id>/c<k>}
     * (for example the dimensions of a manifold embedding), or {@code input/c<k>} without stages. A
     * {@link DerivedChannels} stage names its channels from its input's names
     * ({@code mean(L1.embed/c3)}). Each branch's channels follow, named the same way within the
     * branch from the names of what it reads: a stage's output channels as the stages name them
     * ({@code L1.embed/c3} for a branch that pools layer 1's embedding), the input's channels after
     * the branch's last stage ({@code P.pool/c0}: the pixels the branch pools). A branch whose names
     * would repeat a name already given is named after its last stage too, so that no two channels
     * share a name.
     */
    public List<String> outputChannelNames() {
        List<String> names = new ArrayList<>(channelNames(pipeline, pipeline.stages().size() - 1, List.of()));
        for (int b = 0; b < pipeline.branches().size(); b++) {
            Pipeline branch = pipeline.branches().get(b);
            int last = branch.stages().size() - 1;
            int reads = pipeline.branchReads(b);
            List<String> own = reads == 0 ? null : channelNames(branch, last, channelNames(pipeline, reads - 1, List.of()));
            if (own == null || own.stream().anyMatch(names::contains)) {
                own = channelNames(branch, last, numbered(branch.stages().get(last).id(), branch.inputShape().channels()));
            }
            names.addAll(own);
        }
        return names;
    }

    /**
     * The names of stage {@code s}'s output channels in {@code chain} ({@code s = -1}: the input's,
     * {@code inputNames}, or {@code input/c<k>} when that is empty).
     */
    private static List<String> channelNames(Pipeline chain, int s, List<String> inputNames) {
        if (s < 0) return inputNames.isEmpty() ? numbered("input", chain.inputShape().channels()) : inputNames;
        Layer stage = chain.stages().get(s);
        if (stage instanceof HasAtoms) return AtomAttribution.atomIds(chain, s);
        if (stage instanceof DerivedChannels d) return d.outputChannelNames(channelNames(chain, s - 1, inputNames));
        if (stage.inputShape().channels() == stage.outputShape().channels()) return channelNames(chain, s - 1, inputNames);
        return numbered(stage.id(), stage.outputShape().channels());
    }

    private static List<String> numbered(String prefix, int channels) {
        List<String> names = new ArrayList<>(channels);
        for (int k = 0; k < channels; k++) names.add(prefix + "/c" + k);
        return names;
    }

    /**
     * The receptive field of grid position (i, j) of stage {@code stage}'s output, in input pixels:
     * {@code {rows, columns}}, each span taken back one stage at a time ({@link #inputSpan}).
     */
    public Span[] field(int stage, int i, int j) {
        Span rows = new Span(i, i + 1);
        Span cols = new Span(j, j + 1);
        for (int s = stage; s >= 0; s--) {
            Layer layer = pipeline.stages().get(s);
            rows = inputSpan(layer, rows, true);
            cols = inputSpan(layer, cols, false);
        }
        return new Span[] {rows, cols};
    }

    /**
     * The rows (or columns) of {@code layer}'s input grid that its output rows (columns)
     * {@code outputs} read: the layer's own answer when it is a {@link ReceptiveField}; otherwise the
     * same rows when it keeps the grid size, and all of them when it does not.
     */
    static Span inputSpan(Layer layer, Span outputs, boolean rows) {
        if (layer instanceof ReceptiveField f) return f.inputSpan(outputs, rows);
        boolean keepsGrid = layer.inputShape().gridH() == layer.outputShape().gridH()
                && layer.inputShape().gridW() == layer.outputShape().gridW();
        if (keepsGrid) return outputs;
        return new Span(0, rows ? layer.inputShape().gridH() : layer.inputShape().gridW());
    }
}
