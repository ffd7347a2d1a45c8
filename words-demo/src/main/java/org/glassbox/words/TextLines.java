package org.glassbox.words;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.Arrays;
import org.glassbox.framework.error.GlassboxException;

/**
 * The lines of a text, split where {@link java.io.BufferedReader#readLine} splits them (at
 * {@code \n}, {@code \r} or {@code \r\n}), each at most {@code maxChars} characters long. A longer
 * line is an error naming the file and the line number, raised as soon as its first
 * {@code maxChars + 1} characters have been read: memory stays within the limit whatever the line.
 */
final class TextLines implements Closeable {
    private final Reader in;
    private final Path file;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private int pos;
    private int end;
    private char[] line = new char[256];
    private boolean skipLineFeed;
    private long number;

    /** @param file names the text in messages */
    TextLines(Reader in, Path file, int maxChars) {
        this.in = in;
        this.file = file;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator, or null at the end of the text. */
    String next() throws IOException {
        int length = 0;
        boolean started = false;
        while (true) {
            if (pos == end) {
                end = Math.max(0, in.read(buffer, 0, buffer.length));
                pos = 0;
                if (end == 0) return started ? line(length) : null;
            }
            char c = buffer[pos++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (c == '\n') continue;
            }
            started = true;
            if (c == '\n' || c == '\r') {
                skipLineFeed = c == '\r';
                return line(length);
            }
            if (length == maxChars) {
                throw new GlassboxException(file + " line " + (number + 1) + ": longer than " + maxChars
                        + " characters (expected a word and its values on each line)");
            }
            if (length == line.length) line = Arrays.copyOf(line, Math.min(maxChars, 2 * length));
            line[length++] = c;
        }
    }

    /** The 1-based number of the line {@link #next} returned last. */
    long number() {
        return number;
    }

    private String line(int length) {
        number++;
        return new String(line, 0, length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
