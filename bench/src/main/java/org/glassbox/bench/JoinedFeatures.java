package org.glassbox.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.ShiftedCopies;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.ConfusionMatrix;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.stats.McNemar;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether a second layer adds to the first: fits a trunk of stages once, then branches of stages on
 * the trunk's output, and fits the trunk's first readout on the outputs of one or more branches
 * side by side (each branch's maps flattened, then concatenated), one row per combination. Each row
 * is a model a stack file can hold (branches that read the trunk's last stage, docs/architecture.md,
 * "Branches"); here the trunk and every branch are fitted and encoded once for all the rows.
 *
 * <pre>
 *   bench/joined-features.sh [--shifts N] [--seed N] DATA TRUNK.json ROW...
 * </pre>
 *
 * DATA is an IDX folder (its training part is fitted on, its test part scored) or {@code -} for
 * the embedded digits' 8,000 / 2,000 split. TRUNK.json is a stack file: its stages form the trunk
 * and its first readout is fitted for every row. A ROW is a {@code +}-separated list of stack files
 * whose stages form one branch each (their readouts are not used). Every file is checked against
 * the shapes before anything is fitted. The fit's seed is 1 unless {@code --seed N} says otherwise.
 * With {@code --shifts N} the readouts also learn from the N-pixel shifted copies of every training
 * image, as {@code ./glassbox mnist --shifts N} makes them (each branch's features through trunk and
 * branch together, {@link Pipeline#transformAllWithShiftedCopies}); the stages are fitted on the
 * originals.
 * Prints the trunk's fit and encoding seconds, each branch's fit and encoding seconds, and per row
 * the feature count, the test accuracy and the readout's fit seconds, and for every row after the
 * first McNemar's test of its predictions against the first row's (the test items only one of the
 * two classifies rightly, each way, and the two-sided p-value).
 */
public final class JoinedFeatures {
    private JoinedFeatures() {
    }

    public static void main(String[] args) {
        int shifts = 0;
        long seed = 1;
        while (args.length >= 2 && (args[0].equals("--shifts") || args[0].equals("--seed"))) {
            long value = parseCount(args[1]);
            if (args[0].equals("--shifts")) shifts = (int) Math.min(value, Integer.MAX_VALUE);
            else seed = value;
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        if (args.length < 3 || shifts < 0 || seed < 0) {
            System.err.println("usage: bench/joined-features.sh [--shifts N] [--seed N] DATA TRUNK.json ROW... "
                    + "(ROW: BRANCH.json[+BRANCH.json...])");
            System.exit(2);
        }
        try {
            run(args, shifts, seed);
        } catch (GlassboxException e) {
            System.err.println("joined-features: " + e.getMessage());
            System.exit(2);
        }
    }

    /** {@code text} as a whole number of at least 0, or -1 when it is not one. */
    private static long parseCount(String text) {
        try {
            return Math.max(-1, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void run(String[] args, int shifts, long seed) {
        TrainTest data = args[0].equals("-") ? EmbeddedMnist.split() : IdxFolder.read(Path.of(args[0]));
        StackDescription trunk = StackDescription.read(Path.of(args[1]));
        if (trunk.readouts().isEmpty()) throw new GlassboxException(args[1] + ": the trunk's stack file names no readout");
        long n = data.train().size();
        int classes = data.train().classes();
        MapShape trunkShape = trunk.check(args[1], data.train().shape(), n, n, classes);
        Map<String, List<Pipeline.Stage>> branches = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (int r = 2; r < args.length; r++) {
            List<String> row = List.of(args[r].split("\\+"));
            for (String branch : row) {
                if (branches.containsKey(branch)) continue;
                StackDescription stack = StackDescription.read(Path.of(branch));
                stack.check(branch, trunkShape, n, n, classes);
                branches.put(branch, stack.stages());
            }
            rows.add(row);
        }
        FitContext context = new FitContext(seed, Progress.silent());
        long start = System.nanoTime();
        Pipeline fitted = Pipeline.fit(data.train().source(), trunk.stages(), context);
        double fit = seconds(start);
        start = System.nanoTime();
        MapSource train = MapSource.of(fitted.transformAll(data.train().source()));
        MapSource test = MapSource.of(fitted.transformAll(data.test().source()));
        System.out.printf(Locale.ROOT, "trunk %s: fit %.1f s, output %s encoded in %.1f s%n", args[1], fit, trunkShape,
                seconds(start));
        Map<String, INDArray[]> features = new LinkedHashMap<>();
        for (Map.Entry<String, List<Pipeline.Stage>> branch : branches.entrySet()) {
            start = System.nanoTime();
            Pipeline b = Pipeline.fit(train, branch.getValue(), context);
            fit = seconds(start);
            start = System.nanoTime();
            INDArray trainFeatures = shifts == 0 ? b.transformAll(train) : joinedPipeline(fitted, b)
                    .transformAllWithShiftedCopies(data.train().source(), shifts, Progress.silent(), branch.getKey());
            features.put(branch.getKey(), new INDArray[] {flat(trainFeatures), flat(b.transformAll(test))});
            System.out.printf(Locale.ROOT, "branch %s: fit %.1f s, output %s encoded in %.1f s%n", branch.getKey(), fit,
                    b.outputShape(), seconds(start));
        }
        StackDescription.ReadoutStage readout = trunk.readouts().get(0);
        int[] trainLabels = ShiftedCopies.labels(data.train().labels(), shifts);
        int[] firstRow = null;
        for (List<String> row : rows) {
            INDArray trainFeatures = joined(features, row, 0);
            INDArray testFeatures = joined(features, row, 1);
            start = System.nanoTime();
            Readout probe = readout.spec().fit(readout.id(), MapSource.of(trainFeatures), trainLabels, context);
            fit = seconds(start);
            int[] predicted = probe.predict(testFeatures);
            double accuracy = ConfusionMatrix.accuracy(data.test().labels(), predicted, classes);
            String against = "";
            if (firstRow == null) {
                firstRow = predicted;
            } else {
                McNemar.Result m = McNemar.test(firstRow, predicted, data.test().labels());
                against = String.format(Locale.ROOT, ", against the first row: %d / %d right only there, McNemar p = %.2g",
                        m.onlySecondCorrect(), m.onlyFirstCorrect(), m.pValue());
            }
            System.out.printf(Locale.ROOT, "%s: %d features, %s %.4f, readout fit %.1f s%s%n", String.join(" + ", row),
                    trainFeatures.size(3), readout.id(), accuracy, fit, against);
        }
    }

    /** The stages of {@code trunk}, then those of {@code branch}, as one pipeline. */
    private static Pipeline joinedPipeline(Pipeline trunk, Pipeline branch) {
        List<Layer> stages = new ArrayList<>(trunk.stages());
        stages.addAll(branch.stages());
        return new Pipeline(trunk.inputShape(), stages);
    }

    /** Maps {@code [n, h, w, c]} as rows {@code [n, h w c]}. */
    private static INDArray flat(INDArray maps) {
        return maps.reshape('c', maps.size(0), maps.length() / maps.size(0));
    }

    /** The {@code part} (0: training, 1: test) features of the branches of {@code row}, side by side, as maps {@code [n, 1, 1, F]}. */
    private static INDArray joined(Map<String, INDArray[]> features, List<String> row, int part) {
        INDArray[] parts = row.stream().map(branch -> features.get(branch)[part]).toArray(INDArray[]::new);
        INDArray rows = parts.length == 1 ? parts[0] : Nd4j.hstack(parts);
        return rows.reshape('c', rows.size(0), 1, 1, rows.size(1));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
