package org.glassbox.framework.layer;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Restores a frozen layer of one kind from a model file: its spec (read from the manifest as the
 * record {@link #specType()}), its input shape and its learned arrays. Implementations are found
 * with {@link ServiceLoader} ({@code META-INF/services/org.glassbox.framework.layer.LayerKind}).
 */
public interface LayerKind {
    /** The kind name as written in the manifest, equal to {@link ComponentSpec#kind()}. */
    String kind();

    /** The spec record that the manifest's {@code spec} object is read into. */
    Class<? extends ComponentSpec> specType();

    /**
     * Rebuilds the frozen layer; throws a {@link GlassboxException} naming the array when a
     * parameter is missing or has the wrong shape.
     */
    Layer restore(String id, ComponentSpec spec, MapShape inputShape, Map<String, INDArray> parameters);

    /** Finds the kind named {@code kind} among the installed ones. */
    static LayerKind named(String kind) {
        LayerKind found = Registry.KINDS.get(kind);
        if (found == null) {
            throw new GlassboxException("unknown layer kind '" + kind + "': expected one of " + Registry.KINDS.keySet());
        }
        return found;
    }

    /** The kinds on the class path, loaded once. */
    final class Registry {
        private static final Map<String, LayerKind> KINDS = load();

        private Registry() {
        }

        private static Map<String, LayerKind> load() {
            Map<String, LayerKind> kinds = new HashMap<>();
            for (LayerKind k : ServiceLoader.load(LayerKind.class)) {
                kinds.put(k.kind(), k);
            }
            return kinds;
        }
    }
}
