package org.glassbox.baselines;

import java.util.Arrays;

/**
 * The stopping rule of one training run: after every epoch the validation accuracy is recorded;
 * an epoch is the new best when its accuracy is strictly higher than every earlier one (so ties keep
 * the earlier, shorter-trained weights); training stops once {@code patience} epochs in a row bring no
 * new best, or after {@code maxEpochs} epochs.
 */
final class EarlyStopping {
    private final int patience;
    private final double[] history;
    private int epochs;
    private int bestEpoch;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;

    EarlyStopping(int patience, int maxEpochs) {
        this.patience = patience;
        this.history = new double[maxEpochs];
    }

    /** Records the validation accuracy after the next epoch; true if that epoch is the new best. */
    boolean record(double validationAccuracy) {
        history[epochs++] = validationAccuracy;
        if (validationAccuracy > bestAccuracy) {
            bestAccuracy = validationAccuracy;
            bestEpoch = epochs;
            return true;
        }
        return false;
    }

    /** Whether another epoch should run. */
    boolean goOn() {
        return epochs < history.length && epochs - bestEpoch < patience;
    }

    /** Epochs recorded so far. */
    int epochs() {
        return epochs;
    }

    /** The 1-based epoch with the best validation accuracy; 0 before the first. */
    int bestEpoch() {
        return bestEpoch;
    }

    /** The best validation accuracy so far. */
    double bestAccuracy() {
        return bestAccuracy;
    }

    /** The validation accuracy after each recorded epoch, {@code [epochs()]}. */
    double[] history() {
        return Arrays.copyOf(history, epochs);
    }
}
