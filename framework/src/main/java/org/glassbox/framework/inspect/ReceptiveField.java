package org.glassbox.framework.inspect;

/**
 * A stage whose output grid positions each read a known part of its input grid: patches (a k x k
 * window every s cells) and pooling (a region). Inspection takes a grid position back to the
 * input image one stage at a time with it ({@link AtomIndex#field}); a stage that does not
 * implement it reads the same position of its input when it keeps the grid size, and its whole
 * input grid otherwise.
 */
public interface ReceptiveField {
    /**
     * The rows (or, when {@code rows} is false, the columns) of this stage's input grid that its
     * output rows (columns) {@code outputs} read.
     */
    Span inputSpan(Span outputs, boolean rows);
}
