package org.glassbox.framework.stats;

/**
 * A two-sided confidence interval {@code [low, high]} for a quantity in [0, 1], such as an accuracy.
 *
 * @param low the lower bound
 * @param high the upper bound, at least {@code low}
 * @param confidence the confidence level, for example 0.95
 */
public record ConfidenceInterval(double low, double high, double confidence) {
    /** The bounds as the two-element array {@code [low, high]}, the form metrics.json uses. */
    public double[] toArray() {
        return new double[] {low, high};
    }
}
