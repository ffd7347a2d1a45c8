package org.glassbox.layers.readout;

import org.glassbox.framework.layer.ReadoutSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hyperparameters of the kNN probe used to evaluate the sparse manifold transform (Chen, Yun, Ma,
 * Olshausen, LeCun, ICLR 2023), whose votes follow the weighted kNN classifier of Wu, Xiong, Yu,
 * Lin, "Unsupervised feature learning via non-parametric instance discrimination", CVPR 2018: the
 * k training samples of highest cosine similarity s_j vote for their class with weight
 * exp(s_j / T). See {@link KnnReadout}.
 *
 * @param classes the number of classes
 * @param k how many neighbours vote (about 30 in the SMT paper)
 * @param temperature T of the vote weights exp(s / T); small T lets the nearest neighbours dominate
 */
public record KnnSpec(int classes, int k, double temperature) implements ReadoutSpec {
    /** The kind name written in model manifests. */
    public static final String KIND = "knn-readout";

    /** Validates every hyperparameter; the message names the parameter, its value and what was expected. */
    public KnnSpec {
        if (classes < 2) {
            throw new InvalidParameterException("classes", classes, "at least 2 classes");
        }
        if (k < 1) {
            throw new InvalidParameterException("k", k, "a positive number of neighbours");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new InvalidParameterException("temperature", temperature, "a finite value > 0");
        }
    }

    /** {@code classes} classes, k = 30, T = 0.07 (Wu et al. 2018's temperature). */
    public static KnnSpec defaults(int classes) {
        return new KnnSpec(classes, 30, 0.07);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with {@code newK} neighbours. */
    public KnnSpec withK(int newK) {
        return new KnnSpec(classes, newK, temperature);
    }

    /** A copy with another temperature. */
    public KnnSpec withTemperature(double newTemperature) {
        return new KnnSpec(classes, k, newTemperature);
    }

    /** A copy for {@code newClasses} classes. */
    public KnnSpec withClasses(int newClasses) {
        return new KnnSpec(newClasses, k, temperature);
    }

    /**
     * One score per class. Throws an {@link InvalidParameterException} naming {@code k} when it is
     * more than {@code samples}, and a {@link GlassboxException} when the {@code samples} training
     * features of shape {@code input}, which the readout normalises as one Java array, are more values
     * than one holds.
     */
    @Override
    public MapShape check(MapShape input, long samples) {
        if (k > samples) {
            throw new InvalidParameterException("k", k, "at most the " + samples + " training samples");
        }
        if ((double) samples * input.size() > Integer.MAX_VALUE) {
            throw new GlassboxException("a kNN readout normalises its training features in one Java array, but "
                    + samples + " samples x " + input.size() + " features are more values than one holds (expected "
                    + "samples x features <= " + Integer.MAX_VALUE + ")");
        }
        return ReadoutSpec.super.check(input, samples);
    }

    /** True: the readout's memory is its training features. */
    @Override
    public boolean keepsTrainingFeatures() {
        return true;
    }

    /** Stores the L2-normalised training features and their labels; needs at least k samples ({@link #check}). */
    @Override
    public KnnReadout fit(String id, MapSource features, int[] labels, FitContext context) {
        check(features.shape(), features.samples());
        LabelledFeatures data = LabelledFeatures.read(id, features, labels, classes);
        KnnReadout.normalizeRowsInPlace(data.features());
        return new KnnReadout(id, this, data.shape(), data.features(), Nd4j.createFromArray(data.labels()));
    }
}
