package org.glassbox.words;

import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.layers.sparse.Encoder;
import org.glassbox.layers.sparse.SparseCodingSpec;

/**
 * The hyperparameters of a word-factor fit: a dictionary of {@code factors} unit-norm atoms in
 * word-vector space, learned online (Mairal, Bach, Ponce and Sapiro, JMLR 2010), and non-negative
 * FISTA codes of each word vector x,
 *
 * <pre>
 *   a(x) = argmin_{a &gt;= 0}  1/2 ||x - a D||^2 + lambda ||a||_1
 * </pre>
 *
 * as in Zhang, Chen, Cheung and Olshausen, "Word Embedding Visualization via Dictionary Learning"
 * (arXiv:1910.03833, 2019), who decompose word vectors into readable factors by non-negative
 * overcomplete sparse coding; the command's defaults (1,000 factors, lambda 0.5 on GloVe vectors)
 * are the settings attributed to that paper, not checked against it (docs/words.md). An invalid value
 * is refused with the {@code ./glassbox factors} option that sets it ({@code --factors},
 * {@code --lambda}, {@code --epochs}, {@code --iterations}, {@code --top}), tolerance by its name.
 *
 * @param factors K, the number of factors (atoms), between 1 and {@link SparseCodingSpec#MAX_ATOMS}
 * @param lambda the L1 weight, finite and &gt;= 0
 * @param epochs passes of dictionary learning over the words, at least 1
 * @param iterations FISTA's iteration limit per word, at least 1
 * @param tolerance FISTA's relative stopping threshold, finite and &gt;= 0
 * @param topWords how many top words label each factor, at least 1
 */
public record FactorSettings(int factors, double lambda, int epochs, int iterations, double tolerance, int topWords) {
    /** The atom prefix of word factors: ids are {@code W/a0}, {@code W/a1}, ... */
    public static final String PREFIX = "W";

    public FactorSettings {
        if (factors < 1 || factors > SparseCodingSpec.MAX_ATOMS) {
            throw new InvalidParameterException("--factors", factors, "between 1 and " + SparseCodingSpec.MAX_ATOMS);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidParameterException("--lambda", lambda, "a finite value >= 0");
        }
        if (epochs < 1) {
            throw new InvalidParameterException("--epochs", epochs, "at least 1");
        }
        if (iterations < 1) {
            throw new InvalidParameterException("--iterations", iterations, "at least 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new InvalidParameterException("tolerance", tolerance, "a finite value >= 0");
        }
        if (topWords < 1) {
            throw new InvalidParameterException("--top", topWords, "at least 1");
        }
    }

    /** The sparse-coding spec that learns from {@code words} word vectors (all of them, in mini-batches of 256). */
    public SparseCodingSpec spec(long words) {
        return new SparseCodingSpec(PREFIX, factors, lambda, true, Encoder.FISTA, 1, iterations, tolerance, epochs,
                256, Math.max(1, words));
    }
}
