package org.glassbox.framework.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * A fixed stratified split: within each class, a seeded shuffle puts {@code testFraction} of the
 * items (rounded by largest remainder, so the test set has exactly round(n * testFraction) items) in
 * the test set, keeping the original order inside each part.
 */
public final class StratifiedSplit {
    private StratifiedSplit() {
    }

    /** Splits {@code all} into train and test; the same seed always gives the same split. */
    public static TrainTest split(ImageSet all, double testFraction, long seed) {
        boolean[] isTest = testMask(all.labels(), all.classes(), testFraction, seed);
        int total = all.size();
        int testTotal = 0;
        for (boolean t : isTest) if (t) testTotal++;
        int[] train = new int[total - testTotal];
        int[] test = new int[testTotal];
        int a = 0;
        int b = 0;
        for (int i = 0; i < total; i++) {
            if (isTest[i]) test[b++] = i;
            else train[a++] = i;
        }
        return new TrainTest(all.select(all.name() + "/train", train), all.select(all.name() + "/test", test));
    }

    /**
     * The indices, in order, of at most {@code n} of the labelled items: all of them when there are
     * no more than {@code n}, else the test part of {@link #testMask} with the fraction n / items
     * (so each class keeps its share, and the same seed gives the same subset).
     *
     * @param labels {@code [items]}, each in [0, classes)
     */
    public static int[] subset(int[] labels, int classes, int n, long seed) {
        if (n < 1) throw new InvalidParameterException("n", n, "at least 1");
        if (labels.length <= n) return java.util.stream.IntStream.range(0, labels.length).toArray();
        boolean[] chosen = testMask(labels, classes, (double) n / labels.length, seed);
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> chosen[i]).toArray();
    }

    /**
     * The split of {@link #split} for any labelled items (for example image files not yet decoded):
     * {@code true} marks an item of the test set.
     *
     * @param labels {@code [items]}, each in [0, classes)
     */
    public static boolean[] testMask(int[] labels, int classes, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InvalidParameterException("testFraction", testFraction, "a fraction in (0, 1)");
        }
        int[] counts = new int[classes];
        for (int l : labels) counts[l]++;
        int total = labels.length;
        int testTotal = (int) Math.round(total * testFraction);
        int[] perClass = largestRemainder(counts, testTotal, total);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < total; i++) byClass.get(labels[i]).add(i);
        boolean[] isTest = new boolean[total];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            List<Integer> items = byClass.get(c);
            int[] idx = items.stream().mapToInt(Integer::intValue).toArray();
            for (int i = idx.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            for (int i = 0; i < perClass[c]; i++) isTest[idx[i]] = true;
        }
        return isTest;
    }

    private static int[] largestRemainder(int[] counts, int target, int total) {
        int[] out = new int[counts.length];
        double[] rem = new double[counts.length];
        int assigned = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = (double) counts[c] * target / total;
            out[c] = (int) Math.floor(exact);
            rem[c] = exact - out[c];
            assigned += out[c];
        }
        while (assigned < target) {
            int best = 0;
            for (int c = 1; c < counts.length; c++) if (rem[c] > rem[best]) best = c;
            out[best]++;
            rem[best] = -1;
            assigned++;
        }
        return out;
    }
}
