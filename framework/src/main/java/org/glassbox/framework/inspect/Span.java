package org.glassbox.framework.inspect;

import org.glassbox.framework.error.GlassboxException;

/**
 * A half-open interval {@code [from, to)} of grid rows or columns.
 *
 * @param from the first index
 * @param to one past the last index, greater than {@code from}
 */
public record Span(int from, int to) {
    public Span {
        if (from < 0 || to <= from) {
            throw new GlassboxException("span: expected 0 <= from < to but got [" + from + ", " + to + ")");
        }
    }

    /** The number of indices, {@code to - from}. */
    public int length() {
        return to - from;
    }
}
