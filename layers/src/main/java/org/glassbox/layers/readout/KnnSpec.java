package org.glassbox.layers.readout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.glassbox.framework.layer.ReadoutSpec;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Hyperparameters of the kNN probe used to evaluate the sparse manifold transform (Chen, Yun, Ma,
 * Olshausen, LeCun, ICLR 2023), whose votes follow the weighted kNN classifier of Wu, Xiong, Yu,
 * Lin, "Unsupervised feature learning via non-parametric instance discrimination", CVPR 2018: the
 * k training samples of highest cosine similarity s_j vote for their class with weight
 * exp(s_j / T). See {@link KnnReadout}.
 *
 * <p>The probe compares the whole input, or with {@code channels > 0} only the first
 * {@code channels} channels at every grid position. A pipeline's output holds its main stages'
 * channels first and its branches' after them (docs/architecture.md, "Branches"), so the main
 * stages' channel count probes their representation alone: the deepest layer of a stack whose
 * branches carry an earlier layer's features beside it for the linear readout.
 *
 * @param classes the number of classes
 * @param k how many neighbours vote (about 30 in the SMT paper)
 * @param temperature T of the vote weights exp(s / T); small T lets the nearest neighbours dominate
 * @param channels how many leading channels of each position the probe compares; 0: all of them
 *     (then left out of the JSON, so that manifests, stack files and checkpoint plans written
 *     before the field read and compare as they were)
 */
public record KnnSpec(int classes, int k, double temperature,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int channels) implements ReadoutSpec {
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
        if (channels < 0) {
            throw new InvalidParameterException("channels", channels, "0 (every channel) or a positive number of leading channels");
        }
    }

    /** The spec a manifest or stack file holds; one written without {@code channels} compares every channel. */
    @JsonCreator
    static KnnSpec fromJson(@JsonProperty("classes") int classes, @JsonProperty("k") int k,
            @JsonProperty("temperature") double temperature, @JsonProperty("channels") Integer channels) {
        return new KnnSpec(classes, k, temperature, channels == null ? 0 : channels);
    }

    /** Every channel compared: {@code new KnnSpec(classes, k, temperature, 0)}. */
    public KnnSpec(int classes, int k, double temperature) {
        this(classes, k, temperature, 0);
    }

    /** {@code classes} classes, k = 30, T = 0.07 (Wu et al. 2018's temperature), every channel compared. */
    public static KnnSpec defaults(int classes) {
        return new KnnSpec(classes, 30, 0.07);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with {@code newK} neighbours. */
    public KnnSpec withK(int newK) {
        return new KnnSpec(classes, newK, temperature, channels);
    }

    /** A copy with another temperature. */
    public KnnSpec withTemperature(double newTemperature) {
        return new KnnSpec(classes, k, newTemperature, channels);
    }

    /** A copy for {@code newClasses} classes. */
    public KnnSpec withClasses(int newClasses) {
        return new KnnSpec(newClasses, k, temperature, channels);
    }

    /** A copy that compares the first {@code newChannels} channels of each position (0: all). */
    public KnnSpec withChannels(int newChannels) {
        return new KnnSpec(classes, k, temperature, newChannels);
    }

    /**
     * The shape of what the probe compares for inputs of shape {@code input}: the input itself, or
     * its first {@code channels} channels at each position.
     *
     * @throws InvalidParameterException naming {@code channels} when the input has fewer
     */
    public MapShape compared(MapShape input) {
        if (channels == 0) return input;
        if (channels > input.channels()) {
            throw new InvalidParameterException("channels", channels, "at most the input's " + input.channels()
                    + " channels (0: all)");
        }
        return new MapShape(input.gridH(), input.gridW(), channels);
    }

    /**
     * One score per class. Throws an {@link InvalidParameterException} naming {@code k} when it is
     * more than {@code samples}, or {@code channels} when the input has fewer channels, and a
     * {@link GlassboxException} when the {@code samples} training features it compares, which the
     * readout normalises as one Java array, are more values than one holds.
     */
    @Override
    public MapShape check(MapShape input, long samples) {
        if (k > samples) {
            throw new InvalidParameterException("k", k, "at most the " + samples + " training samples");
        }
        long features = compared(input).size();
        if ((double) samples * features > Integer.MAX_VALUE) {
            throw new GlassboxException("a kNN readout normalises its training features in one Java array, but "
                    + samples + " samples x " + features + " features are more values than one holds (expected "
                    + "samples x features <= " + Integer.MAX_VALUE + ")");
        }
        return ReadoutSpec.super.check(input, samples);
    }

    /** True: the readout's memory is its training features. */
    @Override
    public boolean keepsTrainingFeatures() {
        return true;
    }

    /**
     * Stores the L2-normalised training features it compares (the first {@code channels} of each
     * position, or all) and their labels; needs at least k samples ({@link #check}).
     */
    @Override
    public KnnReadout fit(String id, MapSource features, int[] labels, FitContext context) {
        check(features.shape(), features.samples());
        LabelledFeatures data = LabelledFeatures.read(id, leadingChannels(features), labels, classes);
        KnnReadout.normalizeRowsInPlace(data.features());
        return new KnnReadout(id, this, features.shape(), data.features(), Nd4j.createFromArray(data.labels()));
    }

    /** {@code source} as it is when every channel is compared, else its first {@code channels} channels. */
    private MapSource leadingChannels(MapSource source) {
        if (channels == 0) return source;
        MapShape shape = compared(source.shape());
        return new MapSource() {
            @Override
            public MapShape shape() {
                return shape;
            }

            @Override
            public long samples() {
                return source.samples();
            }

            @Override
            public void forEachBatch(int batchSize, BatchVisitor visitor) {
                source.forEachBatch(batchSize, (batch, offset) -> {
                    INDArray compared = leadingChannels(batch);
                    visitor.visit(compared, offset);
                    OffHeap.free(compared, batch);
                });
            }
        };
    }

    /** The first {@code channels} channels of {@code maps} {@code [n, H, W, C]} as a C-ordered copy, or {@code maps} when all are compared. */
    INDArray leadingChannels(INDArray maps) {
        if (channels == 0 || channels == maps.size(3)) return maps;
        return maps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, channels)).dup('c');
    }
}
