package org.glassbox.framework.inspect;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A readout whose class scores are an exact sum of one contribution per feature channel plus a
 * bias: {@code score_c(x) = bias_c + sum over channels k of contribution_kc(x)}. For a linear
 * readout with weights W, {@code contribution_kc(x) = sum over positions pos of W[c, pos, k] x[pos, k]}.
 * The readouts that decompose so implement it (the linear readout); explanations and ablation
 * work through it ({@link Explainer}, {@link Ablation}, {@link AtomAttribution}).
 */
public interface ScoreDecomposition {
    /** Contributions {@code [n, channels, classes]} of the readout inputs {@code [n, gridH, gridW, channels]}. */
    INDArray contributions(INDArray features);

    /**
     * The weights {@code [classes, gridH, gridW, channels]} on the readout's input:
     * score_c(x) = bias_c + sum over positions and channels of weightMaps[c] times x.
     */
    INDArray weightMaps();

    /** The bias {@code [classes]}. */
    INDArray bias();
}
