package org.glassbox.framework.inspect;

/**
 * One lower-layer atom that a higher-layer atom is built from, with its weight: the summed
 * magnitude of the higher atom's dictionary entries on that lower atom's channel over all grid
 * offsets of the higher layer's patch (see {@link Anatomy#builtFrom}).
 *
 * @param atom the lower atom's id, such as {@code L1/a17}
 * @param weight its weight, &gt;= 0
 */
public record AtomWeight(String atom, double weight) {
}
