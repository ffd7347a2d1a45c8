package org.glassbox.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

class TextLinesTest {
    private static List<String> lines(String text, int maxChars) throws IOException {
        List<String> out = new ArrayList<>();
        try (TextLines lines = new TextLines(new StringReader(text), Path.of("t.txt"), maxChars)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                out.add(line);
                assertEquals(out.size(), lines.number());
            }
        }
        return out;
    }

    /** 500 seeded random texts of 'a', ' ', '\r' and '\n', longer than the 64 Ki-character buffer in part: the lines of BufferedReader.readLine. */
    @Test
    void splitsExactlyAsBufferedReaderReadLine() throws IOException {
        SplittableRandom rng = new SplittableRandom(4);
        char[] alphabet = {'a', ' ', '\r', '\n'};
        for (int c = 0; c < 500; c++) {
            char[] text = new char[c % 50 == 0 ? 70_000 + rng.nextInt(70_000) : rng.nextInt(40)];
            for (int i = 0; i < text.length; i++) text[i] = alphabet[rng.nextInt(4)];
            String s = new String(text);
            List<String> expected = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new StringReader(s));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) expected.add(line);
            assertEquals(expected, lines(s, 1 << 20), "text " + c);
        }
    }

    @Test
    void lineOfExactlyTheLimitIsReadAndOneMoreIsRefused() throws IOException {
        assertEquals(List.of("abcd", "ef"), lines("abcd\nef", 4));
        GlassboxException e = assertThrows(GlassboxException.class, () -> lines("abcd\nabcde\n", 4));
        assertEquals("t.txt line 2: longer than 4 characters (expected a word and its values on each line)", e.getMessage());
    }
}
