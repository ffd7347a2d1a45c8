package org.glassbox.imagenet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.error.GlassboxException;

/**
 * Finds the training and test images of a data folder, in one of three layouts:
 * <ol>
 *   <li><b>ILSVRC-2012, val as a class tree</b>: {@code DATA/train/<synset>/*.JPEG} and
 *       {@code DATA/val/<synset>/*.JPEG} (the layout after the usual {@code valprep.sh}); val's
 *       class folders must be training classes.</li>
 *   <li><b>ILSVRC-2012, val flat</b>: {@code DATA/train/<synset>/*.JPEG} and
 *       {@code DATA/val/*.JPEG} with a label file ({@link LabelFile}): the file given, or else the
 *       first of {@code DATA/val.txt}, {@code DATA/val_labels.txt}, {@code DATA/LOC_val_solution.csv}
 *       that exists.</li>
 *   <li><b>Any class tree</b>: {@code DATA/<class>/*.jpg|png} ({@link ClassFolderTree}), or
 *       {@code DATA/train/<class>/...} with no {@code val/}; split into train and test by a fixed
 *       stratified fraction with a seed ({@link ImageFiles#split}).</li>
 * </ol>
 */
public final class DataLayout {
    /** Label files looked for in the data folder when none is given, in this order. */
    static final List<String> DEFAULT_LABEL_FILES = List.of("val.txt", "val_labels.txt", "LOC_val_solution.csv");

    private DataLayout() {
    }

    /** The training and test files and a one-line description of how they were found. */
    public record Found(ImageFiles train, ImageFiles test, String layout) {
    }

    /**
     * Reads the layout of {@code data}.
     *
     * @param valLabels a validation label file, or null to look for the default names
     * @param testFraction the test fraction of a class tree split, in (0, 1)
     * @param seed the seed of that split
     */
    public static Found read(Path data, Path valLabels, double testFraction, long seed, SkipLog log) {
        if (!Files.isDirectory(data)) {
            throw new GlassboxException(data + ": folder not found (expected an ILSVRC-2012 folder with train/ "
                    + "and val/, or " + ClassFolderTree.EXPECTED + ")");
        }
        Path trainDir = data.resolve("train");
        Path valDir = data.resolve("val");
        if (!Files.isDirectory(trainDir)) {
            ImageFiles.Split split = ClassFolderTree.read(data, log).split(testFraction, seed);
            return new Found(split.train(), split.test(), "class tree " + data + ", stratified split, test fraction "
                    + testFraction + ", seed " + seed);
        }
        ImageFiles train = ClassFolderTree.read(trainDir, log);
        if (!Files.isDirectory(valDir)) {
            ImageFiles.Split split = train.split(testFraction, seed);
            return new Found(split.train(), split.test(), "class tree " + trainDir + " (no val/), stratified split, "
                    + "test fraction " + testFraction + ", seed " + seed);
        }
        Path labels = valLabels != null ? valLabels : defaultLabelFile(data);
        if (labels == null && hasSubfolders(valDir)) {
            return new Found(train, valAsTree(valDir, train, log), "ILSVRC-2012 layout: " + trainDir + ", " + valDir
                    + " (one folder per class)");
        }
        if (labels == null) {
            throw new GlassboxException(valDir + ": a folder of images without a label file (expected --val-labels FILE, "
                    + "or one of " + String.join(", ", DEFAULT_LABEL_FILES) + " in " + data + ")");
        }
        ImageFiles test = LabelFile.read(valDir, labels, train.classes(), ClassFolderTree.classFolders(trainDir), log);
        return new Found(train, test, "ILSVRC-2012 layout: " + trainDir + ", " + valDir + " labelled by " + labels);
    }

    private static Path defaultLabelFile(Path data) {
        for (String name : DEFAULT_LABEL_FILES) {
            Path p = data.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static boolean hasSubfolders(Path dir) {
        for (Path p : ClassFolderTree.list(dir)) {
            if (Files.isDirectory(p)) return true;
        }
        return false;
    }

    /** val/ as a class tree, relabelled with the training classes. */
    private static ImageFiles valAsTree(Path valDir, ImageFiles train, SkipLog log) {
        ImageFiles val = ClassFolderTree.read(valDir, log);
        Map<String, Integer> trainIndex = new HashMap<>();
        for (int c = 0; c < train.classes().size(); c++) trainIndex.put(train.classes().get(c), c);
        int[] labels = new int[val.size()];
        for (int i = 0; i < val.size(); i++) {
            String name = val.classes().get(val.label(i));
            Integer c = trainIndex.get(name);
            if (c == null) {
                throw new GlassboxException(valDir.resolve(name) + ": class folder not in the training set "
                        + "(expected the class folders of " + valDir.resolveSibling("train") + ")");
            }
            labels[i] = c;
        }
        return new ImageFiles(val.name(), train.classes(), new ArrayList<>(val.files()), labels);
    }
}
