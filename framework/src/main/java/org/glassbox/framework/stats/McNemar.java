package org.glassbox.framework.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.special.Gamma;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * McNemar's test of whether two classifiers have the same error rate on the same test items
 * (McNemar 1947, "Note on the sampling error of the difference between correlated proportions or
 * percentages", Psychometrika 12(2):153-157). Only the discordant items carry information: with
 * {@code b} the items the first classifier gets right and the second wrong, and {@code c} the
 * reverse, under the null hypothesis each discordant item is equally likely to fall either way,
 * so {@code b ~ Binomial(b + c, 1/2)} given {@code b + c}.
 *
 * <p>Two forms of the two-sided p-value, chosen by the discordant count {@code n = b + c}:
 * <ul>
 *   <li>{@code n < }{@value #EXACT_BELOW}: the exact binomial test,
 *       {@code p = min(1, 2 P(X <= min(b, c)))} with {@code X ~ Binomial(n, 1/2)}
 *       (Commons Math {@link BinomialDistribution}); {@code p = 1} when {@code n = 0}.
 *   <li>otherwise: the chi-square statistic with Edwards's continuity correction (Edwards 1948,
 *       "Note on the 'correction for continuity' in testing the significance of the difference
 *       between correlated proportions", Psychometrika 13(3):185-187),
 *       {@code chi2 = max(0, |b - c| - 1)^2 / (b + c)}, referred to the chi-square distribution with
 *       one degree of freedom: {@code p = Q(1/2, chi2/2)}, the regularised upper incomplete gamma
 *       function (Commons Math {@link Gamma#regularizedGammaQ(double, double)}), which equals
 *       {@code 1 - ChiSquaredDistribution(1).cumulativeProbability(chi2)} without that
 *       subtraction's loss of precision for small p.
 * </ul>
 * The threshold of 25 discordant items is the usual rule of thumb for when the chi-square
 * approximation is adequate; below it the exact test costs nothing.
 */
public final class McNemar {
    /** Discordant counts below this use the exact binomial test, at or above it the chi-square test. */
    public static final int EXACT_BELOW = 25;

    /** How a p-value was computed. */
    public enum Method {
        /** Exact two-sided binomial test on the discordant items. */
        EXACT_BINOMIAL,
        /** Chi-square with one degree of freedom and Edwards's continuity correction. */
        CHI_SQUARE_CORRECTED
    }

    /**
     * The outcome of one test.
     *
     * @param onlyFirstCorrect {@code b}: items the first classifier gets right and the second wrong
     * @param onlySecondCorrect {@code c}: items the second classifier gets right and the first wrong
     * @param method how {@code pValue} was computed
     * @param statistic for {@link Method#CHI_SQUARE_CORRECTED} the corrected chi-square value; for
     *     {@link Method#EXACT_BINOMIAL} the binomial test statistic {@code min(b, c)}
     * @param pValue the two-sided p-value in [0, 1]
     */
    public record Result(int onlyFirstCorrect, int onlySecondCorrect, Method method, double statistic,
                         double pValue) {
    }

    private McNemar() {
    }

    /**
     * Tests two classifiers' predictions on the same test items.
     *
     * @param first the first classifier's predicted class of every test item
     * @param second the second classifier's predicted class of the same items, in the same order
     * @param labels the true class of every item
     * @throws org.glassbox.framework.error.GlassboxException if the three arrays differ in length or are empty
     */
    public static Result test(int[] first, int[] second, int[] labels) {
        Accuracy.check(first, labels);
        Accuracy.check(second, labels);
        int b = 0;
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean firstRight = first[i] == labels[i];
            boolean secondRight = second[i] == labels[i];
            if (firstRight && !secondRight) b++;
            else if (secondRight && !firstRight) c++;
        }
        return fromDiscordant(b, c);
    }

    /**
     * The test from the two discordant counts alone.
     *
     * @param b items only the first classifier gets right, at least 0
     * @param c items only the second classifier gets right, at least 0
     */
    public static Result fromDiscordant(int b, int c) {
        if (b < 0) throw new InvalidParameterException("b", b, "a count of at least 0");
        if (c < 0) throw new InvalidParameterException("c", c, "a count of at least 0");
        int n = b + c;
        if (n < EXACT_BELOW) {
            int smaller = Math.min(b, c);
            double p = n == 0 ? 1.0
                    : Math.min(1.0, 2.0 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(smaller));
            return new Result(b, c, Method.EXACT_BINOMIAL, smaller, p);
        }
        double excess = Math.max(0, Math.abs(b - c) - 1);
        double chi2 = excess * excess / n;
        double p = chi2 == 0 ? 1.0 : Gamma.regularizedGammaQ(0.5, chi2 / 2);
        return new Result(b, c, Method.CHI_SQUARE_CORRECTED, chi2, p);
    }
}
