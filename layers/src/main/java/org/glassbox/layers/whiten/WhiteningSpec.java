package org.glassbox.layers.whiten;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.PositionSampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ZCA whitening of position vectors (Bell and Sejnowski 1997, "The 'independent components' of
 * natural scenes are edge filters"; as used for patch features by Coates, Lee and Ng 2011, "An
 * analysis of single-layer networks in unsupervised feature learning").
 *
 * <p>Each position vector x (length d, for example a 6 x 6 patch) is mapped to
 * {@code y = W (x' - mu)} where
 * <ul>
 * <li>{@code x' = x - mean(x) 1} when {@link #removePatchMean} (each vector minus the mean of its own
 * d entries; the patch's brightness), else {@code x' = x};</li>
 * <li>{@code mu} is the mean of x' over the training sample;</li>
 * <li>{@code C = V Lambda V^T} is the covariance {@code (1/m) sum (x' - mu)(x' - mu)^T} of a uniform
 * sample of m = min({@link #samples}, all) training positions ({@link PositionSampler}), decomposed in
 * float64 by LAPACK {@code dsyevd};</li>
 * <li>{@code W = V (Lambda + eps I)^(-1/2) V^T = (C + eps I)^(-1/2)}, with the regulariser
 * {@code eps = relativeEpsilon * lambda_max + absoluteEpsilon} ({@code lambda_max} the largest
 * eigenvalue of C). A large regulariser keeps the low-variance (noise) directions from being
 * amplified; the project's numpy reference on the embedded MNIST split found eps of about
 * 0.1 lambda_max among the settings that mattered most for accuracy, hence {@link #defaults()}.</li>
 * </ul>
 * Its inverse {@code U = V (Lambda + eps I)^(1/2) V^T} maps whitened vectors (and dictionary atoms)
 * back to pixel space for rendering.
 *
 * <p>Two optional output steps, as in the sparse manifold transform's patch pipeline (Chen, Yun,
 * Ma, Olshausen, LeCun, ICLR 2023): a vector whose x' has L2 norm below {@link #emptyNorm} (a flat
 * patch, nothing drawn in it) is output as the zero vector, so every later stage sees "nothing
 * here"; and with {@link #normalize} every other output y is divided by its L2 norm, so that its
 * dot product with a unit-norm atom is their cosine.
 *
 * @param removePatchMean whether each vector's own mean is subtracted first
 * @param relativeEpsilon the part of eps proportional to lambda_max, at least 0
 * @param absoluteEpsilon the constant part of eps, at least 0; eps must be positive, so the two may
 *                        not both be 0
 * @param samples how many training positions the covariance is estimated from, at least 2
 * @param emptyNorm vectors whose x' has an L2 norm below this are empty (output 0, and left out of
 *                  the covariance); 0 for none; finite and &gt;= 0. Null (a stack file or model
 *                  written before the field existed) reads as 0
 * @param normalize whether each non-zero output is divided by its L2 norm; null reads as false
 */
public record WhiteningSpec(boolean removePatchMean, double relativeEpsilon, double absoluteEpsilon, long samples,
        Double emptyNorm, Boolean normalize) implements LayerSpec {
    /** The kind name in model manifests. */
    public static final String KIND = "whitening";

    /** Validates every value. */
    public WhiteningSpec {
        if (!(relativeEpsilon >= 0) || Double.isInfinite(relativeEpsilon)) {
            throw new InvalidParameterException("relativeEpsilon", relativeEpsilon, "a finite number >= 0");
        }
        if (!(absoluteEpsilon >= 0) || Double.isInfinite(absoluteEpsilon)) {
            throw new InvalidParameterException("absoluteEpsilon", absoluteEpsilon, "a finite number >= 0");
        }
        if (relativeEpsilon == 0 && absoluteEpsilon == 0) {
            throw new InvalidParameterException("relativeEpsilon", relativeEpsilon,
                    "a positive number when absoluteEpsilon is 0 (the regulariser eps must be positive)");
        }
        if (samples < 2) throw new InvalidParameterException("samples", samples, "an integer >= 2");
        if (emptyNorm == null) emptyNorm = 0.0;
        if (!(emptyNorm >= 0) || Double.isInfinite(emptyNorm)) {
            throw new InvalidParameterException("emptyNorm", emptyNorm, "a finite number >= 0");
        }
        if (normalize == null) normalize = false;
    }

    /** A spec without the empty-vector test and without output normalisation. */
    public WhiteningSpec(boolean removePatchMean, double relativeEpsilon, double absoluteEpsilon, long samples) {
        this(removePatchMean, relativeEpsilon, absoluteEpsilon, samples, 0.0, false);
    }

    /**
     * The defaults for image patches: per-patch mean removal, eps = 0.1 lambda_max, no absolute
     * part, covariance from 100,000 positions.
     */
    public static WhiteningSpec defaults() {
        return new WhiteningSpec(true, 0.1, 0.0, 100_000);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with per-patch mean removal switched on or off. */
    public WhiteningSpec withRemovePatchMean(boolean value) {
        return new WhiteningSpec(value, relativeEpsilon, absoluteEpsilon, samples, emptyNorm, normalize);
    }

    /** A copy with another relative regulariser. */
    public WhiteningSpec withRelativeEpsilon(double value) {
        return new WhiteningSpec(removePatchMean, value, absoluteEpsilon, samples, emptyNorm, normalize);
    }

    /** A copy with another absolute regulariser. */
    public WhiteningSpec withAbsoluteEpsilon(double value) {
        return new WhiteningSpec(removePatchMean, relativeEpsilon, value, samples, emptyNorm, normalize);
    }

    /** A copy with another sample size. */
    public WhiteningSpec withSamples(long value) {
        return new WhiteningSpec(removePatchMean, relativeEpsilon, absoluteEpsilon, value, emptyNorm, normalize);
    }

    /** A copy where vectors whose x' has a norm below {@code value} are empty. */
    public WhiteningSpec withEmptyNorm(double value) {
        return new WhiteningSpec(removePatchMean, relativeEpsilon, absoluteEpsilon, samples, value, normalize);
    }

    /** A copy with output normalisation switched on or off. */
    public WhiteningSpec withNormalize(boolean value) {
        return new WhiteningSpec(removePatchMean, relativeEpsilon, absoluteEpsilon, samples, emptyNorm, value);
    }

    /**
     * The output has the input's shape. Throws a {@link GlassboxException} when the input vectors have
     * more than {@link Shapes#MAX_SQUARE_SIDE} values (the covariance and the whitening matrix are each one
     * Java array of d x d values), or when {@code samples} maps give fewer than 2 position vectors to
     * estimate a covariance from.
     */
    @Override
    public MapShape check(MapShape input, long samples) {
        if (input.channels() > Shapes.MAX_SQUARE_SIDE) {
            throw new GlassboxException("the input maps " + input + " have vectors of " + input.channels()
                    + " values (expected at most " + Shapes.MAX_SQUARE_SIDE
                    + ": the covariance is one Java array of d x d values)");
        }
        if (samples * input.positions() < 2) {
            throw new GlassboxException("whitening needs at least 2 position vectors to estimate a covariance but the "
                    + "training maps (" + samples + " of " + input + ") hold " + samples * input.positions());
        }
        return input;
    }

    /**
     * Estimates mu and C from a sample of {@code input}'s positions (drawn with
     * {@code context.random(id)}) and returns {@link #fromMoments} of them. Throws a
     * {@link GlassboxException} naming {@code id} for fewer than 2 positions, non-finite values, or a
     * zero regulariser (data without variance and {@code absoluteEpsilon = 0}).
     */
    @Override
    public WhiteningLayer fit(String id, MapSource input, FitContext context) {
        INDArray sample = PositionSampler.sample(input, samples, context.random(id));
        Shapes.requireFinite(id + " training vectors", sample);
        return fromMoments(id, input.shape(), moments(input.shape()).add(sample));
    }

    /** Empty moments for vectors of maps of {@code shape}, with this spec's per-vector mean removal. */
    public PositionMoments moments(MapShape shape) {
        return new PositionMoments(shape.channels(), removePatchMean, emptyNorm);
    }

    /**
     * The frozen layer for maps of {@code shape} whose sampled position vectors have the moments
     * {@code moments} (made by {@link #moments}, possibly summed over parts of the sample): the
     * covariance C = Q / m - mu mu^T, then W and U from its eigen-decomposition ({@link Zca}).
     * Throws a {@link GlassboxException} naming {@code id} for fewer than 2 vectors or a zero
     * regulariser.
     */
    public WhiteningLayer fromMoments(String id, MapShape shape, PositionMoments moments) {
        if (moments.count() < 2) {
            throw new GlassboxException(id + ": whitening needs at least 2 position vectors to estimate a covariance"
                    + " but the data has " + moments.count() + (emptyNorm > 0 ? " that are not empty (emptyNorm = "
                    + emptyNorm + ")" : ""));
        }
        Covariance covariance = moments.covariance();
        Zca zca;
        try {
            zca = Zca.of(covariance.matrix(), covariance.dimension(), relativeEpsilon, absoluteEpsilon);
        } catch (GlassboxException e) {
            throw new GlassboxException(id + ": " + e.getMessage(), e);
        }
        int d = shape.channels();
        return new WhiteningLayer(id, this, shape,
                Nd4j.createFromArray(covariance.mean()).castTo(DataType.FLOAT),
                Nd4j.createFromArray(zca.whitening()).castTo(DataType.FLOAT).reshape('c', d, d),
                Nd4j.createFromArray(zca.unwhitening()).castTo(DataType.FLOAT).reshape('c', d, d));
    }
}
