package org.glassbox.framework.error;

/**
 * A problem with the user's input: a file, a folder, a parameter or a model. Its message is
 * complete and meant for a person (it names the file or parameter and says what was expected),
 * so the command line prints the message alone, without a stack trace, and exits with code 2.
 */
public class GlassboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GlassboxException(String message) {
        super(message);
    }

    public GlassboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
