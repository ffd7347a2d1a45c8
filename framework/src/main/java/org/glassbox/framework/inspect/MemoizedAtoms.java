package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.framework.io.Sha256;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sparse-coding stage that remembers its outputs, as their non-zeros ({@link SparseOutput}): inspection streams the same test set through
 * the pipeline several times (catalog, features, contributions, ablations), and a frozen layer is
 * immutable and deterministic, so the codes of a batch already seen are returned instead of
 * encoded again. Batches are recognised by the SHA-256 of their shape and float32 values. Outputs
 * are kept until they take {@code budgetBytes}; later batches are encoded as usual. Everything else
 * (id, spec, shapes, atoms, parameters) is the wrapped layer's.
 */
public final class MemoizedAtoms implements SparseOutput, HasAtoms {
    private final SparseOutput layer;
    private final HasAtoms atoms;
    private final long budgetBytes;
    private final Map<String, SparseRows> outputs = new HashMap<>();
    private long used;

    private MemoizedAtoms(SparseOutput layer, long budgetBytes) {
        this.layer = layer;
        this.atoms = (HasAtoms) layer;
        this.budgetBytes = budgetBytes;
    }

    /**
     * {@code pipeline} with its first stage that has atoms wrapped (usually the most expensive to
     * encode, being run on every grid position of the input), remembering up to {@code budgetBytes}
     * of outputs; the pipeline itself when it has no such stage or when that stage already remembers
     * its outputs (so that work handed a memoized model reads what was remembered before).
     */
    public static Pipeline firstSparseStage(Pipeline pipeline, long budgetBytes) {
        List<Layer> stages = new ArrayList<>(pipeline.stages());
        for (int s = 0; s < stages.size(); s++) {
            if (stages.get(s) instanceof MemoizedAtoms) return pipeline;
            if (stages.get(s) instanceof HasAtoms && stages.get(s) instanceof SparseOutput coder) {
                stages.set(s, new MemoizedAtoms(coder, budgetBytes));
                return pipeline.withStages(stages);
            }
        }
        return pipeline;
    }

    /** The stage whose codes this one remembers. */
    public Layer layer() {
        return layer;
    }

    /** The codes' non-zeros, remembered by the SHA-256 of the input batch while the budget lasts. */
    @Override
    public synchronized SparseRows encodeSparse(INDArray input) {
        Sha256 sha = new Sha256();
        sha.update(java.util.Arrays.stream(input.shape()).mapToInt(d -> (int) d).toArray());
        sha.update(FloatArrays.values(input));
        String key = sha.hex();
        SparseRows out = outputs.get(key);
        if (out != null) return out;
        out = layer.encodeSparse(input);
        long bytes = 4L * (out.start().length + 2L * out.index().length);
        if (used + bytes <= budgetBytes) {
            outputs.put(key, out);
            used += bytes;
        }
        return out;
    }

    /** The dense codes of {@link #encodeSparse}. */
    @Override
    public INDArray encode(INDArray input) {
        return Maps.map(encodeSparse(input).dense(), outputShape());
    }

    @Override
    public String id() {
        return layer.id();
    }

    @Override
    public ComponentSpec spec() {
        return layer.spec();
    }

    @Override
    public MapShape inputShape() {
        return layer.inputShape();
    }

    @Override
    public MapShape outputShape() {
        return layer.outputShape();
    }

    @Override
    public Map<String, INDArray> parameters() {
        return layer.parameters();
    }

    @Override
    public String atomPrefix() {
        return atoms.atomPrefix();
    }

    @Override
    public INDArray dictionary() {
        return atoms.dictionary();
    }

    @Override
    public INDArray usage() {
        return atoms.usage();
    }
}
