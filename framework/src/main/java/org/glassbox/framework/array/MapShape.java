package org.glassbox.framework.array;

import org.glassbox.framework.error.InvalidParameterException;

/**
 * The shape of one sample of a spatial map, {@code [gridH, gridW, channels]}. Every layer reads and
 * writes maps of shape {@code [samples, gridH, gridW, channels]}: an image is a map whose channels
 * are colours, a patch layer's output is a map whose channels are patch pixels, a sparse-coding
 * layer's output is a map whose channels are atom coefficients. A flat vector is a 1 x 1 map.
 * Serializable so that statistics holding a shape can travel between the tasks of a distributed fit.
 */
public record MapShape(int gridH, int gridW, int channels) implements java.io.Serializable {
    public MapShape {
        if (gridH <= 0) throw new InvalidParameterException("gridH", gridH, "a positive size");
        if (gridW <= 0) throw new InvalidParameterException("gridW", gridW, "a positive size");
        if (channels <= 0) throw new InvalidParameterException("channels", channels, "a positive size");
    }

    /** Positions per sample, {@code gridH * gridW}. */
    public int positions() {
        return gridH * gridW;
    }

    /** Values per sample, {@code gridH * gridW * channels}. */
    public long size() {
        return (long) gridH * gridW * channels;
    }

    /** The same grid with another channel count. */
    public MapShape withChannels(int newChannels) {
        return new MapShape(gridH, gridW, newChannels);
    }

    /** The shape of a batch of {@code samples} such maps. */
    public long[] batchShape(long samples) {
        return new long[] {samples, gridH, gridW, channels};
    }

    @Override
    public String toString() {
        return "[" + gridH + ", " + gridW + ", " + channels + "]";
    }
}
