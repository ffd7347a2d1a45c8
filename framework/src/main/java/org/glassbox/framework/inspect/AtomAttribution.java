package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.RowChunks;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LocallyLinear;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseInput;
import org.glassbox.framework.layer.SparseOutput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
     * {@link #stage} when that stage's atoms are not already the readout's input channels (a stage
     * such as a manifold embedding changes the channels between them and the readout), so that
     * naming atoms needs the weights taken back through the stages; empty otherwise.
     */
    public static OptionalInt beyondChannels(Pipeline pipeline) {
        OptionalInt stage = stage(pipeline);
        if (stage.isEmpty() || atomIds(pipeline, stage.getAsInt()).equals(new AtomIndex(pipeline).outputChannelNames())) {
            return OptionalInt.empty();
        }
        return stage;
    }

    /** The ids of the atoms of stage {@code stage} (a stage with atoms), in atom order. */
    public static List<String> atomIds(Pipeline pipeline, int stage) {
        HasAtoms atoms = (HasAtoms) pipeline.stages().get(stage);
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < atoms.atomCount(); k++) ids.add(atoms.atomId(k));
        return ids;
    }

    /**
     * The contributions {@code [atoms, classes]} of the atoms of stage {@code stage} (from
     * {@link #stage}) to the scores of {@code readout}, one array per sample of {@code batch}
     * {@code [n, inputShape]}; for every sample and class c, their sum plus the bias is the score,
     * less the contributions of the branches' channels ({@link Pipeline#branches}), which the atoms
     * do not make. Codes given as non-zeros ({@link SparseOutput}) stay so for a {@link SparseInput}
     * stage after them.
     */
    public static List<INDArray> contributions(Pipeline pipeline, int stage, ScoreDecomposition readout, INDArray batch) {
        List<Layer> stages = pipeline.stages();
        int n = (int) batch.size(0);
        INDArray x = pipeline.prefix(stage).transform(batch);
        Layer atoms = stages.get(stage);
        List<INDArray> out = new ArrayList<>();
        if (stage == stages.size() - 1) {
            INDArray encoded = atoms.encode(x);
            INDArray features = pipeline.join(encoded, batch);
            INDArray c = readout.contributions(features);
            long k = atoms.outputShape().channels();
            for (int i = 0; i < n; i++) {
                out.add(c.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup('c'));
            }
            OffHeap.freeAll(Arrays.asList(x, encoded, features, c), batch);
            return out;
        }
        SparseRows codes = atoms instanceof SparseOutput coder ? coder.encodeSparse(x) : null;
        INDArray dense = codes == null ? atoms.encode(x) : null;
        Layer next = stages.get(stage + 1);
        INDArray y = codes != null && next instanceof SparseInput reader ? reader.encodeSparse(codes)
                : next.encode(dense != null ? dense : Maps.map(codes.dense(), atoms.outputShape()));
        List<INDArray> inputs = new ArrayList<>();
        for (int s = stage + 2; s < stages.size(); s++) {
            inputs.add(y);
            y = stages.get(s).encode(y);
        }
        int positions = atoms.outputShape().positions();
        LocallyLinear first = (LocallyLinear) next;
        INDArray readoutWeights = stagesWeights(pipeline, readout.weightMaps());
        // each sample's contributions depend on that sample only: samples run on the common fork-join pool
        INDArray[] perSample = new INDArray[n];
        RowChunks.forEach(n, 1, (i, end) -> {
            INDArray weights = readoutWeights;
            for (int s = stages.size() - 1; s > stage + 1; s--) {
                INDArray input = sample(inputs.get(s - stage - 2), i);
                INDArray back = ((LocallyLinear) stages.get(s)).inputWeights(input, weights);
                OffHeap.free(input, back);
                OffHeap.free(weights, back, readoutWeights);
                weights = back;
            }
            INDArray map = codes != null ? null : sample(dense, i);
            INDArray c = codes != null ? first.channelContributions(codes.slice(i * positions, positions), weights)
                    : first.channelContributions(map, weights);
            OffHeap.free(map, c);
            OffHeap.free(weights, c, readoutWeights);
            perSample[i] = c;
        });
        out.addAll(Arrays.asList(perSample));
        List<INDArray> maps = new ArrayList<>(List.of(x));
        if (dense != null) maps.add(dense);
        maps.addAll(inputs);
        maps.add(y);
        OffHeap.freeAll(maps, batch);
        if (!pipeline.branches().isEmpty()) OffHeap.free(readoutWeights);
        return out;
    }

    /**
     * The part of the readout's weights {@code [classes, gh, gw, channels]} on the stages' channels,
     * the first ones: {@code weights} itself when there are no branches, else a copy.
     */
    private static INDArray stagesWeights(Pipeline pipeline, INDArray weights) {
        if (pipeline.branches().isEmpty()) return weights;
        return weights.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, pipeline.stagesOutputShape().channels())).dup('c');
    }

    /** Sample {@code i} of {@code maps} {@code [n, gh, gw, c]} as {@code [1, gh, gw, c]}. */
    private static INDArray sample(INDArray maps, int i) {
        return maps.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
    }
}
