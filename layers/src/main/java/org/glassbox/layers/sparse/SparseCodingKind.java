package org.glassbox.layers.sparse;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Restores a {@link SparseCodingLayer} from a model file: its {@link SparseCodingSpec}, its input
 * shape {@code [gh, gw, d]} and the arrays {@code dictionary} {@code [atoms, d]} and
 * {@code usage} {@code [atoms]}. Registered in
 * {@code META-INF/services/org.glassbox.framework.layer.LayerKind}.
 */
public final class SparseCodingKind implements LayerKind {
    @Override
    public String kind() {
        return SparseCodingSpec.KIND;
    }

    @Override
    public Class<SparseCodingSpec> specType() {
        return SparseCodingSpec.class;
    }

    /**
     * @throws GlassboxException naming the stage and the array when an array is missing, unknown,
     *                           of the wrong shape (both shapes in the message) or not finite
     */
    @Override
    public SparseCodingLayer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
        if (!(spec instanceof SparseCodingSpec s)) {
            throw new GlassboxException(id + ": expected a " + SparseCodingSpec.KIND + " spec but got a "
                    + spec.kind() + " spec");
        }
        for (String name : parameters.keySet()) {
            if (!name.equals("dictionary") && !name.equals("usage")) {
                throw new GlassboxException(id + ": unknown array '" + name + "' (a " + SparseCodingSpec.KIND
                        + " layer has dictionary and usage)");
            }
        }
        INDArray dictionary = require(id, parameters, "dictionary", "[" + s.atoms() + ", " + inputShape.channels() + "]");
        INDArray usage = require(id, parameters, "usage", "[" + s.atoms() + "]");
        return new SparseCodingLayer(id, s, inputShape, dictionary, usage);
    }

    private static INDArray require(String id, Map<String, INDArray> parameters, String name, String shape) {
        INDArray a = parameters.get(name);
        if (a == null) {
            throw new GlassboxException(id + ": missing array '" + name + "' (expected shape " + shape + ")");
        }
        return a;
    }
}
