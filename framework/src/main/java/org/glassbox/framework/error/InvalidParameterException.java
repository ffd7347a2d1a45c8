package org.glassbox.framework.error;

/** A hyperparameter outside its valid range; the message names the parameter, the value and the range. */
public final class InvalidParameterException extends GlassboxException {
    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String parameter, Object value, String expected) {
        super("invalid " + parameter + " = " + value + ": expected " + expected);
    }
}
