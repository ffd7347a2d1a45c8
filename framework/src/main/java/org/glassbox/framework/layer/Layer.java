package org.glassbox.framework.layer;

import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen, fitted stage of a {@link Pipeline}: immutable, it maps a batch of spatial maps
 * {@code [samples, inputShape]} to {@code [samples, outputShape]}. Implementations check the input
 * shape at the boundary with {@link org.glassbox.framework.array.Shapes#requireMap}.
 */
public interface Layer {
    /** The stage id, such as {@code "L1.code"}: the prefix of every intermediate it records. */
    String id();

    /** The hyperparameters it was fitted with. */
    ComponentSpec spec();

    /** The shape of one input sample. */
    MapShape inputShape();

    /** The shape of one output sample. */
    MapShape outputShape();

    /** Maps {@code [n, inputShape]} to {@code [n, outputShape]}; never modifies its argument. */
    INDArray encode(INDArray input);

    /**
     * Whether moving an input map by (dy, dx) grid positions moves the output map by the same
     * positions: every output position whose input lies inside the moved map is the unmoved output's
     * value at (y - dy, x - dx). True for stages that map each position on its own and for windows at
     * stride 1; false (the default) for stages that subsample or mix positions, such as pooling.
     * {@link Pipeline#transformAllWithShiftedCopies} moves the maps of the leading stages that are.
     */
    default boolean translationEquivariant() {
        return false;
    }

    /**
     * The learned arrays by name, in a fixed order, each float32 with its shape documented by the
     * layer kind (for example {@code dictionary [atoms, inputDim]}). Empty for stages with nothing
     * learned. The arrays are the layer's own: callers must not modify them.
     */
    Map<String, INDArray> parameters();
}
