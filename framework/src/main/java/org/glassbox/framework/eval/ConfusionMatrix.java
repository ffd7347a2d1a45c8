package org.glassbox.framework.eval;

import org.glassbox.framework.error.GlassboxException;

/**
 * Counts of (true class, predicted class) over a test set, and the accuracies derived from them:
 * overall accuracy = trace / total, and the per-class accuracy (recall) of class c =
 * count(c, c) / (number of items whose true class is c).
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final long total;

    private ConfusionMatrix(long[][] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Tallies {@code truth[i]} against {@code predicted[i]}; both must have the same non-zero length
     * and hold classes in [0, classes).
     */
    public static ConfusionMatrix of(int[] truth, int[] predicted, int classes) {
        if (classes < 1) {
            throw new GlassboxException("confusion matrix: expected at least 1 class but got " + classes);
        }
        if (truth.length != predicted.length) {
            throw new GlassboxException("confusion matrix: " + truth.length + " true labels but " + predicted.length
                    + " predictions (expected one prediction per label)");
        }
        if (truth.length == 0) {
            throw new GlassboxException("confusion matrix: no items (expected at least one prediction)");
        }
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            check("true label", truth[i], i, classes);
            check("prediction", predicted[i], i, classes);
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, truth.length);
    }

    private static void check(String what, int value, int index, int classes) {
        if (value < 0 || value >= classes) {
            throw new GlassboxException("confusion matrix: " + what + " " + value + " of item " + index
                    + " is outside [0, " + classes + ")");
        }
    }

    /** The fraction of items whose prediction equals their true class. */
    public static double accuracy(int[] truth, int[] predicted, int classes) {
        return of(truth, predicted, classes).accuracy();
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** The number of items. */
    public long total() {
        return total;
    }

    /** How many items of true class {@code truth} were predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** A copy of the counts, {@code [truth][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int c = 0; c < counts.length; c++) copy[c] = counts[c].clone();
        return copy;
    }

    /** trace / total. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) correct += counts[c][c];
        return (double) correct / total;
    }

    /** {@code [classes]}: count(c, c) / items of class c; NaN for a class with no items. */
    public double[] perClassAccuracy() {
        double[] out = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            long items = 0;
            for (long n : counts[c]) items += n;
            out[c] = items == 0 ? Double.NaN : (double) counts[c][c] / items;
        }
        return out;
    }
}
