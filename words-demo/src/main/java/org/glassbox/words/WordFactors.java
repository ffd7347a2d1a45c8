package org.glassbox.words;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.io.SafeName;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.io.Sha256;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Word factors: a sparse-coding layer fitted on word vectors (the one stage {@value #STAGE} of a
 * pipeline over 1 x 1 x d maps), the vocabulary it was fitted on, and each factor's label.
 * Every word vector x is coded as a &gt;= 0 minimising 1/2 ||x - a D||^2 + lambda ||a||_1 (see
 * {@link FactorSettings}); a factor's label is the list of words with the largest coefficients on
 * it. Immutable.
 *
 * <p>A fitted result is a folder (docs/words.md):
 * <pre>
 *   model/            the model folder of {@link ModelFile}: manifest.json, W.code.dictionary.npy
 *                     [K, d] float32 (row k is factor W/ak, unit norm), W.code.usage.npy [K] float32;
 *                     the manifest's info names vocabulary.txt and vectors.npy with their SHA-256
 *   vocabulary.txt    the n words, one per line, in the order of the vector file
 *   vectors.npy       [n, d] float32, the word vectors as read
 *   factors.json      every factor: id, usage, top words and their coefficients
 *   factors.html      a self-contained page of the factors (see {@link FactorsPage})
 * </pre>
 */
public final class WordFactors {
    /** The stage id of the sparse-coding stage. */
    public static final String STAGE = FactorSettings.PREFIX + ".code";
    /** The format name in factors.json. */
    public static final String FORMAT = "glassbox-word-factors";
    /** The format version of factors.json. */
    public static final int VERSION = 1;

    static final String MODEL = "model";
    static final String VOCABULARY = "vocabulary.txt";
    static final String VECTORS = "vectors.npy";
    static final String FACTORS_JSON = "factors.json";
    static final String FACTORS_HTML = "factors.html";
    private static final int ENCODE_BLOCK = 4096;

    /**
     * The content of factors.json.
     *
     * @param words the vocabulary size n
     * @param dimension d
     */
    record FactorsFile(String format, int version, String source, int words, int dimension, double lambda,
            long seed, List<Factor> factors) {
    }

    private final Model model;
    private final SparseCodingLayer layer;
    private final WordVectors vectors;
    private final List<Factor> factors;
    private final String name;

    private WordFactors(Model model, WordVectors vectors, List<Factor> factors, String name) {
        this.model = model;
        this.layer = (SparseCodingLayer) model.pipeline().stages().get(0);
        this.vectors = vectors;
        this.factors = List.copyOf(factors);
        this.name = name;
    }

    /**
     * Fits K = {@code settings.factors()} factors on all of {@code vectors} with the given seed, then
     * codes every word with the learned dictionary to label each factor by its top words.
     */
    public static WordFactors fit(WordVectors vectors, FactorSettings settings, long seed, Progress progress) {
        int n = vectors.size();
        int d = vectors.dimension();
        MapSource source = MapSource.of(vectors.vectors().reshape('c', n, 1, 1, d));
        Pipeline pipeline = Pipeline.fit(source, List.of(new Pipeline.Stage(STAGE, settings.spec(n))),
                new FitContext(seed, progress));
        SparseCodingLayer layer = (SparseCodingLayer) pipeline.stages().get(0);
        List<Factor> factors = label(layer, vectors, settings.topWords(), progress);
        Provenance provenance = Provenance.now(seed, vectors.source(), vectors.fingerprint(), n);
        Model model = new Model(provenance, pipeline, List.of(), Map.of());
        return new WordFactors(model, vectors, factors, vectors.source());
    }

    /** Codes every word and keeps, per factor, its usage and its {@code topWords} largest coefficients. */
    private static List<Factor> label(SparseCodingLayer layer, WordVectors vectors, int topWords, Progress progress) {
        int n = vectors.size();
        int atoms = layer.spec().atoms();
        List<PriorityQueue<long[]>> best = new ArrayList<>(atoms);
        Comparator<long[]> smallestFirst = Comparator.<long[]>comparingDouble(e -> Float.intBitsToFloat((int) e[0]))
                .thenComparingLong(e -> -e[1]);
        for (int k = 0; k < atoms; k++) best.add(new PriorityQueue<>(smallestFirst));
        long[] used = new long[atoms];
        try (Progress.Task task = progress.task("labelling factors", n)) {
            for (int start = 0; start < n; start += ENCODE_BLOCK) {
                int end = Math.min(n, start + ENCODE_BLOCK);
                INDArray codes = layer.encodeRows(vectors.vectors().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()));
                float[] c = codes.dup('c').data().asFloat();
                for (int i = 0; i < end - start; i++) {
                    for (int k = 0; k < atoms; k++) {
                        float v = c[i * atoms + k];
                        if (v == 0f) continue;
                        used[k]++;
                        PriorityQueue<long[]> q = best.get(k);
                        q.add(new long[] {Float.floatToIntBits(v), start + i});
                        if (q.size() > topWords) q.poll();
                    }
                }
                task.step(end - start);
            }
        }
        List<Factor> factors = new ArrayList<>(atoms);
        for (int k = 0; k < atoms; k++) {
            List<long[]> top = new ArrayList<>(best.get(k));
            top.sort(smallestFirst.reversed());
            List<String> words = new ArrayList<>();
            List<Double> coefficients = new ArrayList<>();
            for (long[] e : top) {
                words.add(vectors.words().get((int) e[1]));
                coefficients.add((double) Float.intBitsToFloat((int) e[0]));
            }
            factors.add(new Factor(layer.atomId(k), (double) used[k] / n, words, coefficients));
        }
        return factors;
    }

    /** The fitted sparse-coding layer: dictionary {@code [K, d]}, non-negative FISTA encoder. */
    public SparseCodingLayer layer() {
        return layer;
    }

    /** The vocabulary and its vectors. */
    public WordVectors vectors() {
        return vectors;
    }

    /** The factors in atom order (most used first), each with its label. */
    public List<Factor> factors() {
        return factors;
    }

    /** Where the fit came from. */
    public Provenance provenance() {
        return model.provenance();
    }

    /** The name of the model in messages: its folder when read, else its vector file. */
    public String name() {
        return name;
    }

    /** The codes {@code [m, K]} of the words at {@code rows} of the vocabulary. */
    public INDArray codes(int... rows) {
        return layer.encodeRows(vectors.vectors().getRows(rows));
    }

    /**
     * The factors of {@code word} with non-zero coefficient, largest first (ties by atom order).
     *
     * @throws GlassboxException naming the word and the model when the word is not in the vocabulary
     */
    public WordExplanation explain(String word) {
        OptionalInt row = vectors.indexOf(word);
        if (row.isEmpty()) {
            throw new GlassboxException("the word '" + word + "' is not in the vocabulary of the model " + name
                    + " (" + vectors.size() + " words)");
        }
        float[] code = codes(row.getAsInt()).data().asFloat();
        List<WordFactor> used = new ArrayList<>();
        for (int k = 0; k < code.length; k++) {
            if (code[k] != 0f) used.add(new WordFactor(layer.atomId(k), code[k], factors.get(k).topWords()));
        }
        used.sort(Comparator.comparingDouble(WordFactor::coefficient).reversed());
        return new WordExplanation(word, used);
    }

    /**
     * Writes the folder layout of this class into {@code dir}, creating it if needed (the command
     * line writes into a {@link org.glassbox.framework.io.RunFolder}, which appears whole or not at all).
     */
    public void write(Path dir) {
        try {
            Path tmp = Files.createDirectories(dir);
            Files.write(tmp.resolve(VOCABULARY), vectors.words(), StandardCharsets.UTF_8);
            Npy.write(vectors.vectors(), tmp.resolve(VECTORS));
            Map<String, String> info = Map.of(
                    "kind", FORMAT,
                    "vocabulary", VOCABULARY,
                    "vocabularySha256", Sha256.of(tmp.resolve(VOCABULARY)),
                    "vectors", VECTORS,
                    "vectorsSha256", Sha256.of(tmp.resolve(VECTORS)));
            ModelFile.write(new Model(model.provenance(), model.pipeline(), List.of(), info), tmp.resolve(MODEL));
            FactorsFile file = new FactorsFile(FORMAT, VERSION, vectors.source(), vectors.size(), vectors.dimension(),
                    layer.spec().lambda(), model.provenance().seed(), factors);
            Json.MAPPER.writeValue(tmp.resolve(FACTORS_JSON).toFile(), file);
            Files.writeString(tmp.resolve(FACTORS_HTML), FactorsPage.html(this), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GlassboxException(dir + ": cannot write the word factors: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a folder written by {@link #write}, checking the vocabulary and vectors against the
     * SHA-256 in the model manifest.
     *
     * @throws GlassboxException naming the file that is missing, corrupt or inconsistent
     */
    public static WordFactors read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GlassboxException(dir + ": word-factor model folder not found (expected the --out folder of "
                    + "'glassbox factors --vectors')");
        }
        Model model = ModelFile.read(SafeName.inside(dir, MODEL));
        Path manifest = dir.resolve(MODEL).resolve(ModelFile.MANIFEST);
        List<Layer> stages = model.pipeline().stages();
        if (!FORMAT.equals(model.info().get("kind")) || stages.size() != 1
                || !(stages.get(0) instanceof SparseCodingLayer)) {
            throw new GlassboxException(manifest + ": not a word-factor model (expected info kind \"" + FORMAT
                    + "\" and one sparse-coding stage " + STAGE + ")");
        }
        Path vocabularyFile = checked(dir, model, "vocabulary", manifest);
        Path vectorsFile = checked(dir, model, "vectors", manifest);
        try {
            List<String> words = Files.readAllLines(vocabularyFile, StandardCharsets.UTF_8);
            INDArray array = Npy.read(vectorsFile);
            MapShape input = model.pipeline().inputShape();
            if (array.rank() != 2 || array.size(0) != words.size() || array.size(1) != input.channels()) {
                throw new GlassboxException(vectorsFile + ": expected shape [" + words.size() + ", "
                        + input.channels() + "] but the file holds " + java.util.Arrays.toString(array.shape()));
            }
            WordVectors vectors = new WordVectors(model.provenance().dataset(), words, array, 0, List.of());
            Path factorsFile = dir.resolve(FACTORS_JSON);
            if (!Files.isRegularFile(factorsFile)) {
                throw new GlassboxException(factorsFile + ": file not found (expected the factor labels)");
            }
            FactorsFile labels = Json.MAPPER.readValue(factorsFile.toFile(), FactorsFile.class);
            SparseCodingLayer layer = (SparseCodingLayer) stages.get(0);
            List<Factor> factors = labels.factors() == null ? List.of() : labels.factors();
            for (int k = 0; k < factors.size(); k++) {
                if (!layer.atomId(k).equals(factors.get(k).id())) {
                    throw new GlassboxException(factorsFile + ": factor " + k + " has id " + factors.get(k).id()
                            + " (expected " + layer.atomId(k) + ")");
                }
            }
            if (factors.size() != layer.spec().atoms()) {
                throw new GlassboxException(factorsFile + ": lists " + factors.size() + " factors but the model has "
                        + layer.spec().atoms());
            }
            return new WordFactors(model, vectors, factors, dir.toString());
        } catch (IOException e) {
            throw new GlassboxException(dir + ": cannot read the word-factor model: " + e.getMessage(), e);
        }
    }

    private static Path checked(Path dir, Model model, String key, Path manifest) {
        String fileName = model.info().get(key);
        String expected = model.info().get(key + "Sha256");
        if (fileName == null || expected == null) {
            throw new GlassboxException(manifest + ": info lacks \"" + key + "\" or \"" + key + "Sha256\"");
        }
        Path file = SafeName.inside(dir, fileName);
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found (listed in " + manifest + ")");
        }
        try {
            String actual = Sha256.of(file);
            if (!actual.equals(expected)) {
                throw new GlassboxException(file + ": checksum mismatch: expected SHA-256 " + expected + " (from "
                        + manifest + ") but the file has " + actual + "; the file is corrupt or was changed");
            }
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
        return file;
    }
}
