package org.glassbox.imagenet;

import org.glassbox.framework.error.InvalidParameterException;

/**
 * How an {@link ImageStream} decodes: on how many threads, with how many decoded images held at
 * most, and with which seed for random crops.
 *
 * @param threads decoding threads, at least 1
 * @param capacity the most decoded images held at once (the bound of the decoding queue), at least 1;
 *     memory for them is {@code capacity * height * width * 3 * 4} bytes
 * @param seed the seed of random crops
 */
public record StreamOptions(int threads, int capacity, long seed) {
    public StreamOptions {
        if (threads < 1) throw new InvalidParameterException("threads", threads, "at least 1");
        if (capacity < 1) throw new InvalidParameterException("capacity", capacity, "at least 1");
    }

    /** {@code threads} threads and a queue of {@code max(16, 4 * threads)} images. */
    public static StreamOptions of(int threads, long seed) {
        return new StreamOptions(threads, Math.max(16, 4 * threads), seed);
    }
}
