package org.glassbox.layers.whiten;

import java.util.Map;
import java.util.Set;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores {@link WhiteningLayer}s (kind {@value WhiteningSpec#KIND}) from their spec and arrays. */
public final class WhiteningKind implements LayerKind {
    private static final Set<String> ARRAYS = Set.of("mean", "whitening", "unwhitening");

    @Override
    public String kind() {
        return WhiteningSpec.KIND;
    }

    @Override
    public Class<WhiteningSpec> specType() {
        return WhiteningSpec.class;
    }

    /**
     * Rebuilds the layer from {@code mean [d]}, {@code whitening [d, d]} and {@code unwhitening [d, d]}
     * (d = input channels); a missing, misshapen or unknown array is named in the error.
     */
    @Override
    public WhiteningLayer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        for (String name : parameters.keySet()) {
            if (!ARRAYS.contains(name)) {
                throw new GlassboxException(id + ": unknown array '" + name
                        + "' (a whitening stage has mean, whitening and unwhitening)");
            }
        }
        return new WhiteningLayer(id, (WhiteningSpec) spec, inputShape, parameters.get("mean"),
                parameters.get("whitening"), parameters.get("unwhitening"));
    }
}
