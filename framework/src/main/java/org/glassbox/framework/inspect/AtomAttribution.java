package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
        INDArray readoutWeights = stagesWeights(pipeline, readout.weightMaps());
        out.addAll(through(atoms, x, stages.subList(stage + 1, stages.size()), readoutWeights));
        OffHeap.free(x, batch);
        if (!pipeline.branches().isEmpty()) OffHeap.free(readoutWeights);
        return out;
    }

    /**
     * The contributions {@code [atoms, classes]} of the atoms of {@code atoms}, one array per sample
     * of {@code x} (its input), to the scores whose weights on the output of {@code chain} (the
     * {@link LocallyLinear} stages after it, at least one) are {@code weights}
     * {@code [classes, gh, gw, channels]}: the weights go back through the chain one stage at a time.
     * Codes given as non-zeros ({@link SparseOutput}) stay so for a {@link SparseInput} first stage.
     * Frees what it makes; not its arguments.
     */
    private static List<INDArray> through(Layer atoms, INDArray x, List<Layer> chain, INDArray weights) {
        int n = (int) x.size(0);
        SparseRows codes = atoms instanceof SparseOutput coder ? coder.encodeSparse(x) : null;
        INDArray dense = codes == null ? atoms.encode(x) : null;
        Layer next = chain.get(0);
        INDArray y = codes != null && next instanceof SparseInput reader ? reader.encodeSparse(codes)
                : next.encode(dense != null ? dense : Maps.map(codes.dense(), atoms.outputShape()));
        List<INDArray> inputs = new ArrayList<>();
        for (int s = 1; s < chain.size(); s++) {
            inputs.add(y);
            y = chain.get(s).encode(y);
        }
        int positions = atoms.outputShape().positions();
        LocallyLinear first = (LocallyLinear) next;
        // each sample's contributions depend on that sample only: samples run on the common fork-join pool
        INDArray[] perSample = new INDArray[n];
        RowChunks.forEach(n, 1, (i, end) -> {
            INDArray w = weights;
            for (int s = chain.size() - 1; s > 0; s--) {
                INDArray input = sample(inputs.get(s - 1), i);
                INDArray back = ((LocallyLinear) chain.get(s)).inputWeights(input, w);
                OffHeap.free(input, back);
                OffHeap.free(w, back, weights);
                w = back;
            }
            INDArray map = codes != null ? null : sample(dense, i);
            INDArray c = codes != null ? first.channelContributions(codes.slice(i * positions, positions), w)
                    : first.channelContributions(map, w);
            OffHeap.free(map, c);
            OffHeap.free(w, c, weights);
            perSample[i] = c;
        });
        List<INDArray> maps = new ArrayList<>();
        if (dense != null) maps.add(dense);
        maps.addAll(inputs);
        maps.add(y);
        OffHeap.freeAll(maps, x, weights);
        return Arrays.asList(perSample);
    }

    /**
     * The main stage with atoms that the channels of branch {@code b} are attributed to: the last
     * stage with atoms among those the branch reads the output of, when every stage between its
     * codes and the branch's channels (the stages after it, then the branch's own) is
     * {@link LocallyLinear}; empty when there is none (a branch that reads the input, such as pooled
     * pixels).
     */
    public static OptionalInt branchStage(Pipeline pipeline, int b) {
        for (Layer stage : pipeline.branches().get(b).stages()) {
            if (!(stage instanceof LocallyLinear)) return OptionalInt.empty();
        }
        List<Layer> stages = pipeline.stages();
        for (int s = pipeline.branchReads(b) - 1; s >= 0; s--) {
            if (stages.get(s) instanceof HasAtoms) return OptionalInt.of(s);
            if (!(stages.get(s) instanceof LocallyLinear)) return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /**
     * The names of the rows of {@link #shares}: the atoms of {@link #beyondChannels}'s stage, or the
     * stages' output channels when they are the atoms or there are none; then, for each branch, the atoms of its
     * {@link #branchStage} unless they are named already, or else the branch's own channels (names
     * as {@link AtomIndex#outputChannelNames}).
     */
    public static List<String> shareNames(Pipeline pipeline) {
        List<String> channels = new AtomIndex(pipeline).outputChannelNames();
        OptionalInt main = beyondChannels(pipeline);
        List<String> names = new ArrayList<>(main.isPresent() ? atomIds(pipeline, main.getAsInt())
                : channels.subList(0, pipeline.stagesOutputShape().channels()));
        int offset = pipeline.stagesOutputShape().channels();
        for (int b = 0; b < pipeline.branches().size(); b++) {
            int width = pipeline.branches().get(b).outputShape().channels();
            OptionalInt stage = branchStage(pipeline, b);
            if (stage.isEmpty()) {
                names.addAll(channels.subList(offset, offset + width));
            } else if (!names.contains(atomIds(pipeline, stage.getAsInt()).get(0))) {
                names.addAll(atomIds(pipeline, stage.getAsInt()));
            }
            offset += width;
        }
        return names;
    }

    /**
     * Each atom's exact share of each class score of {@code readout}, one array
     * {@code [shareNames, classes]} per sample of {@code batch} {@code [n, inputShape]}: the atoms of
     * the main stages through the stages after them ({@link #contributions}), the atoms a branch's
     * channels come from through the branch ({@link #branchStage}), and the channels of a branch that
     * comes from no atoms as themselves. For every sample and class their sum plus the bias is the
     * score.
     */
    public static List<INDArray> shares(Pipeline pipeline, ScoreDecomposition readout, INDArray batch) {
        List<String> names = shareNames(pipeline);
        int n = (int) batch.size(0);
        int classes = (int) readout.bias().length();
        INDArray[] out = new INDArray[n];
        for (int i = 0; i < n; i++) out[i] = Nd4j.zeros(DataType.FLOAT, names.size(), classes);
        OptionalInt main = beyondChannels(pipeline);
        boolean channelRows = main.isEmpty()
                || IntStream.range(0, pipeline.branches().size()).anyMatch(b -> branchStage(pipeline, b).isEmpty());
        INDArray features = channelRows ? pipeline.transform(batch) : null;
        INDArray byChannel = channelRows ? readout.contributions(features) : null;
        int mainChannels = pipeline.stagesOutputShape().channels();
        if (main.isPresent()) {
            addAll(out, 0, contributions(pipeline, main.getAsInt(), readout, batch));
        } else {
            addChannels(out, 0, byChannel, 0, mainChannels);
        }
        List<String> channels = new AtomIndex(pipeline).outputChannelNames();
        int offset = mainChannels;
        for (int b = 0; b < pipeline.branches().size(); b++) {
            int width = pipeline.branches().get(b).outputShape().channels();
            OptionalInt stage = branchStage(pipeline, b);
            if (stage.isEmpty()) {
                addChannels(out, names.indexOf(channels.get(offset)), byChannel, offset, width);
            } else {
                int a = stage.getAsInt();
                List<Layer> chain = new ArrayList<>(pipeline.stages().subList(a + 1, pipeline.branchReads(b)));
                chain.addAll(pipeline.branches().get(b).stages());
                INDArray weights = readout.weightMaps().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(offset, offset + width)).dup('c');
                INDArray x = pipeline.prefix(a).transform(batch);
                addAll(out, names.indexOf(atomIds(pipeline, a).get(0)), through(pipeline.stages().get(a), x, chain, weights));
                OffHeap.free(x, batch);
                OffHeap.free(weights);
            }
            offset += width;
        }
        OffHeap.freeAll(Arrays.asList(features, byChannel), batch);
        return Arrays.asList(out);
    }

    /** Adds each sample's {@code parts} {@code [k, classes]} to rows {@code row ..} of its {@code out}, freeing the parts. */
    private static void addAll(INDArray[] out, int row, List<INDArray> parts) {
        for (int i = 0; i < out.length; i++) {
            INDArray part = parts.get(i);
            out[i].get(NDArrayIndex.interval(row, row + part.size(0)), NDArrayIndex.all()).addi(part);
            OffHeap.free(part);
        }
    }

    /**
     * Adds channels {@code from .. from + count} of {@code byChannel} {@code [n, channels, classes]}
     * to rows {@code row ..} of each sample's {@code out}.
     */
    private static void addChannels(INDArray[] out, int row, INDArray byChannel, int from, int count) {
        for (int i = 0; i < out.length; i++) {
            out[i].get(NDArrayIndex.interval(row, row + count), NDArrayIndex.all())
                    .addi(byChannel.get(NDArrayIndex.point(i), NDArrayIndex.interval(from, from + count), NDArrayIndex.all()));
        }
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
