package org.glassbox.baselines;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a baseline's input pixels are shifted and scaled before the network sees them: per channel,
 * {@code (pixel - mean[c]) / std[c]}. The identity ({@link #NONE}) for a recipe whose input is
 * {@code unit}; for {@code standardised}, the mean and standard deviation of the training part's
 * pixels ({@link #of}).
 *
 * @param mean the value subtracted from each channel, or null for none
 * @param std the value each channel is divided by after, or null for none
 */
public record InputScaling(double[] mean, double[] std) {
    /** The pixels as they are. */
    public static final InputScaling NONE = new InputScaling(null, null);

    /** The mean and (population) standard deviation of every channel of {@code nhwc}, {@code [n, h, w, c]}. */
    public static InputScaling of(INDArray nhwc) {
        int channels = (int) nhwc.size(3);
        INDArray pixels = nhwc.castTo(DataType.DOUBLE).reshape('c', nhwc.length() / channels, channels);
        double[] mean = pixels.mean(0).toDoubleVector();
        double[] std = pixels.std(false, 0).toDoubleVector();
        for (int c = 0; c < channels; c++) if (!(std[c] > 0)) std[c] = 1;
        return new InputScaling(mean, std);
    }

    /** Whether this is the identity. */
    public boolean isNone() {
        return mean == null;
    }

    /**
     * Scales rows {@code [n, channels * height * width]} in NCHW order (as {@link Baselines#nchwRows}
     * gives them); the identity returns {@code rows} itself.
     */
    public INDArray apply(INDArray rows) {
        if (isNone()) return rows;
        int channels = mean.length;
        int plane = (int) (rows.size(1) / channels);
        float[] m = new float[channels * plane];
        float[] s = new float[channels * plane];
        for (int c = 0; c < channels; c++) {
            Arrays.fill(m, c * plane, (c + 1) * plane, (float) mean[c]);
            Arrays.fill(s, c * plane, (c + 1) * plane, (float) std[c]);
        }
        INDArray meanRow = Nd4j.create(m, new long[] {1, m.length}, 'c');
        INDArray stdRow = Nd4j.create(s, new long[] {1, s.length}, 'c');
        return rows.subRowVector(meanRow).diviRowVector(stdRow);
    }
}
