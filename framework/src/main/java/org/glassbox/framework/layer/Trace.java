package org.glassbox.framework.layer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The named intermediates of one call: every stage records what it computed under a dotted name
 * ({@code L1.code}, {@code L1.recon}, {@code L1.residual}). A trace is scoped to the call that
 * creates it; there are no global hooks.
 */
public final class Trace {
    private final Map<String, INDArray> values = new LinkedHashMap<>();

    /** Records {@code value} under {@code name}; a second record of the same name replaces the first. */
    public void record(String name, INDArray value) {
        values.put(name, value);
    }

    /** The value recorded under {@code name}, or throws naming the names that exist. */
    public INDArray get(String name) {
        INDArray v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no intermediate named " + name + "; recorded: " + values.keySet());
        }
        return v;
    }

    /** All recorded intermediates in the order they were recorded. */
    public Map<String, INDArray> all() {
        return Collections.unmodifiableMap(values);
    }
}
