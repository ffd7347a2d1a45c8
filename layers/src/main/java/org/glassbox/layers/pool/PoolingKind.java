package org.glassbox.layers.pool;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores {@link PoolingLayer}s (kind {@value PoolingSpec#KIND}) from model files; they have no arrays. */
public final class PoolingKind implements LayerKind {
    @Override
    public String kind() {
        return PoolingSpec.KIND;
    }

    @Override
    public Class<PoolingSpec> specType() {
        return PoolingSpec.class;
    }

    /** Rebuilds the layer; refuses any learned array, since pooling has none. */
    @Override
    public PoolingLayer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        if (!parameters.isEmpty()) {
            throw new GlassboxException(id + ": a pooling stage has no learned arrays but the model lists "
                    + parameters.keySet());
        }
        return new PoolingLayer(id, (PoolingSpec) spec, inputShape);
    }
}
