package org.glassbox.layers.manifold;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores a {@link ManifoldLayer} from a model file: arrays {@code projection [dims, K]} and {@code mu [dims]}. */
public final class ManifoldKind implements LayerKind {
    @Override
    public String kind() {
        return ManifoldSpec.KIND;
    }

    @Override
    public Class<? extends ComponentSpec> specType() {
        return ManifoldSpec.class;
    }

    @Override
    public Layer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        return new ManifoldLayer(id, (ManifoldSpec) spec, inputShape, array(id, parameters, "projection"),
                array(id, parameters, "mu"));
    }

    private static INDArray array(String id, Map<String, INDArray> parameters, String name) {
        INDArray a = parameters.get(name);
        if (a == null) {
            throw new GlassboxException(id + ": missing array '" + name + "' (expected the arrays projection and mu)");
        }
        return a;
    }
}
