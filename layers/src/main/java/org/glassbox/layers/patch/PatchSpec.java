package org.glassbox.layers.patch;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.MapSource;

/**
 * Patch extraction: every {@code size x size} window of the input grid at a step of
 * {@code stride}, each flattened into one vector of {@code size * size * channels} values, kept at
 * its grid position. The input may be an image (channels are colours) or a code grid (channels are
 * atom coefficients; a map of K channels gives patches of {@code size * size * K}). Nothing is
 * learned; fitting only records the input shape.
 *
 * <p>Geometry: an input grid {@code [H, W, C]} gives the output grid {@code [gh, gw, size * size * C]}
 * with {@code gh = floor((H - size) / stride) + 1} and {@code gw = floor((W - size) / stride) + 1};
 * output position (i, j) is the window whose top-left input cell is {@code (i * stride, j * stride)}.
 * Input rows or columns past the last whole window are not covered (no padding).
 *
 * @param size the window side k, at least 1
 * @param stride the step between neighbouring windows s, at least 1
 */
public record PatchSpec(int size, int stride) implements LayerSpec {
    /** The kind name in model manifests. */
    public static final String KIND = "patches";

    /** Validates both sizes. */
    public PatchSpec {
        if (size < 1) throw new InvalidParameterException("size", size, "a positive integer");
        if (stride < 1) throw new InvalidParameterException("stride", stride, "a positive integer");
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with another window side. */
    public PatchSpec withSize(int newSize) {
        return new PatchSpec(newSize, stride);
    }

    /** A copy with another stride. */
    public PatchSpec withStride(int newStride) {
        return new PatchSpec(size, newStride);
    }

    /**
     * The output shape for inputs of shape {@code input}: {@code [gh, gw, size * size * C]} (see the
     * class comment); throws an {@link InvalidParameterException} naming {@code size} when the window
     * does not fit in the grid or a patch has more values than an int counts.
     */
    public MapShape outputShape(MapShape input) {
        int side = Math.min(input.gridH(), input.gridW());
        if (size > side) {
            throw new InvalidParameterException("size", size, "at most " + side + ", the shorter side of the input grid "
                    + input);
        }
        long channels = (long) size * size * input.channels();
        if (channels > Integer.MAX_VALUE) {
            throw new InvalidParameterException("size", size, "at most " + (int) Math.sqrt((double) Integer.MAX_VALUE
                    / input.channels()) + " over the " + input.channels() + " channels of the input grid " + input
                    + " (a patch of size * size * channels values is counted by an int)");
        }
        return new MapShape((input.gridH() - size) / stride + 1, (input.gridW() - size) / stride + 1, (int) channels);
    }

    /** {@link #outputShape(MapShape)}; any number of samples fits. */
    @Override
    public MapShape check(MapShape input, long samples) {
        return outputShape(input);
    }

    /** Returns the frozen patch layer for inputs of {@code input.shape()}; reads no data. */
    @Override
    public PatchLayer fit(String id, MapSource input, FitContext context) {
        return new PatchLayer(id, this, input.shape());
    }
}
