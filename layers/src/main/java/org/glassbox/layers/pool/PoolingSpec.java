package org.glassbox.layers.pool;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;

/**
 * Spatial pooling of a map {@code [H, W, K]} over regions of its grid, then (optionally) L2
 * normalisation of each pooled position vector. The regions are given in one of two ways:
 * <ul>
 * <li><b>windows</b> ({@code window > 0}, {@code stride > 0}, output grid 0 x 0): square windows of
 * side {@code window} at a step of {@code stride}; output grid {@code floor((H - window) / stride) + 1}
 * by {@code floor((W - window) / stride) + 1}; output cell (i, j) pools input rows
 * {@code [i * stride, i * stride + window)} and columns {@code [j * stride, j * stride + window)};</li>
 * <li><b>output grid</b> ({@code window = stride = 0}, {@code outputGridH, outputGridW > 0}): the
 * input is split into {@code outputGridH x outputGridW} regions, cell i covering rows
 * {@code [floor(i H / outputGridH), ceil((i + 1) H / outputGridH))} (likewise columns), so every input
 * cell is pooled and neighbouring regions overlap by at most one cell (adaptive pooling).</li>
 * </ul>
 * Each region gives, per channel k, the mean ({@link Reduction#AVERAGE}) or the maximum
 * ({@link Reduction#MAX}) of the channel over the region's cells, or both
 * ({@link Reduction#AVERAGE_AND_MAX}: 2K output channels, the K means first, then the K maxima).
 * With {@link #normalize}, each pooled vector p (the K values of one reduction at one output cell)
 * becomes {@code p / max(||p||_2, epsilon)}: unit length, except that vectors shorter than epsilon
 * (such as all-zero codes) are scaled by {@code 1 / epsilon} instead, so they stay short; with both
 * reductions, the means and the maxima are normalised separately. Nothing is learned.
 *
 * <p>Pooling sparse codes over regions of the grid is the step of Coates, Lee and Ng 2011 ("An
 * analysis of single-layer networks in unsupervised feature learning", which sums codes over the four
 * quadrants: the output-grid form with a 2 x 2 grid); average versus max pooling is analysed by
 * Boureau, Ponce and LeCun 2010 ("A theoretical analysis of feature pooling in visual recognition");
 * {@link Reduction#AVERAGE_AND_MAX} keeps both, so that a linear readout weighs each.
 * The L2 normalisation of pooled vectors follows the sparse manifold transform (Chen, Paiton and
 * Olshausen 2018), whose embeddings are normalised to unit length.
 *
 * @param reduction the per-channel reduction over a region
 * @param window the window side (windows form), or 0 (output-grid form)
 * @param stride the step between windows (windows form), or 0 (output-grid form)
 * @param outputGridH the output grid height (output-grid form), or 0 (windows form)
 * @param outputGridW the output grid width (output-grid form), or 0 (windows form)
 * @param normalize whether each pooled vector is L2-normalised
 * @param epsilon the smallest norm divided by when normalising, a finite number > 0
 */
public record PoolingSpec(Reduction reduction, int window, int stride, int outputGridH, int outputGridW,
        boolean normalize, double epsilon) implements LayerSpec {
    /** The kind name in model manifests. */
    public static final String KIND = "pooling";
    /** The default {@link #epsilon}. */
    public static final double DEFAULT_EPSILON = 1e-6;

    /** How a region's cells are reduced to one value per channel. */
    public enum Reduction {
        /** The mean over the region's cells. */
        AVERAGE,
        /** The largest value over the region's cells (a plain maximum, not of magnitudes). */
        MAX,
        /** Both, side by side: the K means, then the K maxima. */
        AVERAGE_AND_MAX;

        /** Whether the output holds the means. */
        public boolean averages() {
            return this != MAX;
        }

        /** Whether the output holds the maxima. */
        public boolean maxima() {
            return this != AVERAGE;
        }

        /** How many output channels each input channel gives: 2 for {@link #AVERAGE_AND_MAX}, otherwise 1. */
        public int outputsPerChannel() {
            return (averages() ? 1 : 0) + (maxima() ? 1 : 0);
        }
    }

    /** Validates every value and that exactly one of the two region forms is given. */
    public PoolingSpec {
        if (reduction == null) throw new InvalidParameterException("reduction", null, "AVERAGE, MAX or AVERAGE_AND_MAX");
        if (window < 0) throw new InvalidParameterException("window", window, "an integer >= 0");
        if (stride < 0) throw new InvalidParameterException("stride", stride, "an integer >= 0");
        if (outputGridH < 0) throw new InvalidParameterException("outputGridH", outputGridH, "an integer >= 0");
        if (outputGridW < 0) throw new InvalidParameterException("outputGridW", outputGridW, "an integer >= 0");
        boolean windows = window > 0 || stride > 0;
        boolean grid = outputGridH > 0 || outputGridW > 0;
        if (windows && grid) {
            throw new InvalidParameterException("outputGridH x outputGridW", outputGridH + " x " + outputGridW,
                    "0 x 0 when window and stride are given (pool either by windows or to an output grid)");
        }
        if (windows) {
            if (window == 0) throw new InvalidParameterException("window", window, "a positive integer when stride is given");
            if (stride == 0) throw new InvalidParameterException("stride", stride, "a positive integer when window is given");
        } else if (grid) {
            if (outputGridH == 0) {
                throw new InvalidParameterException("outputGridH", outputGridH, "a positive integer when outputGridW is given");
            }
            if (outputGridW == 0) {
                throw new InvalidParameterException("outputGridW", outputGridW, "a positive integer when outputGridH is given");
            }
        } else {
            throw new InvalidParameterException("window", window,
                    "a positive window and stride, or a positive outputGridH and outputGridW");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new InvalidParameterException("epsilon", epsilon, "a finite number > 0");
        }
    }

    /** Pooling over {@code window x window} windows at {@code stride}, then L2 normalisation (epsilon {@value #DEFAULT_EPSILON}). */
    public static PoolingSpec windows(Reduction reduction, int window, int stride) {
        return new PoolingSpec(reduction, window, stride, 0, 0, true, DEFAULT_EPSILON);
    }

    /** Pooling to an {@code outputGridH x outputGridW} grid, then L2 normalisation (epsilon {@value #DEFAULT_EPSILON}). */
    public static PoolingSpec grid(Reduction reduction, int outputGridH, int outputGridW) {
        return new PoolingSpec(reduction, 0, 0, outputGridH, outputGridW, true, DEFAULT_EPSILON);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with another reduction. */
    public PoolingSpec withReduction(Reduction value) {
        return new PoolingSpec(value, window, stride, outputGridH, outputGridW, normalize, epsilon);
    }

    /** A copy with normalisation switched on or off. */
    public PoolingSpec withNormalize(boolean value) {
        return new PoolingSpec(reduction, window, stride, outputGridH, outputGridW, value, epsilon);
    }

    /** A copy with another normalisation epsilon. */
    public PoolingSpec withEpsilon(double value) {
        return new PoolingSpec(reduction, window, stride, outputGridH, outputGridW, normalize, value);
    }

    /** Whether the regions are given as windows (otherwise as an output grid). */
    public boolean byWindows() {
        return window > 0;
    }

    /**
     * The output shape for inputs of shape {@code input}: the pooled grid, with the input's channels
     * times {@link Reduction#outputsPerChannel()};
     * throws an {@link InvalidParameterException} naming {@code window}, {@code outputGridH} or
     * {@code outputGridW} when the windows or the output grid do not fit the input grid.
     */
    public MapShape outputShape(MapShape input) {
        if (byWindows()) {
            int side = Math.min(input.gridH(), input.gridW());
            if (window > side) {
                throw new InvalidParameterException("window", window, "at most " + side
                        + ", the shorter side of the input grid " + input);
            }
            return new MapShape((input.gridH() - window) / stride + 1, (input.gridW() - window) / stride + 1,
                    outputChannels(input));
        }
        if (outputGridH > input.gridH()) {
            throw new InvalidParameterException("outputGridH", outputGridH, "at most " + input.gridH()
                    + ", the height of the input grid " + input);
        }
        if (outputGridW > input.gridW()) {
            throw new InvalidParameterException("outputGridW", outputGridW, "at most " + input.gridW()
                    + ", the width of the input grid " + input);
        }
        return new MapShape(outputGridH, outputGridW, outputChannels(input));
    }

    private int outputChannels(MapShape input) {
        return Math.multiplyExact(input.channels(), reduction.outputsPerChannel());
    }

    /** {@link #outputShape(MapShape)}; any number of samples fits. */
    @Override
    public MapShape check(MapShape input, long samples) {
        return outputShape(input);
    }

    /** Returns the frozen pooling layer for inputs of {@code input.shape()}; reads no data. */
    @Override
    public PoolingLayer fit(String id, MapSource input, FitContext context) {
        return new PoolingLayer(id, this, input.shape());
    }
}
