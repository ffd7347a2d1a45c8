package org.glassbox.words;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.RunFolder;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox factors}: fits word factors on a word-vector file ({@code --vectors FILE --out DIR}),
 * or shows one word's factors from a fitted folder ({@code --model DIR --word WORD [--json]}).
 */
@Command(name = "factors", mixinStandardHelpOptions = true,
        description = {"Sparse coding of word vectors into factors labelled by their top words.",
                "Fit:    factors --vectors FILE --out DIR [--words N] [--factors K] [--lambda L] [--epochs E] [--seed S]",
                "Lookup: factors --model DIR --word WORD [--json]"})
public final class FactorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vectors", description = "Word vectors in GloVe or word2vec text format (.gz allowed); "
            + "fits and writes DIR/model/, factors.json and factors.html.")
    Path vectorsFile;

    @Option(names = "--out", description = "Output folder of a fit.")
    Path out;

    @Option(names = "--force", description = RunFolder.FORCE_HELP)
    boolean force;

    @Option(names = "--words", defaultValue = "50000",
            description = "Use the first N valid vectors (for GloVe the N most frequent words; default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--factors", defaultValue = "1000",
            description = "Number of factors K, fewer than the words read (default: ${DEFAULT-VALUE}).")
    int factors;

    @Option(names = "--lambda", defaultValue = "0.5", description = "L1 weight lambda (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--epochs", defaultValue = "1",
            description = "Passes of dictionary learning over the words (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "50",
            description = "FISTA iteration limit per word (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--top", defaultValue = "10", description = "Top words per factor label (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--seed", defaultValue = "1", description = "The seed of the fit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", description = "A folder written by a fit (its --out).")
    Path model;

    @Option(names = "--word", description = "The word to decompose (exact match).")
    String word;

    @Option(names = "--json", description = "With --word: print one JSON object {\"word\", \"factors\": [{\"id\", "
            + "\"coefficient\", \"top_words\"}, ...]}, largest coefficient first.")
    boolean json;

    /** FISTA's relative stopping threshold in fits. */
    static final double TOLERANCE = 1e-3;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (vectorsFile != null) {
            if (out == null || model != null || word != null || json) {
                throw usage("a fit takes --vectors FILE --out DIR (not --model, --word or --json)");
            }
            fit(stdout, ConsoleProgress.forStandardError());
        } else if (model != null) {
            if (word == null || out != null) {
                throw usage("a lookup takes --model DIR --word WORD [--json], and no --out");
            }
            lookup(stdout);
        } else {
            throw usage("give either --vectors FILE --out DIR (fit) or --model DIR --word WORD (lookup)");
        }
        stdout.flush();
        return 0;
    }

    private void fit(PrintWriter stdout, Progress progress) {
        FactorSettings settings = new FactorSettings(factors, lambda, epochs, iterations, TOLERANCE, top);
        try (RunFolder folder = RunFolder.open(out, "factors", force, List.of(vectorsFile))) {
            fit(settings, folder, stdout, progress);
        }
    }

    private void fit(FactorSettings settings, RunFolder folder, PrintWriter stdout, Progress progress) {
        long start = System.nanoTime();
        WordVectors vectors = WordVectorReader.read(vectorsFile, words);
        PrintWriter err = spec.commandLine().getErr();
        if (vectors.badLines() > 0) {
            err.println("glassbox: skipped " + vectors.badLines() + " bad line(s) of " + vectorsFile + ", the first:");
            for (String p : vectors.problems()) err.println("  " + p);
            err.flush();
        }
        if (vectors.size() <= factors) {
            throw new GlassboxException(vectorsFile + ": " + vectors.size() + " valid word" + (vectors.size() == 1 ? "" : "s")
                    + " read (--words " + words + "), too few for --factors " + factors
                    + " (expected more words than factors)");
        }
        double read = seconds(start);
        WordFactors fitted = WordFactors.fit(vectors, settings, seed, progress);
        double fitSeconds = seconds(start) - read;
        fitted.write(folder.staging());
        folder.commit();
        double meanActive = fitted.factors().stream().mapToDouble(Factor::usage).sum();
        stdout.printf(Locale.ROOT, "%d words x %d dimensions from %s (read in %.1f s)%n", vectors.size(),
                vectors.dimension(), vectorsFile, read);
        stdout.printf(Locale.ROOT, "%d factors, lambda %s, %d epochs, seed %d: fitted and labelled in %.1f s; "
                + "%.2f factors per word on average%n", factors, lambda, epochs, seed, fitSeconds, meanActive);
        stdout.printf(Locale.ROOT, "wrote %s (model/, factors.json, factors.html) in %.1f s in all%n", out,
                seconds(start));
    }

    private void lookup(PrintWriter stdout) throws Exception {
        WordFactors fitted = WordFactors.read(model);
        WordExplanation e = fitted.explain(word);
        if (json) {
            stdout.println(Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(e));
            return;
        }
        stdout.printf(Locale.ROOT, "%s: %d factor%s (model %s)%n", e.word(), e.factors().size(),
                e.factors().size() == 1 ? "" : "s", model);
        stdout.printf("  %-11s %-8s %s%n", "coefficient", "factor", "top words");
        for (WordFactor f : e.factors()) {
            stdout.printf(Locale.ROOT, "  %11.3f %-8s %s%n", f.coefficient(), f.id(), String.join(", ", f.topWords()));
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
