package org.glassbox.words;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Sha256;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A table of word vectors: distinct words and one vector per word, in file order (for GloVe, most
 * frequent first). Immutable.
 *
 * <p>Arrays: {@link #vectors()} {@code [n, d]} float32, row i is the vector of {@code words().get(i)}.
 */
public final class WordVectors {
    private final String source;
    private final List<String> words;
    private final INDArray vectors;
    private final long badLines;
    private final List<String> problems;
    private final Map<String, Integer> index;

    /**
     * @param source where the vectors came from (a file name), for messages
     * @param words n distinct words
     * @param vectors {@code [n, d]} float32, finite; copied
     * @param badLines how many lines of the source were skipped as bad
     * @param problems the messages of the first bad lines (at most {@link WordVectorReader#REPORTED_PROBLEMS})
     */
    public WordVectors(String source, List<String> words, INDArray vectors, long badLines, List<String> problems) {
        Shapes.require(source + " vectors", vectors, words.size(), Shapes.ANY);
        Shapes.requireFinite(source + " vectors", vectors);
        this.source = source;
        this.words = List.copyOf(words);
        this.vectors = vectors.dup('c');
        this.badLines = badLines;
        this.problems = List.copyOf(problems);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.words.size(); i++) {
            Integer before = idx.putIfAbsent(this.words.get(i), i);
            if (before != null) {
                throw new GlassboxException(source + ": duplicate word '" + this.words.get(i) + "' at rows "
                        + before + " and " + i);
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    /** Where the vectors came from. */
    public String source() {
        return source;
    }

    /** The words, in file order. */
    public List<String> words() {
        return words;
    }

    /** {@code [n, d]} float32; callers must not modify it. */
    public INDArray vectors() {
        return vectors;
    }

    /** n, the number of words. */
    public int size() {
        return words.size();
    }

    /** d, the dimension of the vectors. */
    public int dimension() {
        return (int) vectors.size(1);
    }

    /** How many lines of the source were skipped as bad. */
    public long badLines() {
        return badLines;
    }

    /** The messages of the first bad lines, each naming its line number. */
    public List<String> problems() {
        return problems;
    }

    /** The row of {@code word}, if it is in the table (exact match). */
    public OptionalInt indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** SHA-256 over the words (UTF-8, each followed by a newline) and the float32 vectors. */
    public String fingerprint() {
        Sha256 sha = new Sha256();
        for (String w : words) sha.update((w + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(new int[] {size(), dimension()});
        sha.update(vectors.data().asFloat());
        return sha.hex();
    }
}
