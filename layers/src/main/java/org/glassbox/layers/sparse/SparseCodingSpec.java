package org.glassbox.layers.sparse;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.PositionSampler;
import org.glassbox.framework.io.SafeName;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hyperparameters of a sparse-coding layer (docs/architecture.md, "The sparse-coding solver"): a dictionary D
 * {@code [atoms, d]} of unit-norm atoms learned online (Mairal, Bach, Ponce and Sapiro, "Online
 * learning for matrix factorization and sparse coding", JMLR 2010; see {@link DictionaryLearner}),
 * and an encoder that maps each position vector x of the input map to a code a {@code [atoms]}.
 * The objective that the LASSO encoders minimise and that dictionary learning lowers is, per vector,
 *
 * <pre>
 *   1/2 ||x - a D||^2 + lambda ||a||_1        (a &gt;= 0 when nonNegative)
 * </pre>
 *
 * <p>Serializable so that a distributed fit can send it to its tasks ({@link CodingRound}).
 *
 * @param atomPrefix the level name that prefixes atom ids and traced intermediates, for example
 *                   {@code "L1"} (atoms {@code L1/a0 ...}, intermediates {@code L1.code},
 *                   {@code L1.recon}, {@code L1.residual}); 1 to 100 letters, digits, '_' or '-'
 * @param atoms K, the number of atoms, between 1 and {@value #MAX_ATOMS}
 * @param lambda the L1 weight of the LASSO and the threshold of {@link Encoder#THRESHOLD}; finite
 *               and &gt;= 0, and &gt; 0 for {@link Encoder#COORDINATE_DESCENT}; for
 *               {@link Encoder#COSINE_THRESHOLD} the least cosine of an active atom, in (0, 1]
 *               (unused by {@link Encoder#TOP_K} and {@link Encoder#ONE_SPARSE})
 * @param nonNegative whether codes are constrained to a &gt;= 0 (then atoms keep the sign they were
 *                    learned with: flipping an atom would change what a non-negative code can say)
 * @param encoder how vectors are encoded, in fitting and afterwards
 * @param k the number of atoms {@link Encoder#TOP_K} keeps, between 1 and {@code atoms} (checked
 *          for every encoder, used only by top-k)
 * @param iterations the LASSO encoders' limit per vector: FISTA's iterations, or coordinate
 *                   descent's passes over its working set; at least 1
 * @param tolerance the LASSO encoders' per-vector stopping threshold: for
 *                  {@link Encoder#COORDINATE_DESCENT} on the duality gap relative to the objective,
 *                  for {@link Encoder#FISTA} on the relative step ||a_k - a_{k-1}|| / ||a_k||;
 *                  finite and &gt;= 0
 * @param epochs passes of dictionary learning over the sampled training vectors, at least 1
 * @param batchSize training vectors per dictionary update (the mini-batch size eta), at least 1
 * @param maxSamples at most this many position vectors are sampled uniformly from the training
 *                   maps ({@link PositionSampler}) to learn from, at least 1
 * @param atomSource where the atoms come from: {@link AtomSource#LEARNED} by dictionary learning,
 *                   or {@link AtomSource#SAMPLED} from the data vectors themselves
 *                   ({@link SampledAtoms}); null (a file written before the field existed) reads as
 *                   LEARNED
 * @param maxCosine for {@link AtomSource#SAMPLED}: a sampled vector becomes an atom only when its
 *                  cosine with every atom chosen before is at most this; in (0, 1]; null reads as 1
 */
public record SparseCodingSpec(String atomPrefix, int atoms, double lambda, boolean nonNegative, Encoder encoder,
        int k, int iterations, double tolerance, int epochs, int batchSize, long maxSamples, AtomSource atomSource,
        Double maxCosine) implements LayerSpec, java.io.Serializable {

    /** Where a sparse-coding layer's atoms come from. */
    public enum AtomSource {
        /** Online dictionary learning on the sampled vectors ({@link DictionaryLearner}). */
        LEARNED,
        /** Sampled vectors themselves, normalised, kept far apart ({@link SampledAtoms}). */
        SAMPLED
    }

    /** The kind name in model manifests. */
    public static final String KIND = "sparse-coding";

    /** The most atoms: dictionary learning's atoms x atoms statistics are one Java array. */
    public static final int MAX_ATOMS = Shapes.MAX_SQUARE_SIDE;

    /** A level name: it names files ({@code atlas-L1.png}), so it is bounded as ids are ({@link SafeName#MAX_LENGTH}). */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1," + SafeName.MAX_LENGTH + "}");

    public SparseCodingSpec {
        if (atomPrefix == null || !PREFIX.matcher(atomPrefix).matches()) {
            throw new InvalidParameterException("atomPrefix", atomPrefix == null ? "null" : "'" + atomPrefix + "'",
                    "1 to " + SafeName.MAX_LENGTH + " letters, digits, '_' or '-', such as L1");
        }
        if (atoms < 1) {
            throw new InvalidParameterException("atoms", atoms, "at least 1");
        }
        if (atoms > MAX_ATOMS) {
            throw new InvalidParameterException("atoms", atoms, "at most " + MAX_ATOMS
                    + " (dictionary learning's atoms x atoms statistics are one Java array)");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("lambda", lambda, "a finite value >= 0");
        }
        if (encoder == null) {
            throw new InvalidParameterException("encoder", "null",
                    "one of FISTA, THRESHOLD, TOP_K, ONE_SPARSE, COSINE_THRESHOLD, COORDINATE_DESCENT");
        }
        if (encoder == Encoder.COORDINATE_DESCENT && lambda == 0) {
            throw new InvalidParameterException("lambda", lambda, "a value > 0 for the COORDINATE_DESCENT encoder");
        }
        if (encoder == Encoder.COSINE_THRESHOLD && (lambda == 0 || lambda > 1)) {
            throw new InvalidParameterException("lambda", lambda, "a cosine in (0, 1] for the COSINE_THRESHOLD encoder");
        }
        if (k < 1 || k > atoms) {
            throw new InvalidParameterException("k", k, "between 1 and atoms (" + atoms + ")");
        }
        if (iterations < 1) {
            throw new InvalidParameterException("iterations", iterations, "at least 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new InvalidParameterException("tolerance", tolerance, "a finite value >= 0");
        }
        if (epochs < 1) {
            throw new InvalidParameterException("epochs", epochs, "at least 1");
        }
        if (batchSize < 1) {
            throw new InvalidParameterException("batchSize", batchSize, "at least 1");
        }
        if (maxSamples < 1) {
            throw new InvalidParameterException("maxSamples", maxSamples, "at least 1");
        }
        if (atomSource == null) atomSource = AtomSource.LEARNED;
        if (maxCosine == null) maxCosine = 1.0;
        if (!(maxCosine > 0) || maxCosine > 1) {
            throw new InvalidParameterException("maxCosine", maxCosine, "a cosine in (0, 1]");
        }
    }

    /** A spec whose atoms are learned ({@link AtomSource#LEARNED}). */
    public SparseCodingSpec(String atomPrefix, int atoms, double lambda, boolean nonNegative, Encoder encoder, int k,
            int iterations, double tolerance, int epochs, int batchSize, long maxSamples) {
        this(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance, epochs, batchSize, maxSamples,
                AtomSource.LEARNED, 1.0);
    }

    /**
     * A spec with the defaults: the {@link Encoder#COORDINATE_DESCENT} LASSO encoder, codes of
     * either sign, k = 1, at most 100 coordinate-descent passes per vector with a relative
     * duality-gap tolerance of 1e-4 (each vector's objective within 1e-4 of its optimum), 2
     * epochs, batches of 256, at most 50,000 training vectors.
     */
    public static SparseCodingSpec of(String atomPrefix, int atoms, double lambda) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, false, Encoder.COORDINATE_DESCENT, 1, 100, 1e-4, 2, 256,
                50_000);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * The input grid with one channel per atom. Throws an {@link InvalidParameterException} naming
     * {@code atoms} when the dictionary, atoms x the input's channels values, is more than one Java
     * array holds.
     */
    @Override
    public MapShape check(MapShape input, long samples) {
        if ((long) atoms * input.channels() > Integer.MAX_VALUE) {
            throw new InvalidParameterException("atoms", atoms, "at most " + Integer.MAX_VALUE / input.channels()
                    + " for the input maps " + input + " (the dictionary of atoms x " + input.channels()
                    + " values is one Java array)");
        }
        return input.withChannels(atoms);
    }

    /**
     * Samples up to {@code maxSamples} position vectors of {@code input} with
     * {@code context.random(id)}, learns the dictionary from them and returns the frozen layer,
     * whose atoms are canonical. The same seed, data and thread count give the same layer.
     */
    @Override
    public SparseCodingLayer fit(String id, MapSource input, FitContext context) {
        SplittableRandom rng = context.random(id);
        INDArray samples = PositionSampler.sample(input, maxSamples, rng);
        Shapes.requireFinite(id + " training vectors", samples);
        return fromSample(id, input.shape(), SampleRows.of(samples), rng, context.progress());
    }

    /**
     * Learns the dictionary from the sampled position vectors {@code sample} of maps of
     * {@code inputShape} ({@link DictionaryLearner}) with {@code rng}, the generator that drew the
     * sample, and returns the frozen layer. {@link #fit} calls it with the sample in one array; a
     * distributed fit with the sample spread over its partitions.
     */
    public SparseCodingLayer fromSample(String id, MapShape inputShape, SampleRows sample, SplittableRandom rng,
            Progress progress) {
        DictionaryLearner.Result learned = atomSource == AtomSource.SAMPLED
                ? DictionaryLearner.withUsage(sample, this, SampledAtoms.choose(sample, this, rng, id))
                : DictionaryLearner.learn(sample, this, rng, progress, id);
        return new SparseCodingLayer(id, this, inputShape, learned.dictionary(), learned.usage());
    }

    /** A copy with another atom prefix. */
    public SparseCodingSpec withAtomPrefix(String newAtomPrefix) {
        return new SparseCodingSpec(newAtomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another number of atoms. */
    public SparseCodingSpec withAtoms(int newAtoms) {
        return new SparseCodingSpec(atomPrefix, newAtoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another L1 weight. */
    public SparseCodingSpec withLambda(double newLambda) {
        return new SparseCodingSpec(atomPrefix, atoms, newLambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with or without the non-negativity constraint. */
    public SparseCodingSpec withNonNegative(boolean newNonNegative) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, newNonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another encoder. */
    public SparseCodingSpec withEncoder(Encoder newEncoder) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, newEncoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another k for {@link Encoder#TOP_K}. */
    public SparseCodingSpec withK(int newK) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, newK, iterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another iteration limit of the LASSO encoders. */
    public SparseCodingSpec withIterations(int newIterations) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, newIterations, tolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another tolerance of the LASSO encoders. */
    public SparseCodingSpec withTolerance(double newTolerance) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, newTolerance,
                epochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another number of epochs. */
    public SparseCodingSpec withEpochs(int newEpochs) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                newEpochs, batchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy with another mini-batch size. */
    public SparseCodingSpec withBatchSize(int newBatchSize) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, newBatchSize, maxSamples,
                atomSource, maxCosine);
    }

    /** A copy whose atoms are sampled vectors with pairwise cosines of at most {@code newMaxCosine}. */
    public SparseCodingSpec withSampledAtoms(double newMaxCosine) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, maxSamples, AtomSource.SAMPLED, newMaxCosine);
    }

    /** A copy with another cap on the training vectors. */
    public SparseCodingSpec withMaxSamples(long newMaxSamples) {
        return new SparseCodingSpec(atomPrefix, atoms, lambda, nonNegative, encoder, k, iterations, tolerance,
                epochs, batchSize, newMaxSamples,
                atomSource, maxCosine);
    }
}
