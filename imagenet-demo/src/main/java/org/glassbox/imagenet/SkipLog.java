package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The files and class folders a run skipped, and why. Each skip is written at once as one line,
 * {@code skipped <path>: <reason>[: <detail>]}, to the line sink given at construction (standard
 * error on the command line), and counted by reason. Skips never stop a run; the counts go into
 * metrics.json. Safe to use from several threads.
 */
public final class SkipLog {
    /** Why a file or folder was skipped. */
    public enum Reason {
        /** The name does not end in .jpg, .jpeg or .png (any case). */
        WRONG_EXTENSION("not a .jpg, .jpeg or .png file"),
        /** The file cannot be opened for reading. */
        UNREADABLE("cannot be read"),
        /** No image reader recognises the content, or decoding failed or found the file truncated. */
        CORRUPT("corrupt or not a JPEG/PNG image"),
        /** The image has more pixels than {@link ImageDecoder#MAX_PIXELS}. */
        TOO_LARGE("too large"),
        /** A class folder with no image files in it. */
        EMPTY_CLASS("empty class folder, class skipped"),
        /** An image in a validation folder that the label file does not list. */
        UNLABELLED("not listed in the label file"),
        /** A label-file line that names a file the validation folder does not hold. */
        MISSING("listed in the label file but not found"),
        /** An image whose class (named by index in the label file) was an empty, skipped class folder. */
        SKIPPED_CLASS("its class folder was empty and skipped");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** The words of the log line. */
        public String text() {
            return text;
        }
    }

    /** One skipped path. */
    public record Entry(Path path, Reason reason, String detail) {
        /** The log line: {@code skipped <path>: <reason>[: <detail>]}. */
        public String line() {
            return "skipped " + path + ": " + reason.text() + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final Consumer<String> sink;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Reason, Integer> counts = new EnumMap<>(Reason.class);

    /** A log that writes each line to {@code sink}. */
    public SkipLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** A log that writes each line to standard error. */
    public static SkipLog toStandardError() {
        return new SkipLog(System.err::println);
    }

    /** Records one skip and writes its line. */
    public synchronized void skip(Path path, Reason reason, String detail) {
        Entry e = new Entry(path, reason, detail);
        entries.add(e);
        counts.merge(reason, 1, Integer::sum);
        sink.accept(e.line());
    }

    /** How many paths were skipped for {@code reason}. */
    public synchronized int count(Reason reason) {
        return counts.getOrDefault(reason, 0);
    }

    /** How many paths were skipped in all. */
    public synchronized int total() {
        return entries.size();
    }

    /** Every skip so far, in the order recorded. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The counts by reason, for metrics.json: reason name in lower case to count, reasons with none left out. */
    public synchronized Map<String, Integer> countsByName() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<Reason, Integer> e : counts.entrySet()) {
            out.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
        }
        return out;
    }
}
