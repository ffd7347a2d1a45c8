package org.glassbox.imagenet;

import java.nio.file.Path;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.progress.Progress;

/**
 * An image folder in memory, for programs that use Glassbox as a library: the layouts the
 * {@code imagenet} command reads ({@link DataLayout}: one folder per class, split stratified, or
 * ILSVRC-2012's {@code train/} and {@code val/}), every image decoded and cut to a fixed size by
 * {@code preprocess} ({@link ImageStream}), as labelled {@link org.glassbox.framework.data.ImageSet}s
 * of {@code [n, height, width, 3]}. Files that cannot be decoded are skipped and named on standard
 * error. The {@code imagenet} command streams instead, for folders larger than memory.
 */
public final class ImageFolder {
    /** Decoding threads. */
    private static final int THREADS = 2;

    private ImageFolder() {
    }

    /**
     * The training and test images of the folder {@code root}: a class tree split with
     * {@code testFraction} of each class held out (seed {@code seed}), both cut as {@code preprocess}
     * says (use {@link Preprocess.Crop#CENTRE} for a fixed set; random crops differ per seed).
     */
    public static TrainTest read(Path root, Preprocess preprocess, double testFraction, long seed) {
        SkipLog log = SkipLog.toStandardError();
        DataLayout.Found found = DataLayout.read(root, null, testFraction, seed, log);
        StreamOptions options = StreamOptions.of(THREADS, seed);
        return new TrainTest(ImageStream.open(found.train(), preprocess, options, log, Progress.silent()).load(),
                ImageStream.open(found.test(), preprocess, options, log, Progress.silent()).load());
    }
}
