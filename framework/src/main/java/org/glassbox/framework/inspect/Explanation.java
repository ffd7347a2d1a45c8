package org.glassbox.framework.inspect;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Why the model decided what it decided for one input ({@link Explainer}).
 *
 * @param index the input's index in its set
 * @param label its true class
 * @param predicted the class of highest score
 * @param readout the id of the readout explained
 * @param scores the class scores {@code [classes]}
 * @param bias the readout's bias {@code [classes]}
 * @param contributions one per atom of the last sparse-coding layer (through the stages after it;
 *                      one per readout input channel when the scores cannot be traced back to atoms),
 *                      in atom order, then one per channel of the pipeline's branches (such as
 *                      {@code P.pool/c0}); for every class c, {@code sum of value[c] + bias[c] = scores[c]}
 *                      up to float rounding
 * @param channels one per readout input channel when those are not the atoms (embedding dimensions,
 *                 such as {@code L1.embed/c3}), the second view of the same sums; otherwise empty
 * @param layers one per sparse-coding stage, in pipeline order
 */
public record Explanation(int index, int label, int predicted, String readout, float[] scores, float[] bias,
                          List<Contribution> contributions, List<Contribution> channels, List<LayerTrace> layers) {

    /**
     * One channel's contribution to every class score.
     *
     * @param atom the channel's name, such as {@code L1/a17}
     * @param value {@code [classes]}
     */
    public record Contribution(String atom, float[] value) {
    }

    /**
     * One atom active on the input: its code summed over grid positions, its largest code and the
     * number of positions where it is non-zero.
     */
    public record ActiveAtom(String atom, double total, double max, int positions) {
    }

    /**
     * What one sparse-coding stage did with the input: x its input vectors (one per grid position),
     * a the codes, D the dictionary, r = x - a D the residual.
     *
     * @param prefix the atom prefix
     * @param stage the stage id
     * @param active the atoms active anywhere on the grid, largest |total| first
     * @param meanActive the mean number of non-zero codes per grid position
     * @param inputNorm ||x||_F over all positions
     * @param residualNorm ||r||_F
     * @param input the stage's input in pixel space {@code [H, W, C]}, or null when the anatomy cannot map it
     * @param reconstruction a D in pixel space, or null
     * @param residual the input image minus the reconstruction image, or null
     * @param codes the codes {@code [gh, gw, K]}: where on the grid each atom fires
     */
    public record LayerTrace(String prefix, String stage, List<ActiveAtom> active, double meanActive,
                             double inputNorm, double residualNorm, INDArray input, INDArray reconstruction,
                             INDArray residual, INDArray codes) {
        /** ||r|| / ||x||, 0 for a zero input. */
        public double relativeError() {
            return inputNorm > 0 ? residualNorm / inputNorm : 0;
        }
    }
}
