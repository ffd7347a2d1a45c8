package org.glassbox.baselines;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * One layer of a baseline network, as a recipe writes it. Four types:
 *
 * <pre>
 *   {"type": "conv", "size": 20, "kernel": 5, "stride": 1, "padding": 0, "activation": "relu"}
 *   {"type": "max_pool", "kernel": 2, "stride": 2}
 *   {"type": "dense", "size": 500, "activation": "relu"}
 *   {"type": "output", "size": 10, "activation": "softmax", "dropout": 0.5}     (cross-entropy loss)
 * </pre>
 *
 * Convolutions have square kernels, the same stride and zero padding on both axes and {@code size}
 * output maps; pooling windows are square; the output layer is the last layer and only there.
 *
 * @param type {@code conv}, {@code max_pool}, {@code dense} or {@code output}
 * @param size output maps (conv) or units (dense, output); null for max_pool
 * @param kernel the side of the square window (conv, max_pool); null otherwise
 * @param stride the step of the window on both axes (conv, max_pool); null otherwise
 * @param padding zero pixels added on every side (conv); null otherwise
 * @param activation {@code relu} (conv, dense) or {@code softmax} (output); null for max_pool
 * @param dropout dense and output layers: the probability with which each of the layer's inputs is
 *     zeroed in a training step (the others scaled by 1 / (1 - dropout); Srivastava et al. 2014), or
 *     null for none; never applied when classifying
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerSpec(String type, Integer size, Integer kernel, Integer stride, Integer padding, String activation,
                        Double dropout) {
    public static final String CONV = "conv";
    public static final String MAX_POOL = "max_pool";
    public static final String DENSE = "dense";
    public static final String OUTPUT = "output";

    public LayerSpec {
        if (type == null) throw new InvalidParameterException("layer type", null, "conv, max_pool, dense or output");
        switch (type) {
            case CONV -> {
                positive("conv size", size);
                positive("conv kernel", kernel);
                positive("conv stride", stride);
                if (padding == null || padding < 0) throw new InvalidParameterException("conv padding", padding, "at least 0");
                expect("conv activation", activation, "relu");
                absent("conv", "dropout", dropout);
            }
            case MAX_POOL -> {
                absent("max_pool", "dropout", dropout);
                positive("max_pool kernel", kernel);
                positive("max_pool stride", stride);
                absent("max_pool", "size", size);
                absent("max_pool", "padding", padding);
                absent("max_pool", "activation", activation);
            }
            case DENSE, OUTPUT -> {
                positive(type + " size", size);
                absent(type, "kernel", kernel);
                absent(type, "stride", stride);
                absent(type, "padding", padding);
                expect(type + " activation", activation, type.equals(DENSE) ? "relu" : "softmax");
                if (dropout != null && !(dropout > 0 && dropout < 1)) {
                    throw new InvalidParameterException(type + " dropout", dropout, "a probability in (0, 1), or none");
                }
            }
            default -> throw new InvalidParameterException("layer type", type, "conv, max_pool, dense or output");
        }
    }

    /** A convolution with ReLU. */
    public static LayerSpec conv(int maps, int kernel, int stride, int padding) {
        return new LayerSpec(CONV, maps, kernel, stride, padding, "relu", null);
    }

    /** Max pooling over {@code kernel x kernel} windows. */
    public static LayerSpec maxPool(int kernel, int stride) {
        return new LayerSpec(MAX_POOL, null, kernel, stride, null, null, null);
    }

    /** A fully connected ReLU layer. */
    public static LayerSpec dense(int units) {
        return new LayerSpec(DENSE, units, null, null, null, "relu", null);
    }

    /** The softmax output layer with cross-entropy loss. */
    public static LayerSpec output(int classes) {
        return new LayerSpec(OUTPUT, classes, null, null, null, "softmax", null);
    }

    /** This dense or output layer with dropout {@code p} on its inputs during training. */
    public LayerSpec withDropout(double p) {
        return new LayerSpec(type, size, kernel, stride, padding, activation, p);
    }

    /** A short description such as {@code conv 5x5x20} or {@code dense 500}. */
    public String describe() {
        return switch (type) {
            case CONV -> "conv " + kernel + "x" + kernel + "x" + size + (stride == 1 ? "" : " stride " + stride)
                    + (padding == 0 ? "" : " pad " + padding);
            case MAX_POOL -> "max pool " + kernel + "x" + kernel + (stride.equals(kernel) ? "" : " stride " + stride);
            default -> type + " " + size + (dropout == null ? "" : " (dropout " + dropout + " on its inputs)");
        };
    }

    private static void positive(String name, Integer value) {
        if (value == null || value < 1) throw new InvalidParameterException(name, value, "at least 1");
    }

    private static void absent(String type, String field, Object value) {
        if (value != null) throw new InvalidParameterException(type + " " + field, value, "none (a " + type + " layer has no " + field + ")");
    }

    private static void expect(String name, String value, String expected) {
        if (!expected.equals(value)) throw new InvalidParameterException(name, value, expected);
    }
}
