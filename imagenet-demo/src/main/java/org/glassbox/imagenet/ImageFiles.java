package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.error.GlassboxException;

/**
 * Labelled image files, not yet decoded: the list a reader builds from a folder layout and an
 * {@link ImageStream} decodes. Files are in a fixed order (class folders sorted by name, files
 * sorted by name within each), so the same folder always gives the same list.
 *
 * @param name where the files come from, for messages and provenance
 * @param classes the class names (for ILSVRC-2012, synset ids such as {@code n01440764}); label
 *     {@code c} means {@code classes.get(c)}
 * @param files {@code [items]} image paths
 * @param labels {@code [items]} class indices, each in [0, classes.size())
 */
public record ImageFiles(String name, List<String> classes, List<Path> files, int[] labels) {
    public ImageFiles {
        classes = List.copyOf(classes);
        files = List.copyOf(files);
        labels = labels.clone();
        if (files.size() != labels.length) {
            throw new GlassboxException(name + ": " + files.size() + " files but " + labels.length
                    + " labels (expected one label per file)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new GlassboxException(name + ": label " + labels[i] + " of " + files.get(i)
                        + " is outside [0, " + classes.size() + ")");
            }
        }
    }

    /** The number of files. */
    public int size() {
        return labels.length;
    }

    /** The label of file {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of the labels, {@code [items]}. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** How many files each class has, {@code [classes]}. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /**
     * SHA-256 over the class names, the file paths and the labels, in order: the identity of this
     * list in provenance and checkpoints.
     */
    public String fingerprint() {
        org.glassbox.framework.io.Sha256 sha = new org.glassbox.framework.io.Sha256();
        for (String c : classes) sha.update((c + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(new byte[] {0});
        for (Path f : files) sha.update((f + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(labels);
        return sha.hex();
    }

    /** The files and labels at {@code indices}, in that order, under a new name. */
    public ImageFiles select(String newName, int[] indices) {
        List<Path> f = new ArrayList<>(indices.length);
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            f.add(files.get(indices[i]));
            l[i] = labels[indices[i]];
        }
        return new ImageFiles(newName, classes, f, l);
    }

    /**
     * The same files in a seeded random order (Fisher-Yates shuffle driven by a
     * {@link java.util.SplittableRandom} seeded with {@code seed}), so that streamed training data
     * does not arrive one class after another.
     */
    public ImageFiles shuffled(long seed) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return select(name, order);
    }

    /**
     * A fixed stratified split ({@link StratifiedSplit#testMask}): {@code testFraction} of each
     * class's files, chosen by a seeded shuffle, form the test set; both parts keep this list's
     * order.
     */
    public Split split(double testFraction, long seed) {
        boolean[] isTest = StratifiedSplit.testMask(labels, classes.size(), testFraction, seed);
        int testCount = 0;
        for (boolean t : isTest) if (t) testCount++;
        int[] train = new int[size() - testCount];
        int[] test = new int[testCount];
        int a = 0;
        int b = 0;
        for (int i = 0; i < size(); i++) {
            if (isTest[i]) test[b++] = i;
            else train[a++] = i;
        }
        return new Split(select(name + "/train", train), select(name + "/test", test));
    }

    /** A training and a test list over the same classes. */
    public record Split(ImageFiles train, ImageFiles test) {
    }
}
