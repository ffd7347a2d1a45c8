package org.glassbox.framework.error;

/** An array whose shape differs from what a boundary expects; the message prints both shapes. */
public final class ShapeMismatchException extends GlassboxException {
    private static final long serialVersionUID = 1L;

    public ShapeMismatchException(String what, long[] expected, long[] actual) {
        super(what + ": expected shape " + format(expected) + " but got " + format(actual));
    }

    /** Formats a shape as {@code [8000, 28, 28, 1]}; a negative entry means "any size" and prints as {@code *}. */
    public static String format(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i] < 0 ? "*" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }
}
