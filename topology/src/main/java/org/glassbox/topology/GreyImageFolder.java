package org.glassbox.topology;

import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.imagenet.ImageFolder;
import org.glassbox.imagenet.Preprocess;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An image folder (one sub-folder per class, the layout {@code ./glassbox imagenet} reads) as grey
 * images of one fixed size, for the topology recovery: every image is scaled so that its shorter
 * side is {@code size} pixels, the centre {@code size x size} window is cut
 * ({@link Preprocess.Crop#CENTRE}, {@link ImageFolder}), and its RGB values become one luminance
 * value, {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601). {@link #TEST_FRACTION} of each class
 * is held out as test images (stratified, by the seed). The images are held in memory, 4 bytes
 * per pixel and channel while they are decoded.
 */
public final class GreyImageFolder {
    /** The side of the grid when {@code --size} is not given: that of MNIST. */
    public static final int DEFAULT_SIZE = 28;
    /** The smallest side: a smaller grid has too few pixels with four neighbours to tell a grid from other graphs. */
    public static final int MIN_SIZE = 4;
    /**
     * The largest side: the recovery holds the pixels' covariance and the assignment's cost matrix
     * ({@code pixels x pixels}) and inverts and assigns in time {@code pixels^3}; 64 x 64 is 4,096 pixels.
     */
    public static final int MAX_SIZE = 64;
    /** The share of each class held out as test images (as {@code ./glassbox imagenet}'s default). */
    public static final double TEST_FRACTION = 0.2;
    /** The luminance weights of red, green and blue (ITU-R BT.601). */
    static final float[] LUMINANCE = {0.299f, 0.587f, 0.114f};

    private GreyImageFolder() {
    }

    /** Refuses a side outside {@link #MIN_SIZE}..{@link #MAX_SIZE}. */
    public static void checkSize(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new InvalidParameterException("--size", size, "a side of " + MIN_SIZE + " to " + MAX_SIZE + " pixels");
        }
    }

    /**
     * The training and test images of the image folder {@code root}, grey, {@code [n, size, size, 1]}
     * in [0, 1], split with the seed {@code seed}.
     */
    public static TrainTest read(Path root, int size, long seed) {
        checkSize(size);
        TrainTest rgb = ImageFolder.read(root, new Preprocess(size, size, size, Preprocess.Crop.CENTRE), TEST_FRACTION, seed);
        return new TrainTest(grey(rgb.train()), grey(rgb.test()));
    }

    /** {@code set} with its RGB images {@code [n, h, w, 3]} turned into luminance {@code [n, h, w, 1]}. */
    static ImageSet grey(ImageSet set) {
        return new ImageSet(set.name(), luminance(set.images()), set.labels(), set.classes());
    }

    /** The luminance {@code [n, h, w, 1]} of RGB images {@code [n, h, w, 3]}. */
    static INDArray luminance(INDArray rgb) {
        long[] s = rgb.shape();
        INDArray weights = Nd4j.create(LUMINANCE, new long[] {3, 1}, 'c').castTo(rgb.dataType());
        return rgb.dup('c').reshape(s[0] * s[1] * s[2], 3).mmul(weights).reshape('c', s[0], s[1], s[2], 1);
    }
}
