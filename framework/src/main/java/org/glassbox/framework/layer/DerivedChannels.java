package org.glassbox.framework.layer;

import java.util.List;

/**
 * A stage whose output channels are functions of its input channels under names of their own (for
 * example a pooling stage that keeps each channel's mean and its maximum side by side), so that an
 * explanation can name each output channel after the input channel it comes from.
 */
public interface DerivedChannels extends Layer {
    /**
     * The names of the output channels, in order, given the names of the input channels
     * ({@code inputNames.size()} is {@code inputShape().channels()}).
     */
    List<String> outputChannelNames(List<String> inputNames);
}
