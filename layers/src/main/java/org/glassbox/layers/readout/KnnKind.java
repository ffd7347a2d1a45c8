package org.glassbox.layers.readout;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Restores a {@link KnnReadout} from a model file: arrays {@code features [N, F]} and {@code labels [N]} int32. */
public final class KnnKind implements LayerKind {
    @Override
    public String kind() {
        return KnnSpec.KIND;
    }

    @Override
    public Class<? extends ComponentSpec> specType() {
        return KnnSpec.class;
    }

    @Override
    public Layer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        return new KnnReadout(id, (KnnSpec) spec, inputShape, array(id, parameters, "features"),
                array(id, parameters, "labels"));
    }

    private static INDArray array(String id, Map<String, INDArray> parameters, String name) {
        INDArray a = parameters.get(name);
        if (a == null) {
            throw new GlassboxException(id + ": missing array '" + name + "' (expected the arrays features and labels)");
        }
        return a;
    }
}
