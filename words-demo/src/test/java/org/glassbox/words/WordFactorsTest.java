package org.glassbox.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * Word factors fitted once on the committed real sample (the 5,000 most frequent GloVe 6B 100-d
 * words) with a small dictionary, then checked: LASSO optimality of the codes, a polysemous word
 * split by sense, the saved folder and the command's JSON.
 */
class WordFactorsTest {
    static final FactorSettings SETTINGS = new FactorSettings(256, 0.5, 1, 200, 1e-4, 10);
    static final long SEED = 1;

    /** Words of the computing / technology-company sense of "apple". */
    static final Set<String> TECH = Set.of("software", "computer", "computers", "pc", "microsoft", "windows", "ibm",
            "intel", "internet", "online", "digital", "technology", "web", "users", "user", "hardware", "computing",
            "google", "yahoo", "mobile", "phone", "phones", "wireless", "devices", "video", "apple", "data",
            "electronic", "electronics", "network", "networks", "telecommunications", "sony", "nokia", "chip");
    /** Words of the fruit / food sense of "apple". */
    static final Set<String> FOOD = Set.of("fruit", "fruits", "vegetables", "food", "foods", "milk", "meat", "beef",
            "wine", "cream", "sugar", "chocolate", "cheese", "bread", "corn", "wheat", "rice", "potatoes", "coffee",
            "tea", "juice", "eat", "eating", "cooking", "cooked", "beer", "drink", "drinks", "pork", "chicken",
            "egg", "eggs", "butter", "flour", "sauce", "fresh", "tomatoes", "orange", "cake", "pie", "tree", "trees",
            "crops", "farm", "farmers", "grain", "seeds");

    @TempDir
    static Path dir;
    static WordVectors vectors;
    static WordFactors factors;
    static Path folder;

    @BeforeAll
    static void fit() {
        vectors = WordVectorReader.read(WordVectorReaderTest.sample(), 5000);
        factors = WordFactors.fit(vectors, SETTINGS, SEED, Progress.silent());
        folder = dir.resolve("fit");
        factors.write(folder);
    }

    /**
     * Non-negative LASSO optimality (docs/inspection.md, the LASSO's terms): with r = x - a D and c = D r, every
     * inactive factor has c_k &lt;= lambda and every active one c_k = lambda. Solved to a tight
     * tolerance (relative step 1e-7, at most 5,000 iterations) the gap is within 1% of lambda; the
     * model's own codes (relative step 1e-4, at most 200 iterations) within 4% (measured: 2%).
     */
    @Test
    void codesSatisfyTheNonNegativeLassoOptimalityConditions() {
        int[] rows = new int[500];
        for (int i = 0; i < rows.length; i++) rows[i] = i * 10;
        INDArray x = vectors.vectors().getRows(rows);
        SparseCodingLayer model = factors.layer();
        SparseCodingLayer tight = new SparseCodingLayer(model.id(), model.spec().withIterations(5000).withTolerance(1e-7),
                model.inputShape(), model.dictionary(), model.usage());
        assertOptimal(tight.encodeRows(x), x, 0.01);
        assertOptimal(factors.codes(rows), x, 0.04);
    }

    private static void assertOptimal(INDArray codes, INDArray x, double relativeTolerance) {
        INDArray d = factors.layer().dictionary();
        INDArray residual = x.sub(Nd4j.gemm(codes, d, false, false));
        float[] c = Nd4j.gemm(residual, d, false, true).dup('c').data().asFloat();
        float[] a = codes.dup('c').data().asFloat();
        double lambda = SETTINGS.lambda();
        int active = 0;
        double worstActive = 0;
        double worstInactive = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] >= 0f, "negative code at " + i);
            if (a[i] > 0f) {
                active++;
                worstActive = Math.max(worstActive, Math.abs(c[i] - lambda));
            } else {
                worstInactive = Math.max(worstInactive, c[i] - lambda);
            }
        }
        double tol = relativeTolerance * lambda;
        assertTrue(worstActive <= tol, "active factors: max |D_k r - lambda| = " + worstActive + " > " + tol);
        assertTrue(worstInactive <= tol, "inactive factors: max D_k r - lambda = " + worstInactive + " > " + tol);
        assertTrue(active > x.size(0), "codes should use more than one factor per word on average");
    }

    /** "apple" uses one factor labelled by computing words and another labelled by food words. */
    @Test
    void appleDecomposesIntoATechnologyFactorAndAFoodFactor() {
        WordExplanation apple = factors.explain("apple");
        String tech = factorOfSense(apple, TECH);
        String food = factorOfSense(apple, FOOD);
        assertNotEquals(null, tech, "no factor of apple is labelled by computing words: " + apple);
        assertNotEquals(null, food, "no factor of apple is labelled by food words: " + apple);
        assertNotEquals(tech, food);
    }

    /** The id of the largest-coefficient factor with at least 3 of its top words in {@code sense} and fewer in any other. */
    private static String factorOfSense(WordExplanation e, Set<String> sense) {
        for (WordFactor f : e.factors()) {
            long in = f.topWords().stream().filter(sense::contains).count();
            long other = f.topWords().stream().filter(w -> (sense == TECH ? FOOD : TECH).contains(w)).count();
            if (in >= 3 && in > other) return f.id();
        }
        return null;
    }

    @Test
    void everyFactorIsLabelledByItsTopWordsAndFactorsAreSortedByUsage() {
        assertEquals(256, factors.factors().size());
        double before = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 256; k++) {
            Factor f = factors.factors().get(k);
            assertEquals("W/a" + k, f.id());
            assertTrue(f.topWords().size() <= 10 && !f.topWords().isEmpty(), f.id() + " has no top words");
            for (int i = 1; i < f.topCoefficients().size(); i++) {
                assertTrue(f.topCoefficients().get(i - 1) >= f.topCoefficients().get(i));
            }
            assertTrue(f.usage() <= before + 0.02, f.id() + " usage " + f.usage() + " after " + before);
            before = Math.min(before, f.usage());
        }
    }

    @Test
    void savedFolderReadsBackToTheSameFactorsAndCodes() throws Exception {
        WordFactors read = WordFactors.read(folder);
        assertEquals(factors.factors(), read.factors());
        assertEquals(factors.vectors().words(), read.vectors().words());
        assertEquals(factors.explain("bank"), read.explain("bank"));
        assertTrue(Files.readString(folder.resolve("factors.html")).contains("<td>W/a0</td>"));
    }

    @Test
    void jsonOutputIsOneObjectWithFactorsSortedByCoefficient() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new FactorsCommand());
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--model", folder.toString(), "--word", "bass", "--json"));
        String text = out.toString().strip();
        assertEquals(1, text.lines().count(), text);
        JsonNode root = Json.MAPPER.readTree(text);
        assertEquals(List.of("word", "factors"), names(root));
        assertEquals("bass", root.get("word").asText());
        assertTrue(root.get("factors").size() >= 2, text);
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode f : root.get("factors")) {
            assertEquals(List.of("id", "coefficient", "top_words"), names(f));
            assertTrue(f.get("id").asText().matches("W/a[0-9]+"), f.toString());
            double c = f.get("coefficient").asDouble();
            assertTrue(c > 0 && c <= previous, text);
            previous = c;
            assertEquals(10, f.get("top_words").size());
        }
        assertEquals(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(factors.explain("bass"))), root);
    }

    @Test
    void unknownWordNamesTheWordAndTheModel() {
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordFactors.read(folder).explain("qwxz"));
        assertEquals("the word 'qwxz' is not in the vocabulary of the model " + folder + " (5000 words)",
                e.getMessage());
    }

    @Test
    void corruptVectorsAreRejectedByChecksum() throws Exception {
        Path copy = dir.resolve("corrupt");
        factors.write(copy);
        byte[] bytes = Files.readAllBytes(copy.resolve("vectors.npy"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(copy.resolve("vectors.npy"), bytes);
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordFactors.read(copy));
        assertTrue(e.getMessage().startsWith(copy.resolve("vectors.npy") + ": checksum mismatch"), e.getMessage());
    }

    @Test
    void vocabularyLinkedOutsideTheFolderIsRefused() throws Exception {
        Path copy = dir.resolve("linked");
        factors.write(copy);
        Path vocabulary = copy.resolve("vocabulary.txt");
        Path outside = Files.move(vocabulary, dir.resolve("vocabulary-outside.txt"));
        Files.createSymbolicLink(vocabulary, outside);
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordFactors.read(copy));
        assertEquals(vocabulary + ": leads outside the folder " + copy + " (to " + outside.toRealPath()
                + "): a symbolic link or '..' must not leave it", e.getMessage());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) names.add(it.next());
        return names;
    }
}
