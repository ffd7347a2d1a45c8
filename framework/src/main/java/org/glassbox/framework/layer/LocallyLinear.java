package org.glassbox.framework.layer;

import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.SparseRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stage whose output, for a given input x, is a linear map of x once the scalars it computes
 * from x (norms) are held fixed: y = A_x x. Pooling and the manifold embedding are such stages, so a
 * linear readout's class score after them is an exact sum over the input's entries of
 * x (A_x^T w): this is how an explanation names the atoms of a sparse-coding stage through the
 * stages that follow it ({@link org.glassbox.framework.inspect.AtomAttribution}).
 */
public interface LocallyLinear extends Layer {
    /**
     * A_x^T w for every row w of {@code outputWeights} {@code [m, outputShape]}: the weights on the
     * input that give the same value, sum of w times y, as a sum of those weights times x; for the
     * one sample {@code input} {@code [1, inputShape]}. Returns {@code [m, inputShape]}.
     */
    INDArray inputWeights(INDArray input, INDArray outputWeights);

    /**
     * Per input channel k and row i of {@code outputWeights} {@code [m, outputShape]}: the sum over
     * the input's positions q of x[q, k] (A_x^T w_i)[q, k], {@code [inputChannels, m]}. Summed over
     * k, it is sum of w_i times y. The default computes {@link #inputWeights} in full.
     */
    default INDArray channelContributions(INDArray input, INDArray outputWeights) {
        INDArray weights = inputWeights(input, outputWeights);
        long m = outputWeights.size(0);
        int channels = inputShape().channels();
        INDArray x = input.reshape('c', 1, inputShape().positions(), channels);
        INDArray w = weights.dup('c').reshape('c', m, inputShape().positions(), channels);
        return w.mul(x.broadcast(m, inputShape().positions(), channels)).sum(1).transpose().dup('c');
    }

    /**
     * {@link #channelContributions(INDArray, INDArray)} of the one sample whose input is given as
     * its non-zero rows {@code input} ({@code [positions, channels]}); the default makes the dense map.
     */
    default INDArray channelContributions(SparseRows input, INDArray outputWeights) {
        return channelContributions(Maps.map(input.dense(), inputShape()), outputWeights);
    }
}
