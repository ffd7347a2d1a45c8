package org.glassbox.framework.inspect;

import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One input channel of a readout that decomposes ({@link ScoreDecomposition}), position by
 * position: its weights {@code W[c, i, j, k]} on channel {@code k} for every class {@code c} and
 * grid position {@code (i, j)}, and, for one input x, what each position adds to a class score,
 * {@code W[c, i, j, k] x[i, j, k]}. Summed over the positions, the second is the channel's
 * contribution {@code contribution_kc(x)}, so the map shows where on the grid a contribution comes
 * from. The report draws both for the channels of a pipeline's branches, which are not atoms.
 */
public final class ChannelMaps {
    private ChannelMaps() {
    }

    /** The weights {@code [classes, gridH, gridW]} of {@code readout} on its input channel {@code channel}. */
    public static INDArray weights(ScoreDecomposition readout, int channel) {
        return channel(readout.weightMaps(), channel);
    }

    /** Channel {@code channel} of weight maps {@code [classes, gridH, gridW, channels]}. */
    private static INDArray channel(INDArray maps, int channel) {
        requireChannel(channel, maps.size(3));
        return maps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(channel)).dup('c');
    }

    /**
     * What each grid position of channel {@code channel} of one input {@code features}
     * {@code [1, gridH, gridW, channels]} adds to the score of class {@code plus} minus its share of
     * the score of class {@code minus} ({@code minus == plus}: the score of {@code plus} alone):
     * {@code [gridH, gridW]}, summing to the channel's contribution to {@code plus} minus that to
     * {@code minus}.
     */
    public static INDArray contributions(ScoreDecomposition readout, INDArray features, int channel, int plus, int minus) {
        INDArray maps = readout.weightMaps();
        INDArray w = channel(maps, channel);
        long channels = maps.size(3);
        if (features.rank() != 4 || features.size(0) != 1 || features.size(1) != w.size(1) || features.size(2) != w.size(2)
                || features.size(3) != channels) {
            throw new GlassboxException("features: expected one input [1, " + w.size(1) + ", " + w.size(2) + ", "
                    + channels + "] but got " + Arrays.toString(features.shape()));
        }
        requireClass(plus, w.size(0));
        requireClass(minus, w.size(0));
        INDArray x = features.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(channel))
                .castTo(w.dataType());
        INDArray weight = plus == minus ? w.slice(plus).dup('c') : w.slice(plus).sub(w.slice(minus));
        return weight.muli(x);
    }

    private static void requireChannel(int channel, long channels) {
        if (channel < 0 || channel >= channels) {
            throw new GlassboxException("channel " + channel + " is outside the readout's input (expected 0 .. "
                    + (channels - 1) + ")");
        }
    }

    private static void requireClass(int c, long classes) {
        if (c < 0 || c >= classes) {
            throw new GlassboxException("class " + c + " is outside the readout's classes (expected 0 .. "
                    + (classes - 1) + ")");
        }
    }
}
