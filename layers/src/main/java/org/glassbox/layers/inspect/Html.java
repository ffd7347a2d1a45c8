package org.glassbox.layers.inspect;

import java.util.Locale;

/** Small helpers for writing the report's HTML by hand: escaping and number formats. */
final class Html {
    private Html() {
    }

    /** {@code text} with {@code & < > " '} escaped for use in element content and attribute values. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
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
