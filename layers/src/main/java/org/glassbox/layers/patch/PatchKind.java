package org.glassbox.layers.patch;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores {@link PatchLayer}s (kind {@value PatchSpec#KIND}) from model files; they have no arrays. */
public final class PatchKind implements LayerKind {
    @Override
    public String kind() {
        return PatchSpec.KIND;
    }

    @Override
    public Class<PatchSpec> specType() {
        return PatchSpec.class;
    }

    /** Rebuilds the layer; refuses any learned array, since patch extraction has none. */
    @Override
    public PatchLayer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        if (!parameters.isEmpty()) {
            throw new GlassboxException(id + ": a patches stage has no learned arrays but the model lists "
                    + parameters.keySet());
        }
        return new PatchLayer(id, (PatchSpec) spec, inputShape);
    }
}
