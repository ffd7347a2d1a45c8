package org.glassbox.commands;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.OutputFile;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.progress.ConsoleProgress;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./glassbox predict --model DIR [--data FOLDER] [--out FILE] [--format csv|jsonl]
 * [--readout ID] [--json] [--force]}: runs the model's pipeline and one readout over every item of
 * the data ({@link ModelData}; the model's own test set without {@code --data}), batch by batch, and
 * writes one line per item ({@link Prediction}): CSV with a header line or JSON Lines, chosen by
 * {@code --format} or else by the extension of {@code --out} ({@code .csv}, {@code .jsonl}); CSV on
 * standard output when there is no {@code --out}. When the data has labels it then prints the
 * accuracy and the accuracy of each class (the fraction of its items predicted as it; none for a
 * class without items): to standard output when the lines go to a file, else to standard error.
 * With {@code --json} it prints instead one JSON object on standard output,
 * {@code {"readout", "data", "items": [...], "accuracy", "per_class"}} (accuracies null without
 * labels), and still writes {@code --out} when given.
 *
 * <p>Everything is checked before the first item is scored: the options, {@code --out}
 * ({@link OutputFile}: never a folder, never inside the model or the data, an existing file only
 * with {@code --force}), the model, the readout, and the data's shape against the model's input.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Apply a model to data: the predicted class and the class scores of every item (CSV or JSON "
                + "Lines), and the accuracy overall and per class when the data has labels.")
public final class PredictCommand implements Callable<Integer> {
    /** The line formats, as {@code --format} names them. */
    static final List<String> FORMATS = List.of("csv", "jsonl");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model folder (or a run's output folder holding model/).")
    Path model;

    @Option(names = "--data", description = ModelData.DATA_HELP)
    Path data;

    @Option(names = "--out", description = "The file to write, .csv or .jsonl; default: standard output.")
    Path out;

    @Option(names = "--format", description = "csv or jsonl; default: by the extension of --out, csv on standard output.")
    String format;

    @Option(names = "--readout", description = "The readout to apply; default: the linear readout when the model has "
            + "one, else its first.")
    String readout;

    @Option(names = "--json", description = "Print one JSON object: {\"readout\", \"data\", \"items\", \"accuracy\", "
            + "\"per_class\"}.")
    boolean json;

    @Option(names = "--force", description = OutputFile.FORCE_HELP)
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path modelFolder = InspectedModel.modelFolder(model);
        Path target = out == null ? null : OutputFile.check(out, force, Arrays.asList(modelFolder, data));
        String lines = lineFormat();
        Model m = ModelFile.read(modelFolder);
        Readout r = chosenReadout(m, modelFolder);
        Progress progress = json ? Progress.silent() : ConsoleProgress.forStandardError();
        Items items = ModelData.read(m, modelFolder, data, progress);
        int classes = (int) r.outputShape().size();
        PrintWriter stdout = spec.commandLine().getOut();

        JsonGenerator object = json ? Prediction.ONE_LINE.createGenerator(stdout) : null;
        if (object != null) {
            object.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            object.writeStartObject();
            object.writeStringField("readout", r.id());
            object.writeStringField("data", items.name());
            object.writeArrayFieldStart("items");
        }
        List<Consumer<Prediction>> sinks = new ArrayList<>();
        if (object != null) sinks.add(p -> write(object, p));
        int[] predicted;
        if (target != null) {
            int[][] result = new int[1][];
            AtomicFolder.writeFile(target, tmp -> {
                try (Writer file = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    List<Consumer<Prediction>> all = new ArrayList<>(sinks);
                    all.add(lineWriter(file, lines, items, classes));
                    result[0] = predict(m, r, items, all);
                }
            });
            predicted = result[0];
        } else {
            if (object == null) sinks.add(lineWriter(stdout, lines, items, classes));
            predicted = predict(m, r, items, sinks);
        }

        ConfusionMatrix confusion = items.labelled()
                ? ConfusionMatrix.of(items.labels(), predicted, Math.max(classes, items.classes())) : null;
        if (object != null) {
            object.writeEndArray();
            writeAccuracy(object, confusion);
            object.writeEndObject();
            object.flush();
            stdout.println();
        } else {
            printSummary(target == null ? spec.commandLine().getErr() : stdout, items, r, confusion, target);
        }
        stdout.flush();
        return 0;
    }

    /** Scores every item batch by batch, hands each item's prediction to every sink, and returns the predicted classes. */
    private static int[] predict(Model model, Readout readout, Items items, List<Consumer<Prediction>> sinks) {
        int[] predicted = new int[items.size()];
        int[] labels = items.labelled() ? items.labels() : null;
        items.source().forEachBatch(model.pipeline().batchSize(), (batch, offset) -> {
            INDArray s = model.scores(batch, readout);
            int[] p = Predictions.argmax(s);
            int classes = (int) s.size(1);
            float[] v = s.dup('c').data().asFloat();
            for (int i = 0; i < p.length; i++) {
                int index = (int) offset + i;
                predicted[index] = p[i];
                Path file = items.file(index);
                Prediction prediction = new Prediction(index, file == null ? null : file.toString(),
                        labels == null ? null : labels[index], p[i], Arrays.copyOfRange(v, i * classes, (i + 1) * classes));
                for (Consumer<Prediction> sink : sinks) sink.accept(prediction);
            }
        });
        return predicted;
    }

    /** Writes the header at once and then one line per prediction to {@code w}, in {@code format}. */
    private static Consumer<Prediction> lineWriter(Writer w, String format, Items items, int classes) {
        boolean csv = format.equals("csv");
        if (csv) line(w, Prediction.csvHeader(items.file(0) != null, items.labelled(), classes));
        return p -> line(w, csv ? p.csv() : p.json());
    }

    private static void line(Writer w, String text) {
        try {
            w.write(text);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator g, Prediction p) {
        try {
            Prediction.ONE_LINE.writeValue(g, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code "accuracy"} and {@code "per_class"} (null for a class without items), or both null without labels. */
    private static void writeAccuracy(JsonGenerator g, ConfusionMatrix confusion) throws IOException {
        if (confusion == null) {
            g.writeNullField("accuracy");
            g.writeNullField("per_class");
            return;
        }
        g.writeNumberField("accuracy", confusion.accuracy());
        g.writeArrayFieldStart("per_class");
        for (double a : confusion.perClassAccuracy()) {
            if (Double.isNaN(a)) g.writeNull();
            else g.writeNumber(a);
        }
        g.writeEndArray();
    }

    private static void printSummary(PrintWriter w, Items items, Layer readout, ConfusionMatrix confusion, Path target) {
        w.printf("predicted %d items of %s with readout %s%s%n", items.size(), items.name(), readout.id(),
                target == null ? "" : " into " + target);
        if (confusion == null) {
            w.println("no labels, so no accuracy");
        } else {
            long[][] counts = confusion.counts();
            long correct = 0;
            for (int c = 0; c < counts.length; c++) correct += counts[c][c];
            w.printf("accuracy %.4f (%d of %d)%n", confusion.accuracy(), correct, confusion.total());
            for (int c = 0; c < counts.length; c++) {
                long n = Arrays.stream(counts[c]).sum();
                if (n > 0) w.printf("class %d: %.4f (%d of %d)%n", c, (double) counts[c][c] / n, counts[c][c], n);
            }
        }
        w.flush();
    }

    /** {@code --format}, or the format the extension of {@code --out} names, or csv on standard output. */
    private String lineFormat() {
        if (format != null) {
            if (!FORMATS.contains(format)) throw new InvalidParameterException("--format", format, "csv or jsonl");
            return format;
        }
        if (out == null) return "csv";
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String f : FORMATS) {
            if (name.endsWith("." + f)) return f;
        }
        throw new GlassboxException(out + ": --out ends in neither .csv nor .jsonl (expected one of them, or "
                + "--format csv or jsonl)");
    }

    /** The readout {@code --readout} names, or the model's default readout ({@link Model#readout()}). */
    private Readout chosenReadout(Model m, Path modelFolder) {
        List<String> ids = m.readouts().stream().map(Layer::id).toList();
        if (ids.isEmpty()) {
            throw new GlassboxException(modelFolder.resolve(ModelFile.MANIFEST) + ": the model has no readout "
                    + "(expected a model with a fitted readout to predict with)");
        }
        if (readout != null) {
            return m.readouts().stream().filter(x -> x.id().equals(readout)).findFirst().orElseThrow(() ->
                    new GlassboxException("--readout: the model has no readout named " + readout + " (its readouts: "
                            + String.join(", ", ids) + ")"));
        }
        return m.readout();
    }
}
