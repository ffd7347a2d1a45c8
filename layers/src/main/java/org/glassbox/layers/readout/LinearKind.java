package org.glassbox.layers.readout;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores a {@link LinearReadout} from a model file: arrays {@code weights [classes, F]} and {@code bias [classes]}. */
public final class LinearKind implements LayerKind {
    @Override
    public String kind() {
        return LinearSpec.KIND;
    }

    @Override
    public Class<? extends ComponentSpec> specType() {
        return LinearSpec.class;
    }

    @Override
    public Layer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        return new LinearReadout(id, (LinearSpec) spec, inputShape, array(id, parameters, "weights"),
                array(id, parameters, "bias"));
    }

    private static INDArray array(String id, Map<String, INDArray> parameters, String name) {
        INDArray a = parameters.get(name);
        if (a == null) {
            throw new GlassboxException(id + ": missing array '" + name + "' (expected the arrays weights and bias)");
        }
        return a;
    }
}
