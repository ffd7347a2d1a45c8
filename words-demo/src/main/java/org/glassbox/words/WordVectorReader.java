package org.glassbox.words;

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
import java.util.LinkedHashMap;
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
 *       or tabs. The published files list the most frequent words first, so the first N lines
 *       are the N most frequent words.</li>
 *   <li>word2vec text (Mikolov et al., "Distributed Representations of Words and Phrases and their
 *       Compositionality", NIPS 2013): the same lines after a header line {@code count dim}. A first
 *       line of exactly two non-negative integers is read as that header (so a GloVe file whose
 *       first word is a number and whose d is 1 would be misread); d is taken from it, and the
 *       count is not used.</li>
 * </ul>
 *
 * <p>The dimension d: the word2vec header's, else the most common number of values on the first
 * {@link #SAMPLE_LINES} lines (ties: the number seen first). The file is read twice, once for that
 * sample and once for the vectors, so that a first line of another width (or a header this class
 * does not recognise) costs one skipped line, not the whole file.
 *
 * <p>Bad lines are skipped and counted, not fatal: an empty line, a line with another number of
 * values than d, a value that is not a finite number (non-numeric, NaN, infinite) and a repeated
 * word. Each gets a message naming the file and its line number (1-based, the header included); the
 * first {@link #REPORTED_PROBLEMS} messages are kept in {@link WordVectors#problems()}. A skipped
 * line does not count towards the limit.
 *
 * <p>Errors naming the file: a missing or unreadable file, a file without any valid vector, a
 * word2vec header whose dimension is not between 1 and {@link #MAX_VALUES}, a line longer than
 * {@link #MAX_LINE_CHARS} characters (found without holding more of it) and more than
 * {@link #MAX_VALUES} values in all. The limit itself is at most {@link #MAX_WORDS}.
 */
public final class WordVectorReader {
    /** How many bad-line messages are kept. */
    public static final int REPORTED_PROBLEMS = 10;
    /** How many lines the dimension is sampled from. */
    public static final int SAMPLE_LINES = 1000;
    /**
     * The longest line read, in characters: 2^20. Published vectors have lines of a few thousand
     * characters (300 values of about 10 characters); 2^20 holds 4,096 values at full float precision.
     */
    public static final int MAX_LINE_CHARS = 1 << 20;
    /** The most words read: 2^22 = 4,194,304, more than the 3 million of the largest published word2vec vocabulary. */
    public static final int MAX_WORDS = 1 << 22;
    /**
     * The most values read, words times dimension: 2^28 (1 GiB of float32), for example 894,784
     * words of 300 dimensions, which the launcher's default 6 GiB heap holds with the copies made
     * after reading.
     */
    public static final int MAX_VALUES = 1 << 28;

    private WordVectorReader() {
    }

    /**
     * Reads the first {@code limit} valid word vectors of {@code file}.
     *
     * @param limit between 1 and {@link #MAX_WORDS}
     * @throws GlassboxException naming the file when it is missing, unreadable, holds no valid
     *         vector or breaks a limit of the class comment
     */
    public static WordVectors read(Path file, int limit) {
        if (limit < 1 || limit > MAX_WORDS) {
            throw new InvalidParameterException("words", limit, "between 1 and " + MAX_WORDS);
        }
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found (expected word vectors in GloVe or word2vec text format)");
        }
        Layout layout = withLines(file, lines -> Layout.sample(lines, file));
        return withLines(file, lines -> new Parse(file, limit, layout).run(lines));
    }

    private interface LinesFunction<T> {
        T apply(TextLines lines) throws IOException;
    }

    /** Opens {@code file} as UTF-8 lines (through gzip when its name ends in .gz) and applies {@code f} to them. */
    private static <T> T withLines(Path file, LinesFunction<T> f) {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                TextLines lines = new TextLines(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)), file, MAX_LINE_CHARS)) {
            return f.apply(lines);
        } catch (CharacterCodingException e) {
            throw new GlassboxException(file + ": not UTF-8 text (expected word vectors in GloVe or word2vec text format)", e);
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * How the lines are read: whether line 1 is a word2vec header, and the dimension (-1 when no
     * sampled line holds a value: then the first line with values sets it).
     */
    private record Layout(boolean header, int dimension) {
        static Layout sample(TextLines lines, Path file) throws IOException {
            String first = lines.next();
            if (first == null) return new Layout(false, -1);
            String[] tokens = tokens(first);
            if (isHeader(tokens)) {
                return new Layout(true, headerDimension(tokens[1], file));
            }
            Map<Integer, Integer> widths = new LinkedHashMap<>();
            for (String line = first; line != null && lines.number() <= SAMPLE_LINES; line = lines.next()) {
                int values = tokens(line).length - 1;
                if (values > 0) widths.merge(values, 1, Integer::sum);
            }
            int dimension = -1;
            int most = 0;
            for (Map.Entry<Integer, Integer> e : widths.entrySet()) {
                if (e.getValue() > most) {
                    dimension = e.getKey();
                    most = e.getValue();
                }
            }
            return new Layout(false, dimension);
        }

        private static boolean isHeader(String[] tokens) {
            return tokens.length == 2 && tokens[0].matches("[0-9]+") && tokens[1].matches("[0-9]+");
        }

        private static int headerDimension(String token, Path file) {
            long dim = token.length() > 10 ? Long.MAX_VALUE : Long.parseLong(token);
            if (dim < 1 || dim > MAX_VALUES) {
                String shown = token.length() > 20 ? token.substring(0, 20) + "..." : token;
                throw new GlassboxException(file + " line 1: word2vec header gives dimension " + shown
                        + " (expected 1 to " + MAX_VALUES + ")");
            }
            return (int) dim;
        }
    }

    /** The state of the pass that reads the vectors. */
    private static final class Parse {
        private final Path file;
        private final int limit;
        private final boolean header;
        private final List<String> words = new ArrayList<>();
        private final Map<String, Long> firstLine = new HashMap<>();
        private final List<String> problems = new ArrayList<>();
        private long bad;
        private int dim;
        private float[] values = new float[0];

        Parse(Path file, int limit, Layout layout) {
            this.file = file;
            this.limit = limit;
            this.header = layout.header();
            this.dim = layout.dimension();
        }

        WordVectors run(TextLines lines) throws IOException {
            String line;
            while (words.size() < limit && (line = lines.next()) != null) {
                if (lines.number() == 1 && header) continue;
                String problem = accept(tokens(line), lines.number());
                if (problem != null) {
                    bad++;
                    if (problems.size() < REPORTED_PROBLEMS) problems.add(file + " line " + lines.number() + ": " + problem);
                }
            }
            if (words.isEmpty()) {
                String why = lines.number() == 0 ? "the file is empty"
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
            if ((long) (n + 1) * dim > MAX_VALUES) {
                throw new GlassboxException(file + ": " + (n + 1) + " vectors of dimension " + dim + " are more than the "
                        + MAX_VALUES + " values Glassbox reads; lower --words to at most " + MAX_VALUES / dim);
            }
            if (values.length < (n + 1) * dim) {
                long grown = Math.max((long) (n + 1) * dim, 2L * Math.max(values.length, 1024));
                values = Arrays.copyOf(values, (int) Math.min(grown, MAX_VALUES));
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
    }

    private static String[] tokens(String line) {
        String t = line.strip();
        return t.isEmpty() ? new String[0] : t.split("[ \t]+");
    }
}
