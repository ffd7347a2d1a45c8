package org.glassbox.framework.model;

import java.util.List;
import java.util.Map;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;

/**
 * A fitted model: the frozen pipeline, the readouts that read its output (each a {@link Layer}
 * whose input shape is the pipeline's output shape), where it came from, and free-form
 * descriptive fields (for example the class names).
 */
public record Model(Provenance provenance, Pipeline pipeline, List<Layer> readouts, Map<String, String> info) {
    public Model {
        readouts = List.copyOf(readouts);
        info = Map.copyOf(info);
        for (Layer r : readouts) {
            if (!r.inputShape().equals(pipeline.outputShape())) {
                throw new GlassboxException("readout " + r.id() + ": expected input shape "
                        + pipeline.outputShape() + " but it was fitted for " + r.inputShape());
            }
        }
    }

    /** The readout named {@code id}. */
    public Layer readout(String id) {
        return readouts.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new GlassboxException("the model has no readout named " + id));
    }
}
