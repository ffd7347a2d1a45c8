package org.glassbox.layers.readout;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FileMapSource;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.ReadoutSpec;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hyperparameters of the linear readout: multinomial logistic regression on the flattened
 * features x (F = gridH * gridW * channels) with an L2 penalty on the weights,
 *
 * <pre>
 *   minimise J(W, b) = (1/N) sum_i [ log sum_c exp(z_ic) - z_i,y_i ] + (l2 / 2) ||W||_F^2,   z_i = W x_i + b
 * </pre>
 *
 * solved deterministically by full-batch L-BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed.
 * 2006, Algorithm 7.4 and 7.5) from W = 0, b = 0; see {@link MultinomialLogistic}.
 *
 * @param classes the number of classes
 * @param l2 the weight penalty (the bias is not penalised); > 0, which makes J strictly convex
 *           with a unique minimiser even when the classes are separable
 * @param maxIterations the most L-BFGS iterations
 * @param tolerance stop when the largest gradient entry |dJ/dtheta| is at most this
 */
public record LinearSpec(int classes, double l2, int maxIterations, double tolerance) implements ReadoutSpec {
    /** The kind name written in model manifests. */
    public static final String KIND = "linear-readout";

    /** Validates every hyperparameter; the message names the parameter, its value and what was expected. */
    public LinearSpec {
        if (classes < 2) {
            throw new InvalidParameterException("classes", classes, "at least 2 classes");
        }
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new InvalidParameterException("l2", l2, "a finite penalty > 0");
        }
        if (maxIterations < 1) {
            throw new InvalidParameterException("maxIterations", maxIterations, "a positive number of iterations");
        }
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new InvalidParameterException("tolerance", tolerance, "a finite value > 0");
        }
    }

    /**
     * {@code classes} classes, l2 = 2e-6, at most 2,000 iterations, gradient tolerance 1e-5: on
     * unit-norm SMT features of 8,000 digits, l2 = 2e-6 scored 0.9855 and 1e-5 scored 0.9845
     * (bench/prototype/README.md).
     */
    public static LinearSpec defaults(int classes) {
        return new LinearSpec(classes, 2e-6, 2000, 1e-5);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with another penalty. */
    public LinearSpec withL2(double newL2) {
        return new LinearSpec(classes, newL2, maxIterations, tolerance);
    }

    /** A copy with another iteration limit. */
    public LinearSpec withMaxIterations(int newMaxIterations) {
        return new LinearSpec(classes, l2, newMaxIterations, tolerance);
    }

    /** A copy with another gradient tolerance. */
    public LinearSpec withTolerance(double newTolerance) {
        return new LinearSpec(classes, l2, maxIterations, newTolerance);
    }

    /** A copy for {@code newClasses} classes. */
    public LinearSpec withClasses(int newClasses) {
        return new LinearSpec(newClasses, l2, maxIterations, tolerance);
    }

    /**
     * Minimises J over the flattened {@code features}; deterministic (no randomness is used).
     * Features in chunk files ({@link FileMapSource}) are read one chunk at a time at every
     * evaluation of J instead of into memory.
     */
    @Override
    public LinearReadout fit(String id, MapSource features, int[] labels, FitContext context) {
        if (features instanceof FileMapSource files) {
            LabelledFeatures.checkLabels(id, files, labels, classes);
            MultinomialLogistic.Rows rows = visitor -> files.forEachBatch(files.chunkSamples(), (batch, offset) -> {
                INDArray flat = LabelledFeatures.flatten(batch);
                visitor.visit(flat, Math.toIntExact(offset));
                OffHeap.free(flat, batch);
            });
            int dims = Math.toIntExact(files.shape().size());
            return fit(id, new MultinomialLogistic(rows, dims, labels.clone(), classes, l2), files.shape(), context);
        }
        LabelledFeatures data = LabelledFeatures.view(id, features, labels, classes);
        LinearReadout readout = fit(id, new MultinomialLogistic(data.features(), data.labels(), classes, l2),
                data.shape(), context);
        data.release();
        return readout;
    }

    private LinearReadout fit(String id, MultinomialLogistic objective, MapShape shape, FitContext context) {
        MultinomialLogistic.Solution s;
        try (Progress.Task task = context.progress().task(id + " L-BFGS", maxIterations)) {
            s = objective.minimise(maxIterations, tolerance, task);
            if (s.iterations() < maxIterations) task.endEarly();
        }
        return new LinearReadout(id, this, shape, s.weights(), s.bias());
    }
}
