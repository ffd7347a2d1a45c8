package org.glassbox.framework.data;

/** A training and a test set of the same kind of images. */
public record TrainTest(ImageSet train, ImageSet test) {
}
