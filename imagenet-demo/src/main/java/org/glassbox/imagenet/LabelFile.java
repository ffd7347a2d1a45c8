package org.glassbox.imagenet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.error.GlassboxException;

/**
 * Reads a validation set laid out as one flat folder of images plus a ground-truth text file, as
 * ILSVRC-2012's {@code val/} is distributed. Each non-empty line of the label file is
 * {@code <image file><separator><label>[<anything>]}, where the separator is a comma or white
 * space and the label is the first white-space-separated token after it:
 * <ul>
 *   <li>a class name, {@code ILSVRC2012_val_00000001.JPEG n01751748} ("filename synset");</li>
 *   <li>a 0-based class index into the sorted class folders of the training set, including empty
 *       ones, {@code ILSVRC2012_val_00000001.JPEG 65} ("filename index", the {@code val.txt} of
 *       Caffe's ILSVRC-2012 auxiliary files);</li>
 *   <li>the Kaggle {@code LOC_val_solution.csv} form, {@code ILSVRC2012_val_00008726,n02119789 255 142 454 329 ...},
 *       whose first line {@code ImageId,PredictionString} is skipped and whose boxes are ignored.</li>
 * </ul>
 * A token that is a class name is read as a name first, then as an index. The image file may be
 * given with or without its extension and with leading folders, which are ignored. Lines starting
 * with {@code #} are comments. Images with no line, lines naming missing images, and images of a
 * class that was skipped as empty are logged and skipped; a malformed line, an unknown class or a
 * file listed twice is an error naming the file and line.
 */
public final class LabelFile {
    /** The first line of Kaggle's LOC_val_solution.csv, skipped. */
    static final String KAGGLE_HEADER = "ImageId,PredictionString";

    private LabelFile() {
    }

    /**
     * Reads the images of {@code folder} with the labels of {@code labelFile}.
     *
     * @param classes the classes of the training set (the result uses the same list)
     * @param indexNames the names that 0-based indices refer to: every class folder of the training
     *     set, sorted, empty ones included
     */
    public static ImageFiles read(Path folder, Path labelFile, List<String> classes, List<String> indexNames,
            SkipLog log) {
        if (!Files.isDirectory(folder)) {
            throw new GlassboxException(folder + ": folder not found (expected a folder of validation images)");
        }
        if (!Files.isRegularFile(labelFile)) {
            throw new GlassboxException(labelFile + ": label file not found (expected lines "
                    + "'<image file> <class name or 0-based class index>')");
        }
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) classIndex.put(classes.get(c), c);
        Map<String, Label> byName = parse(labelFile, classIndex, indexNames);

        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Path f : ClassFolderTree.filesBelow(folder)) {
            if (!ClassFolderTree.hasImageExtension(f)) {
                log.skip(f, SkipLog.Reason.WRONG_EXTENSION, null);
                continue;
            }
            String fileName = f.getFileName().toString();
            String key = byName.containsKey(fileName) ? fileName : stem(fileName);
            Label label = byName.get(key);
            if (label == null) {
                log.skip(f, SkipLog.Reason.UNLABELLED, null);
                continue;
            }
            used.add(key);
            if (label.classId() < 0) {
                log.skip(f, SkipLog.Reason.SKIPPED_CLASS, label.className());
                continue;
            }
            files.add(f);
            labels.add(label.classId());
        }
        for (Map.Entry<String, Label> e : byName.entrySet()) {
            if (!used.contains(e.getKey())) {
                log.skip(folder.resolve(e.getKey()), SkipLog.Reason.MISSING,
                        labelFile.getFileName() + " line " + e.getValue().line());
            }
        }
        if (files.isEmpty()) {
            throw new GlassboxException(folder + ": no labelled images (expected the images that "
                    + labelFile + " lists)");
        }
        return new ImageFiles(folder.toString(), classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** One line's label: the class id in the training classes (-1 if that class was skipped). */
    private record Label(int classId, String className, int line) {
    }

    private static Map<String, Label> parse(Path labelFile, Map<String, Integer> classIndex, List<String> indexNames) {
        List<String> lines;
        try {
            lines = Files.readAllLines(labelFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GlassboxException(labelFile + ": cannot read: " + e.getMessage(), e);
        }
        // Insertion order, so MISSING lines are logged in file order.
        Map<String, Label> byName = new java.util.LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            int lineNo = n + 1;
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || (n == 0 && line.equals(KAGGLE_HEADER))) continue;
            int sep = 0;
            while (sep < line.length() && line.charAt(sep) != ',' && !Character.isWhitespace(line.charAt(sep))) sep++;
            String rest = sep < line.length() ? line.substring(sep + 1).strip() : "";
            if (rest.isEmpty()) {
                throw new GlassboxException(labelFile + " line " + lineNo + ": expected '<image file> <class name or "
                        + "0-based class index>' but got '" + line + "'");
            }
            String file = line.substring(0, sep);
            int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
            file = file.substring(slash + 1);
            String token = rest.split("[\\s,]+", 2)[0];
            Label label = label(labelFile, lineNo, token, classIndex, indexNames);
            Label previous = byName.putIfAbsent(file, label);
            if (previous != null) {
                throw new GlassboxException(labelFile + " line " + lineNo + ": " + file
                        + " is listed twice (first on line " + previous.line() + ")");
            }
        }
        if (byName.isEmpty()) {
            throw new GlassboxException(labelFile + ": no labels (expected lines '<image file> <class name or "
                    + "0-based class index>')");
        }
        return byName;
    }

    private static Label label(Path labelFile, int lineNo, String token, Map<String, Integer> classIndex,
            List<String> indexNames) {
        Integer byClassName = classIndex.get(token);
        if (byClassName != null) return new Label(byClassName, token, lineNo);
        if (token.matches("[0-9]{1,9}")) {
            int index = Integer.parseInt(token);
            if (index >= indexNames.size()) {
                throw new GlassboxException(labelFile + " line " + lineNo + ": class index " + index
                        + " is outside 0.." + (indexNames.size() - 1));
            }
            String name = indexNames.get(index);
            Integer id = classIndex.get(name);
            return new Label(id == null ? -1 : id, name, lineNo);
        }
        if (indexNames.contains(token)) return new Label(-1, token, lineNo);
        throw new GlassboxException(labelFile + " line " + lineNo + ": unknown class '" + token
                + "' (expected a class folder name of the training set, such as " + indexNames.get(0)
                + ", or a class index 0.." + (indexNames.size() - 1) + ")");
    }

    /** The file name without its last extension. */
    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
