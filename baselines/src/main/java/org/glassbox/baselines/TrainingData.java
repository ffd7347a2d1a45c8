package org.glassbox.baselines;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The images a baseline learns from, epoch by epoch: the same images every epoch, or new random crops
 * and flips of the same files each epoch (the image command's augmentation). Labels and order do not
 * change between epochs.
 */
public interface TrainingData {
    /** Training images. */
    int size();

    /** The class of each image, {@code [size()]}. */
    int[] labels();

    /** The number of classes. */
    int classes();

    /** The shape of one image. */
    MapShape shape();

    /** The images of epoch {@code epoch} (1-based), {@code [size(), height, width, channels]}, float32. */
    INDArray images(int epoch);

    /** The same images every epoch. */
    static TrainingData fixed(ImageSet set) {
        return new TrainingData() {
            @Override
            public int size() {
                return set.size();
            }

            @Override
            public int[] labels() {
                return set.labels();
            }

            @Override
            public int classes() {
                return set.classes();
            }

            @Override
            public MapShape shape() {
                return set.shape();
            }

            @Override
            public INDArray images(int epoch) {
                return set.images();
            }
        };
    }
}
