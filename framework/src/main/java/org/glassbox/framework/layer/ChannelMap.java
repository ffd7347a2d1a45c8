package org.glassbox.framework.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stage whose output at each grid position is one fixed matrix M {@code [output channels, input
 * channels]} times its input there, up to a scale that the input sets: a manifold embedding,
 * beta = P a, then normalised. A pattern w on its output channels reads the input channels as
 * w M, which is how the anatomy draws an atom of a later stage through it
 * ({@link org.glassbox.framework.inspect.Anatomy}, ignoring the scale as it ignores pooling's).
 */
public interface ChannelMap {
    /** The matrix M {@code [outputShape.channels, inputShape.channels]}. */
    INDArray channelMap();
}
