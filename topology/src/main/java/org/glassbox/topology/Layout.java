package org.glassbox.topology;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recovered layout: which input pixel each cell of a {@code height x width} grid shows. It is a
 * permutation in the sense of {@link Scramble}: {@code Scramble.apply(images, pixelAt())} puts
 * images onto the recovered grid.
 *
 * @param height rows of the grid
 * @param width columns of the grid
 * @param pixelAt for each cell (row-major), the index (row-major) of the input pixel placed there
 * @param constant the input pixels that never vary in the training images: they were placed in the
 *                 cells the varying pixels left free, in index order, and carry no position
 */
public record Layout(int height, int width, int[] pixelAt, int[] constant) {
    public Layout {
        Scramble.requirePermutation(pixelAt, height * width, "layout");
    }

    /** For each input pixel, its cell (row-major): the inverse permutation. */
    public int[] cellOf() {
        return Scramble.inverse(pixelAt);
    }

    /** {@code images} (as given, {@code [n, height, width, channels]}) put onto the recovered grid. */
    public INDArray apply(INDArray images) {
        return Scramble.apply(images, pixelAt);
    }
}
