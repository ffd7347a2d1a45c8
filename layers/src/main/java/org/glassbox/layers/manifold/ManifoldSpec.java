package org.glassbox.layers.manifold;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;

/**
 * Hyperparameters of the manifold-embedding layer, the sparse manifold transform (SMT) of Chen,
 * Paiton and Olshausen, "The sparse manifold transform", NeurIPS 2018, as used for unsupervised
 * representation learning by Chen, Yun, Ma, Olshausen and LeCun, "Minimalistic unsupervised
 * representation learning with the sparse manifold transform", ICLR 2023.
 *
 * <p>The input is a map of sparse codes a {@code [gridH, gridW, K]}; spatial neighbours within one
 * map play the role of consecutive frames. The fit solves the generalised symmetric eigenproblem
 * S p = mu V p with V = E[a a^T] (plus a ridge) and S the second moment of code differences between
 * neighbours; the embedding of a position is beta = P a, L2-normalised, with the rows of
 * P {@code [dims, K]} the eigenvectors of smallest mu after the trivial ones (see {@link ManifoldLayer}).
 *
 * <p>Serializable so that a distributed fit can send it to its tasks.
 *
 * @param dims f, the number of embedding dimensions kept
 * @param window the side of the square neighbourhood: positions i and j are neighbours when
 *               |row_i - row_j| and |col_i - col_j| are at most {@code window / 2} (5 gives the 5 x 5
 *               neighbourhood of the ICLR 2023 paper)
 * @param difference {@link Difference#FIRST}: S = mean of (a_i - a_j)(a_i - a_j)^T over neighbour
 *                   pairs; {@link Difference#SECOND}: S = mean of c c^T with c = a_{i+d} - 2 a_i + a_{i-d}
 *                   over positions i and offsets d within the window (the second-order form of the
 *                   NeurIPS 2018 paper); {@link Difference#NEIGHBOUR_MEAN}: S = mean of c c^T with
 *                   c = a_i - (mean of the non-zero codes of i's window), over non-zero codes
 *                   (the second-order form of the ICLR 2023 paper)
 * @param ridge the ridge added to V, relative to its mean diagonal: V + ridge * trace(V) / K' * I,
 *              K' the number of atoms used in the sample; keeps V positive definite
 * @param sampleMaps how many input maps (drawn uniformly without replacement) the statistics are
 *                   computed from
 * @param skip how many eigenvectors of smallest mu to skip before keeping {@code dims}: the trivial
 *             one (p constant over atoms gives beta constant and mu = 0 for codes that sum to a
 *             constant, such as 1-sparse codes)
 * @param normalize whether each position's embedding is divided by its L2 norm
 */
public record ManifoldSpec(int dims, int window, Difference difference, double ridge, int sampleMaps, int skip,
        boolean normalize) implements LayerSpec, java.io.Serializable {
    /** The kind name written in model manifests. */
    public static final String KIND = "manifold";

    /** Which temporal derivative of the codes the embedding is made slow in. */
    public enum Difference {
        /** First differences between neighbours: a_i - a_j. */
        FIRST,
        /** Second differences along a line through three positions: a_{i+d} - 2 a_i + a_{i-d}. */
        SECOND,
        /**
         * Each non-zero code minus the mean of the non-zero codes in its window: a_i - mean of a_j
         * over the positions j != i of the window around i whose code is not zero (a discrete
         * Laplacian over the positions where something is drawn); V and S are taken over non-zero
         * codes only, so empty positions (zero codes, such as flat patches) count for nothing.
         */
        NEIGHBOUR_MEAN
    }

    /** Validates every hyperparameter; the message names the parameter, its value and what was expected. */
    public ManifoldSpec {
        if (dims < 1) {
            throw new InvalidParameterException("dims", dims, "a positive number of embedding dimensions");
        }
        if (window < 3 || window % 2 == 0) {
            throw new InvalidParameterException("window", window, "an odd neighbourhood side of at least 3");
        }
        if (difference == null) {
            throw new InvalidParameterException("difference", null, "FIRST, SECOND or NEIGHBOUR_MEAN");
        }
        if (!(ridge > 0) || Double.isInfinite(ridge)) {
            throw new InvalidParameterException("ridge", ridge, "a finite value > 0");
        }
        if (sampleMaps < 1) {
            throw new InvalidParameterException("sampleMaps", sampleMaps, "a positive number of maps");
        }
        if (skip < 0) {
            throw new InvalidParameterException("skip", skip, "a count >= 0 of trivial eigenvectors to skip");
        }
    }

    /**
     * The defaults of the one-layer SMT on digits: 32 dimensions, a 5 x 5 neighbourhood, first
     * differences, ridge 1e-3, 2,000 sampled maps, the trivial eigenvector skipped, normalised output.
     */
    public static ManifoldSpec defaults() {
        return new ManifoldSpec(32, 5, Difference.FIRST, 1e-3, 2000, 1, true);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with {@code dims} embedding dimensions. */
    public ManifoldSpec withDims(int newDims) {
        return new ManifoldSpec(newDims, window, difference, ridge, sampleMaps, skip, normalize);
    }

    /** A copy with a {@code window} x {@code window} neighbourhood. */
    public ManifoldSpec withWindow(int newWindow) {
        return new ManifoldSpec(dims, newWindow, difference, ridge, sampleMaps, skip, normalize);
    }

    /** A copy with another difference form. */
    public ManifoldSpec withDifference(Difference newDifference) {
        return new ManifoldSpec(dims, window, newDifference, ridge, sampleMaps, skip, normalize);
    }

    /** A copy with another relative ridge. */
    public ManifoldSpec withRidge(double newRidge) {
        return new ManifoldSpec(dims, window, difference, newRidge, sampleMaps, skip, normalize);
    }

    /** A copy that samples {@code newSampleMaps} maps. */
    public ManifoldSpec withSampleMaps(int newSampleMaps) {
        return new ManifoldSpec(dims, window, difference, ridge, newSampleMaps, skip, normalize);
    }

    /** A copy that skips {@code newSkip} trivial eigenvectors. */
    public ManifoldSpec withSkip(int newSkip) {
        return new ManifoldSpec(dims, window, difference, ridge, sampleMaps, newSkip, normalize);
    }

    /** A copy with or without the per-position L2 normalisation. */
    public ManifoldSpec withNormalize(boolean newNormalize) {
        return new ManifoldSpec(dims, window, difference, ridge, sampleMaps, skip, newNormalize);
    }

    /**
     * The input grid with {@code dims} channels. Throws when the input maps have more than
     * {@link Shapes#MAX_SQUARE_SIDE} channels (V and S are each one Java array of K x K values), when
     * {@code dims + skip} is more than their channels (naming {@code dims}), or when their grid has no
     * neighbour pairs (lines of three positions for {@link Difference#SECOND}) within the window.
     */
    @Override
    public MapShape check(MapShape input, long samples) {
        if (input.channels() > Shapes.MAX_SQUARE_SIDE) {
            throw new GlassboxException("the input maps " + input + " have " + input.channels() + " channels (expected "
                    + "at most " + Shapes.MAX_SQUARE_SIDE + ": the statistics V and S are each one Java array of K x K values)");
        }
        if (dims + skip > input.channels()) {
            throw new InvalidParameterException("dims", dims, "at most " + (input.channels() - skip) + ", the "
                    + input.channels() + " channels of the input maps " + input + " less skip = " + skip);
        }
        CoOccurrence.offsets(input, window, difference);
        return input.withChannels(dims);
    }

    /** Fits the embedding on the code maps of {@code input}; see {@link ManifoldFitter}. */
    @Override
    public ManifoldLayer fit(String id, MapSource input, FitContext context) {
        return ManifoldFitter.fit(this, id, input, context);
    }

    /**
     * The maps the fit of stage {@code id} on {@code samples} maps draws its statistics from:
     * min({@link #sampleMaps}, samples) distinct indices, uniform, sorted ascending, drawn with
     * {@code context.random(id)}. A distributed fit gives each partition its share of these.
     */
    public int[] chosenMaps(String id, long samples, FitContext context) {
        return ManifoldFitter.choose(samples, Math.min(sampleMaps, samples), context.random(id));
    }

    /**
     * Adds the maps {@code chosen} (sorted ascending indices into {@code input}, for example a
     * partition's share of {@link #chosenMaps}) to {@code stats}, in one pass over {@code input}.
     */
    public void addChosen(String id, MapSource input, int[] chosen, CoOccurrence stats) {
        ManifoldFitter.addChosen(id, input, chosen, stats, added -> { });
    }

    /** Empty statistics V and S for code maps of {@code shape} with this spec's window and difference. */
    public CoOccurrence statistics(MapShape shape) {
        return new CoOccurrence(shape, window, difference);
    }

    /**
     * The frozen layer for code maps of {@code shape} from the statistics {@code stats} of the chosen
     * maps (made by {@link #statistics}, possibly summed over partitions): the eigenproblem
     * S p = mu (V + r I) p of {@link ManifoldFitter}. The statistics are spent by it
     * ({@link CoOccurrence#problem}).
     */
    public ManifoldLayer fromStatistics(String id, MapShape shape, CoOccurrence stats) {
        ManifoldFitter.check(this, id, shape, stats.positions() / shape.positions());
        return ManifoldFitter.solve(this, id, shape, stats.problem(ridge));
    }
}
