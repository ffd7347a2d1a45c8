package org.glassbox.framework.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineProgressTest {
    /** The lines a task writes, each without its seconds and rate. */
    private static List<String> lines(java.util.function.Consumer<Progress.Task> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress.Task task = new LineProgress(out).task("solver", 20)) {
            work.accept(task);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.lines().allMatch(l -> l.matches("solver: \\d+/20 \\(\\d+%\\) in \\d+\\.\\d s, \\d+\\.\\d/s")), text);
        return text.lines().map(l -> l.substring(0, l.indexOf(" in "))).toList();
    }

    @Test
    void aClosedTaskEndsAtItsTotalAndShowsEachQuarterOnce() {
        assertEquals(List.of("solver: 5/20 (25%)", "solver: 12/20 (60%)", "solver: 20/20 (100%)"), lines(task -> {
            task.step(2);
            task.step(3);
            task.step(7);
        }));
    }

    @Test
    void aTaskEndedEarlyShowsTheUnitsItDidAndClosingAddsNothing() {
        assertEquals(List.of("solver: 6/20 (30%)", "solver: 7/20 (35%)"), lines(task -> {
            task.step(6);
            task.step(1);
            task.endEarly();
        }));
    }
}
