package org.glassbox.imagenet;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * How a decoded image becomes a fixed-size RGB map: scale it so that its shorter side is
 * {@code shorterSide} pixels (keeping the aspect ratio; {@link Resampler}), then cut a
 * {@code height x width} window from it, in the centre or at a seeded random place. The result is
 * a map {@code [height, width, 3]} of float32 RGB values in [0, 1]. AlexNet's preprocessing is
 * {@code new Preprocess(256, 224, 224, RANDOM)} for training and {@code CENTRE} for testing
 * (Krizhevsky, Sutskever, Hinton, NIPS 2012, section 4.1).
 *
 * @param shorterSide the length of the shorter side after scaling, at least {@code height} and {@code width}
 * @param height the crop height
 * @param width the crop width
 * @param crop where the window lies
 */
public record Preprocess(int shorterSide, int height, int width, Crop crop) {
    /** Where the crop window lies in the scaled image. */
    public enum Crop {
        /** Centred (offsets rounded down). */
        CENTRE,
        /** Uniform over all positions, drawn from the stream's seed and the image's path. */
        RANDOM,
        /**
         * As {@link #RANDOM}, then mirrored left-right with probability 1/2, the coin drawn from the
         * same generator after the place (training augmentation).
         */
        RANDOM_MIRRORED
    }

    public Preprocess {
        if (height <= 0) throw new InvalidParameterException("height", height, "a positive number of pixels");
        if (width <= 0) throw new InvalidParameterException("width", width, "a positive number of pixels");
        if (shorterSide < Math.max(height, width)) {
            throw new InvalidParameterException("shorterSide", shorterSide,
                    "at least the crop size max(height, width) = " + Math.max(height, width));
        }
        if (crop == null) throw new InvalidParameterException("crop", null, "CENTRE, RANDOM or RANDOM_MIRRORED");
    }

    /** The shape of one output map, {@code [height, width, 3]}. */
    public MapShape shape() {
        return new MapShape(height, width, 3);
    }

    /** Values per output image, {@code height * width * 3}. */
    int values() {
        return height * width * 3;
    }

    /** The same sizes with another crop placement. */
    public Preprocess withCrop(Crop newCrop) {
        return new Preprocess(shorterSide, height, width, newCrop);
    }
}
