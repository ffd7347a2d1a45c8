package org.glassbox.commands;

import java.nio.file.Path;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.imagenet.ImageStream;

/**
 * The items a command runs a model on, in a fixed order: maps of the model's input shape, each with
 * a class label when the data has labels, and the file it was decoded from when it came from image
 * files. Digits (IDX files, the embedded set) are held in memory ({@link ImageSet}); image files are
 * decoded as they stream ({@link ImageStream}) and held in memory only by {@link #load}.
 */
final class Items {
    private final ImageSet set;
    private final ImageStream stream;
    private final boolean labelled;

    private Items(ImageSet set, ImageStream stream, boolean labelled) {
        this.set = set;
        this.stream = stream;
        this.labelled = labelled;
    }

    /** Labelled images in memory. */
    static Items of(ImageSet set) {
        return new Items(set, null, true);
    }

    /** Streamed image files; their labels mean nothing when {@code labelled} is false. */
    static Items of(ImageStream stream, boolean labelled) {
        return new Items(null, stream, labelled);
    }

    /** Where the items come from, for messages. */
    String name() {
        return set != null ? set.name() : stream.files().name();
    }

    /** The shape of one item. */
    MapShape shape() {
        return set != null ? set.shape() : stream.shape();
    }

    /** The number of items. */
    int size() {
        return set != null ? set.size() : (int) stream.samples();
    }

    /** The items as maps, batch by batch. */
    MapSource source() {
        return set != null ? set.source() : stream;
    }

    /** Whether every item has a class label. */
    boolean labelled() {
        return labelled;
    }

    /** The class label of each item, {@code [size]}; only when {@link #labelled()}. */
    int[] labels() {
        if (!labelled) throw new IllegalStateException(name() + " has no labels");
        return set != null ? set.labels() : stream.labels();
    }

    /** The number of classes the labels range over. */
    int classes() {
        return set != null ? set.classes() : stream.files().classes().size();
    }

    /** The image file of item {@code i}, or null when the items were not read from image files. */
    Path file(int i) {
        return stream == null ? null : stream.files().files().get(i);
    }

    /**
     * The labelled items in memory, as the inspection API needs them.
     *
     * @throws GlassboxException when the items have no labels
     */
    ImageSet load() {
        if (!labelled) {
            throw new GlassboxException(name() + ": images without labels (a folder of image files); this command "
                    + "measures the model against labels (expected one folder per class, named as the model's classes)");
        }
        return set != null ? set : stream.load();
    }
}
