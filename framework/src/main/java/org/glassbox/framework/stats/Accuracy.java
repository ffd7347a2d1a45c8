package org.glassbox.framework.stats;

import org.glassbox.framework.error.GlassboxException;

/** Counting correct predictions of a classifier on labelled test items. */
public final class Accuracy {
    private Accuracy() {
    }

    /**
     * The number of items {@code i} with {@code predictions[i] == labels[i]}.
     *
     * @throws GlassboxException if the arrays differ in length or are empty
     */
    public static int correct(int[] predictions, int[] labels) {
        check(predictions, labels);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) correct++;
        }
        return correct;
    }

    /** The fraction of correct predictions, {@code correct / n}. */
    public static double of(int[] predictions, int[] labels) {
        return (double) correct(predictions, labels) / labels.length;
    }

    static void check(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new GlassboxException(predictions.length + " predictions but " + labels.length
                    + " labels (expected one prediction per test item)");
        }
        if (labels.length == 0) {
            throw new GlassboxException("no test items (expected at least one prediction and label)");
        }
    }
}
