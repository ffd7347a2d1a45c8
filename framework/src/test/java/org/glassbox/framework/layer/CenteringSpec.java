package org.glassbox.framework.layer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A minimal layer kind for testing the framework: it learns the mean of its input channels
 * ({@code mean [channels]}) and subtracts {@code scale * mean}.
 */
public record CenteringSpec(double scale) implements LayerSpec {
    public CenteringSpec {
        if (!(scale >= 0)) throw new InvalidParameterException("scale", scale, "a number >= 0");
    }

    @Override
    public String kind() {
        return "test-centering";
    }

    /** The output has the input's shape; any input fits. */
    @Override
    public MapShape check(MapShape input, long samples) {
        return input;
    }

    @Override
    public Layer fit(String id, MapSource input, FitContext context) {
        INDArray sum = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                input.shape().channels());
        long[] count = {0};
        input.forEachBatch(64, (batch, offset) -> {
            INDArray rows = Maps.rows(batch);
            sum.addi(rows.sum(0));
            count[0] += rows.size(0);
        });
        return new CenteringLayer(id, this, input.shape(), sum.divi(count[0]));
    }

    /** The frozen layer. */
    record CenteringLayer(String id, CenteringSpec spec, MapShape inputShape, INDArray mean) implements Layer {
        @Override
        public MapShape outputShape() {
            return inputShape;
        }

        @Override
        public INDArray encode(INDArray input) {
            Shapes.requireMap(id + " input", input, inputShape);
            INDArray rows = Maps.rows(input).dup();
            rows.subiRowVector(mean.mul(spec.scale));
            return Maps.map(rows, inputShape);
        }

        @Override
        public Map<String, INDArray> parameters() {
            Map<String, INDArray> p = new LinkedHashMap<>();
            p.put("mean", mean);
            return p;
        }
    }

    /** Restores it from a model file. */
    public static final class Kind implements LayerKind {
        @Override
        public String kind() {
            return "test-centering";
        }

        @Override
        public Class<? extends ComponentSpec> specType() {
            return CenteringSpec.class;
        }

        @Override
        public Layer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters) {
            return new CenteringLayer(id, (CenteringSpec) spec, inputShape, parameters.get("mean"));
        }
    }
}
