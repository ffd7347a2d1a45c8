package org.glassbox.layers.inspect;

import java.util.Locale;

/** How the report writes numbers and names its anchors and picture files. */
final class Formats {
    private Formats() {
    }

    /** A fraction as a percentage with two decimals, such as {@code 98.75%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** {@code value} with {@code digits} decimals. */
    static String number(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    /** The HTML id of an atom's catalog entry, such as {@code atom-L1-a3}. */
    static String anchor(String atomId) {
        return "atom-" + atomId.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A file-name-safe form of an atom or stage id, such as {@code L1-a3}. */
    static String fileName(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "-");
    }
}
