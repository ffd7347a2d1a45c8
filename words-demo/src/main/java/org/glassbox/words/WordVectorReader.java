package org.glassbox.words;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streams word vectors from a text file, keeping at most the first {@code limit} valid ones.
 *
 * <p>Formats (UTF-8; gzipped when the name ends in {@code .gz}):
 * <ul>
 *   <li>GloVe text (Pennington, Socher and Manning, "GloVe: Global Vectors for Word
 *       Representation", EMNLP 2014): one line {@code word v1 ... vd} per word, separated by spaces
 *       or tabs; d is the number of values on the first line. The published files list the most
 *       frequent words first, so the first N lines are the N most frequent words.</li>
 *   <li>word2vec text (Mikolov et al., "Distributed Representations of Words and Phrases and their
 *       Compositionality", NIPS 2013): the same lines after a header line {@code count dim}. A first
 *       line of exactly two non-negative integers is read as that header (so a GloVe file whose
 *       first word is a number and whose d is 1 would be misread).</li>
 * </ul>
 *
 * <p>Bad lines are skipped and counted, not fatal: an empty line, a line with the wrong number of
 * values, a value that is not a finite number (non-numeric, NaN, infinite) and a repeated word.
 * Each gets a message naming the file and its line number (1-based, the header included); the
 * first {@link #REPORTED_PROBLEMS} messages are kept in {@link WordVectors#problems()}. A skipped
 * line does not count towards the limit. A file without any valid vector is an error naming the
 * file, as is a missing or unreadable file or a word2vec header with dimension 0.
 */
public final class WordVectorReader {
    /** How many bad-line messages are kept. */
    public static final int REPORTED_PROBLEMS = 10;

    private WordVectorReader() {
    }

    /**
     * Reads the first {@code limit} valid word vectors of {@code file}.
     *
     * @param limit at least 1
     * @throws GlassboxException naming the file when it is missing, unreadable or holds no valid vector
     */
    public static WordVectors read(Path file, int limit) {
        if (limit < 1) {
            throw new InvalidParameterException("words", limit, "at least 1");
        }
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found (expected word vectors in GloVe or word2vec text format)");
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)), 1 << 16)) {
            return new Parse(file, limit).run(reader);
        } catch (CharacterCodingException e) {
            throw new GlassboxException(file + ": not UTF-8 text (expected word vectors in GloVe or word2vec text format)", e);
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The state of one pass over a file. */
    private static final class Parse {
        private final Path file;
        private final int limit;
        private final List<String> words = new ArrayList<>();
        private final Map<String, Long> firstLine = new HashMap<>();
        private final List<String> problems = new ArrayList<>();
        private long bad;
        private int dim = -1;
        private float[] values = new float[0];

        Parse(Path file, int limit) {
            this.file = file;
            this.limit = limit;
        }

        WordVectors run(BufferedReader reader) throws IOException {
            long lineNo = 0;
            String line;
            while (words.size() < limit && (line = reader.readLine()) != null) {
                lineNo++;
                String[] tokens = tokens(line);
                if (lineNo == 1 && isHeader(tokens)) {
                    dim = Integer.parseInt(tokens[1]);
                    if (dim < 1) {
                        throw new GlassboxException(file + " line 1: word2vec header gives dimension " + dim
                                + " (expected at least 1)");
                    }
                    continue;
                }
                String problem = accept(tokens, lineNo);
                if (problem != null) {
                    bad++;
                    if (problems.size() < REPORTED_PROBLEMS) problems.add(file + " line " + lineNo + ": " + problem);
                }
            }
            if (words.isEmpty()) {
                String why = lineNo == 0 ? "the file is empty"
                        : bad == 0 ? "no lines after the header"
                        : bad + " bad line" + (bad == 1 ? "" : "s") + ", the first: " + problems.get(0);
                throw new GlassboxException(file + ": no valid word vectors (expected lines \"word v1 ... vd\" in GloVe "
                        + "or word2vec text format; " + why + ")");
            }
            int n = words.size();
            return new WordVectors(file.getFileName().toString(), words,
                    Nd4j.create(Arrays.copyOf(values, n * dim), new long[] {n, dim}, DataType.FLOAT), bad, problems);
        }

        /** Adds the line's word and vector, or returns why the line is bad. */
        private String accept(String[] tokens, long lineNo) {
            if (tokens.length == 0) {
                return "empty line";
            }
            int found = tokens.length - 1;
            if (dim < 0) {
                if (found == 0) return "a word without values";
                dim = found;
            }
            if (found != dim) {
                return "expected " + dim + " values after the word but found " + found;
            }
            int n = words.size();
            if ((long) (n + 1) * dim > Integer.MAX_VALUE - 8) {
                throw new GlassboxException(file + ": too many vectors to hold (" + n + " of dimension " + dim
                        + "); lower --words");
            }
            if (values.length < (n + 1) * dim) {
                long grown = Math.max((long) (n + 1) * dim, 2L * Math.max(values.length, 1024));
                values = Arrays.copyOf(values, (int) Math.min(grown, Integer.MAX_VALUE - 8));
            }
            int base = n * dim;
            for (int j = 0; j < dim; j++) {
                float v;
                try {
                    v = Float.parseFloat(tokens[j + 1]);
                } catch (NumberFormatException e) {
                    v = Float.NaN;
                }
                if (!Float.isFinite(v)) {
                    return "value " + (j + 1) + " ('" + tokens[j + 1] + "') is not a finite number";
                }
                values[base + j] = v;
            }
            Long before = firstLine.putIfAbsent(tokens[0], lineNo);
            if (before != null) {
                return "duplicate word '" + tokens[0] + "' (first on line " + before + ")";
            }
            words.add(tokens[0]);
            return null;
        }

        private static boolean isHeader(String[] tokens) {
            return tokens.length == 2 && tokens[0].matches("[0-9]{1,9}") && tokens[1].matches("[0-9]{1,9}");
        }

        private static String[] tokens(String line) {
            String t = line.strip();
            return t.isEmpty() ? new String[0] : t.split("[ \t]+");
        }
    }
}
