package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LocallyLinear;
import org.glassbox.framework.layer.Pipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each atom's exact share of each class score of a linear readout, through the stages between the
 * atoms and the readout. When every stage after a sparse-coding stage is {@link LocallyLinear}
 * (pooling, the manifold embedding), the features are y = A x of that stage's codes x, with A
 * fixed by the input, and a class score is bias_c + sum of W_c times y = bias_c + sum over
 * positions q and atoms k of x[q, k] (A^T W_c)[q, k]: atom k's contribution is its sum over q. The
 * weights W_c go back through the stages one at a time ({@link LocallyLinear#inputWeights}).
 */
public final class AtomAttribution {
    private AtomAttribution() {
    }

    /**
     * The stage whose atoms the scores are attributed to: the last stage with atoms after which
     * every stage is {@link LocallyLinear}; empty when there is none.
     */
    public static OptionalInt stage(Pipeline pipeline) {
        List<Layer> stages = pipeline.stages();
        for (int s = stages.size() - 1; s >= 0; s--) {
            if (stages.get(s) instanceof HasAtoms) return OptionalInt.of(s);
            if (!(stages.get(s) instanceof LocallyLinear)) return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /**
     * The contributions {@code [atoms, classes]} of the atoms of stage {@code stage} (from
     * {@link #stage}) to the scores of {@code readout} for the one sample {@code sample}
     * {@code [1, inputShape]}; for every class c, their sum plus the bias is the score.
     */
    public static INDArray contributions(Pipeline pipeline, int stage, ScoreDecomposition readout, INDArray sample) {
        List<Layer> stages = pipeline.stages();
        INDArray x = sample;
        for (int s = 0; s <= stage; s++) x = stages.get(s).encode(x);
        if (stage == stages.size() - 1) {
            INDArray c = readout.contributions(x);
            return c.reshape('c', c.size(1), c.size(2));
        }
        List<INDArray> inputs = new ArrayList<>();
        for (int s = stage + 1; s < stages.size(); s++) {
            inputs.add(x);
            x = stages.get(s).encode(x);
        }
        INDArray weights = readout.weights();
        for (int s = stages.size() - 1; s > stage + 1; s--) {
            weights = ((LocallyLinear) stages.get(s)).inputWeights(inputs.get(s - stage - 1), weights);
        }
        return ((LocallyLinear) stages.get(stage + 1)).channelContributions(inputs.get(0), weights);
    }
}
