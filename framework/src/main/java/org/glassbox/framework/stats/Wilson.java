package org.glassbox.framework.stats;

import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * The Wilson score confidence interval for a binomial proportion (Wilson 1927, "Probable inference,
 * the law of succession, and statistical inference", JASA 22(158):209-212), computed by Commons
 * Math's {@link WilsonScoreInterval}. With {@code p = k / n} successes out of {@code n} trials and
 * {@code z} the {@code 1 - (1 - confidence) / 2} quantile of the standard normal distribution,
 *
 * <pre>
 *   centre    = (p + z^2 / (2n)) / (1 + z^2 / n)
 *   halfWidth = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
 *   interval  = [centre - halfWidth, centre + halfWidth]
 * </pre>
 *
 * Unlike the normal-approximation (Wald) interval it stays inside [0, 1] and keeps close to its
 * nominal coverage near 0 and 1 (Newcombe 1998, Statistics in Medicine 17:857-872), where test
 * accuracies of good classifiers lie. At {@code k = 0} the lower bound is exactly 0 and at
 * {@code k = n} the upper bound is exactly 1 (the closed form gives them only up to rounding).
 */
public final class Wilson {
    private Wilson() {
    }

    /** The 95% Wilson interval for {@code successes} out of {@code trials}. */
    public static ConfidenceInterval ci95(int successes, int trials) {
        return interval(successes, trials, 0.95);
    }

    /**
     * The Wilson interval at {@code confidence} for {@code successes} out of {@code trials}.
     *
     * @throws InvalidParameterException if {@code trials < 1}, {@code successes} is outside
     *     {@code [0, trials]} or {@code confidence} is outside (0, 1)
     */
    public static ConfidenceInterval interval(int successes, int trials, double confidence) {
        if (trials < 1) throw new InvalidParameterException("trials", trials, "at least 1");
        if (successes < 0 || successes > trials) {
            throw new InvalidParameterException("successes", successes, "a count in [0, " + trials + "]");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidParameterException("confidence", confidence, "a level in (0, 1)");
        }
        var interval = new WilsonScoreInterval().createInterval(trials, successes, confidence);
        double low = successes == 0 ? 0.0 : interval.getLowerBound();
        double high = successes == trials ? 1.0 : interval.getUpperBound();
        return new ConfidenceInterval(low, high, confidence);
    }
}
