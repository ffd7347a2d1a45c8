package org.glassbox.framework.eval;

import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns class scores into predicted classes. */
public final class Predictions {
    private Predictions() {
    }

    /**
     * The class with the highest score for each item (the lowest class index among ties), from
     * scores {@code [n, classes]} or a readout's output map {@code [n, 1, 1, classes]}.
     */
    public static int[] argmax(INDArray scores) {
        long[] shape = scores.shape();
        boolean flat = shape.length == 2;
        boolean map = shape.length == 4 && shape[1] == 1 && shape[2] == 1;
        if (!flat && !map) {
            throw new GlassboxException("class scores: expected shape [n, classes] or [n, 1, 1, classes] but got "
                    + Arrays.toString(shape));
        }
        int n = (int) shape[0];
        int classes = (int) shape[shape.length - 1];
        float[] v = scores.reshape('c', n, classes).dup('c').data().asFloat();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (v[i * classes + c] > v[i * classes + best]) best = c;
            }
            out[i] = best;
        }
        return out;
    }
}
