package org.glassbox.layers.readout;

import org.glassbox.framework.layer.Readout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fitted linear readout (multinomial logistic regression, {@link LinearSpec}): the score of class
 * c for an input map x {@code [gridH, gridW, channels]} is the logit
 *
 * <pre>
 *   score_c = b_c + sum over positions pos and channels k of W[c, pos, k] x[pos, k]
 *           = b_c + sum over k of contribution_kc,   contribution_kc = sum over pos of W[c, pos, k] x[pos, k]
 * </pre>
 *
 * so every class score is exactly a sum of one contribution per channel (per atom, when the
 * channels are a sparse-coding layer's atoms) plus the bias ({@link #contributions}): it is the
 * readout whose scores explanations and ablation take apart ({@link ScoreDecomposition}).
 *
 * <p>Learned arrays: {@code weights [classes, F]} float32 with F = gridH * gridW * channels in C
 * order (entry {@code pos * channels + k} is W[c, pos, k]); {@code bias [classes]} float32.
 */
public final class LinearReadout implements Readout, ScoreDecomposition {
    private final String id;
    private final LinearSpec spec;
    private final MapShape inputShape;
    private final INDArray weights;
    private final INDArray bias;

    /**
     * Wraps fitted arrays, checking their shapes.
     *
     * @param weights {@code [spec.classes, inputShape.size]}
     * @param bias {@code [spec.classes]}
     */
    public LinearReadout(String id, LinearSpec spec, MapShape inputShape, INDArray weights, INDArray bias) {
        this.id = id;
        this.spec = spec;
        this.inputShape = inputShape;
        this.weights = Shapes.requireFinite(id + ".weights",
                Shapes.require(id + ".weights", weights, spec.classes(), inputShape.size()));
        this.bias = Shapes.requireFinite(id + ".bias", Shapes.require(id + ".bias", bias, spec.classes()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public LinearSpec spec() {
        return spec;
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    @Override
    public MapShape inputShape() {
        return inputShape;
    }

    @Override
    public MapShape outputShape() {
        return new MapShape(1, 1, spec.classes());
    }

    /** The class scores (logits) {@code [n, 1, 1, classes]} = W x + b of inputs {@code [n, inputShape]}. */
    @Override
    public INDArray encode(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        INDArray scores = LabelledFeatures.flatten(input).mmul(weights.transpose()).addiRowVector(bias);
        return scores.reshape('c', scores.size(0), 1, 1, spec.classes());
    }

    /**
     * The exact decomposition of the scores of inputs {@code [n, inputShape]}: {@code [n, channels,
     * classes]} with entry (i, k, c) = sum over positions of W[c, pos, k] x_i[pos, k], accumulated in
     * float64; for every input and class, the sum over k plus {@code bias[c]} is the score.
     */
    @Override
    public INDArray contributions(INDArray input) {
        Shapes.requireMap(id + " input", input, inputShape);
        int n = (int) input.size(0);
        int channels = inputShape.channels();
        int positions = inputShape.positions();
        int classes = spec.classes();
        int f = (int) inputShape.size();
        float[] x = LabelledFeatures.flatten(input).dup('c').data().asFloat();
        float[] w = weights.dup('c').data().asFloat();
        float[] out = new float[n * channels * classes];
        double[] sum = new double[channels];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                Arrays.fill(sum, 0);
                for (int pos = 0; pos < positions; pos++) {
                    int at = pos * channels;
                    for (int k = 0; k < channels; k++) {
                        sum[k] += (double) w[c * f + at + k] * x[i * f + at + k];
                    }
                }
                for (int k = 0; k < channels; k++) out[(i * channels + k) * classes + c] = (float) sum[k];
            }
        }
        return Nd4j.create(out, new long[] {n, channels, classes}, 'c');
    }

    /** {@code weights [classes, F]} and {@code bias [classes]}. */
    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("weights", weights);
        p.put("bias", bias);
        return p;
    }

    /** W {@code [classes, F]}. */
    public INDArray weights() {
        return weights;
    }

    /** W as maps {@code [classes, gridH, gridW, channels]} (a view of {@link #weights}). */
    @Override
    public INDArray weightMaps() {
        return weights.reshape('c', weights.size(0), inputShape.gridH(), inputShape.gridW(), inputShape.channels());
    }

    /** b {@code [classes]}. */
    @Override
    public INDArray bias() {
        return bias;
    }
}
