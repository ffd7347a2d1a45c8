package org.glassbox.imagenet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;

/**
 * Reads a "one folder per class" image tree: the ILSVRC-2012 training set ({@code train/n01440764/*.JPEG},
 * one folder per synset) or any other tree of that shape. Each sub-folder of the root is a class,
 * named by the folder; its image files, found at any depth below it, are that class's images.
 *
 * <p>Rules: class folders and files are sorted by name, so the list is the same on every machine;
 * names starting with a dot are ignored (hidden files and folders such as {@code .DS_Store});
 * a file whose name does not end in .jpg, .jpeg or .png (any case) is skipped and logged;
 * a class folder with no image files is skipped and logged, and is not a class; plain files
 * directly in the root are ignored. Whether an image decodes is checked later, when it is
 * decoded ({@link ImageStream}).
 */
public final class ClassFolderTree {
    private ClassFolderTree() {
    }

    /** What a class tree is expected to look like, for messages. */
    static final String EXPECTED = "one folder per class, each holding .jpg, .jpeg or .png images";

    /**
     * Lists the images of the class tree at {@code root}; empty class folders and files with other
     * extensions go to {@code log}.
     *
     * @throws GlassboxException if {@code root} is not a folder, has no class folders, or has no
     *     images in any class folder
     */
    public static ImageFiles read(Path root, SkipLog log) {
        List<String> folders = classFolders(root);
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String folder : folders) {
            Path dir = root.resolve(folder);
            List<Path> images = imagesBelow(dir, log);
            if (images.isEmpty()) {
                log.skip(dir, SkipLog.Reason.EMPTY_CLASS, null);
                continue;
            }
            int label = classes.size();
            classes.add(folder);
            for (Path f : images) {
                files.add(f);
                labels.add(label);
            }
        }
        if (files.isEmpty()) {
            throw new GlassboxException(root + ": no images in any of its " + folders.size()
                    + " class folders (expected " + EXPECTED + ")");
        }
        return new ImageFiles(root.toString(), classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The names of the class folders under {@code root}, sorted, empty ones included (the list that
     * 0-based class indices in a validation label file refer to).
     *
     * @throws GlassboxException if {@code root} is not a folder or has no sub-folders
     */
    public static List<String> classFolders(Path root) {
        if (!Files.isDirectory(root)) {
            throw new GlassboxException(root + ": folder not found (expected " + EXPECTED + ")");
        }
        List<String> names = new ArrayList<>();
        for (Path p : list(root)) {
            if (Files.isDirectory(p)) names.add(p.getFileName().toString());
        }
        if (names.isEmpty()) {
            throw new GlassboxException(root + ": no class folders (expected " + EXPECTED + ")");
        }
        return names;
    }

    /** Whether {@code root} is a folder with at least one sub-folder (not hidden): a class tree's layout. */
    public static boolean hasClassFolders(Path root) {
        return Files.isDirectory(root) && list(root).stream().anyMatch(Files::isDirectory);
    }

    /**
     * The image files at any depth below {@code dir}, in the order of {@link #read} (depth-first,
     * by name); files with other extensions go to {@code log}.
     */
    public static List<Path> imagesBelow(Path dir, SkipLog log) {
        List<Path> images = new ArrayList<>();
        for (Path f : filesBelow(dir)) {
            if (hasImageExtension(f)) images.add(f);
            else log.skip(f, SkipLog.Reason.WRONG_EXTENSION, null);
        }
        return images;
    }

    /** Whether the file name ends in .jpg, .jpeg or .png, in any case. */
    static boolean hasImageExtension(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    /** The non-hidden entries of {@code dir}, sorted by name. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new GlassboxException(dir + ": cannot list the folder: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new GlassboxException(dir + ": cannot list the folder: " + e.getCause().getMessage(), e);
        }
    }

    /** The non-hidden regular files at any depth below {@code dir}, depth-first in name order. */
    static List<Path> filesBelow(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p)) out.addAll(filesBelow(p));
            else if (Files.isRegularFile(p)) out.add(p);
        }
        return out;
    }
}
