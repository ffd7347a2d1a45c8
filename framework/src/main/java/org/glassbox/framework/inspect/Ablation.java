package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.SparseInput;
import org.glassbox.framework.layer.SparseOutput;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Switching atoms off and measuring what it costs. An atom is switched off by setting its code to
 * zero in its stage's output after encoding with the full dictionary, so the other atoms' codes are
 * unchanged and only its contribution is removed (the semantics of the sparse-coding layer's
 * {@code withAtomsOff}); every later stage then runs on the changed codes. The readout is NOT
 * refitted: it reads the changed features with the weights it learned on the full model, so the
 * accuracy after ablation measures how much the fitted model relies on those atoms.
 *
 * <p>Accuracy per class c = (items of class c predicted c) / (items of class c); 0 for a class
 * the set does not hold.
 */
public final class Ablation {
    private Ablation() {
    }

    /**
     * Test accuracy overall and per class.
     *
     * @param overall the fraction of items predicted correctly
     * @param perClass one fraction per class
     */
    public record Accuracy(double overall, double[] perClass) {
        /** The accuracy of {@code predicted} against {@code truth} over {@code classes} classes. */
        public static Accuracy of(int[] truth, int[] predicted, int classes) {
            long[] total = new long[classes];
            long[] right = new long[classes];
            long correct = 0;
            for (int i = 0; i < truth.length; i++) {
                total[truth[i]]++;
                if (truth[i] == predicted[i]) {
                    right[truth[i]]++;
                    correct++;
                }
            }
            double[] per = new double[classes];
            for (int c = 0; c < classes; c++) per[c] = total[c] == 0 ? 0 : (double) right[c] / total[c];
            return new Accuracy(truth.length == 0 ? 0 : (double) correct / truth.length, per);
        }
    }

    /**
     * Accuracy before and after switching off {@code atoms}.
     *
     * @param readout the readout measured
     * @param atoms the atoms switched off
     */
    public record Result(String readout, List<String> atoms, Accuracy before, Accuracy after) {
    }

    /**
     * One atom's harm to one class: {@code drop} = class accuracy before minus after switching
     * that atom alone off.
     */
    public record Harm(String atom, double drop) {
    }

    /**
     * The sweep's finding for one class: its accuracy and the candidate atoms ordered by harm, most
     * harmful first.
     */
    public record ClassHarms(int label, double accuracy, List<Harm> harms) {
    }

    /**
     * The mean contribution of every atom of the last sparse-coding stage (through the stages after
     * it) and of the atoms that branches' channels come from ({@link AtomAttribution#shares}; or of
     * every readout channel when they are the atoms or the scores cannot be traced back to atoms) to
     * every class score on the items of that class:
     * {@code mean[k][c]} = mean over items i with y_i = c of contribution_kc(x_i).
     *
     * @param channels the atom or channel names
     * @param mean {@code [channels][classes]}
     */
    public record Contributions(List<String> channels, double[][] mean) {
        /**
         * The {@code count} channels that are atoms with the largest mean contribution to class
         * {@code label} (largest first).
         */
        public List<String> top(AtomIndex index, int label, int count) {
            if (label < 0 || label >= mean[0].length) {
                throw new GlassboxException("class " + label + " is outside [0, " + mean[0].length + ")");
            }
            if (count < 1) throw new InvalidParameterException("count", count, "at least 1");
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < channels.size(); k++) {
                if (isAtom(index, channels.get(k))) order.add(k);
            }
            order.sort((a, b) -> Double.compare(mean[b][label], mean[a][label]));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < Math.min(count, order.size()); i++) out.add(channels.get(order.get(i)));
            return out;
        }
    }

    /** The accuracy of {@code readout} on {@code set} before and after switching off {@code atomIds}. */
    public static Result run(Pipeline pipeline, Layer readout, ImageSet set, Collection<String> atomIds, Progress progress) {
        return runAll(pipeline, readout, set, List.of(atomIds), progress).get(0);
    }

    /**
     * {@link #run} for several sets of atoms in one pass over {@code set}: the encodings up to the
     * first switched-off stage are shared.
     */
    public static List<Result> runAll(Pipeline pipeline, Layer readout, ImageSet set, List<? extends Collection<String>> atomSets,
            Progress progress) {
        AtomIndex index = new AtomIndex(pipeline);
        List<Variant> variants = new ArrayList<>();
        for (Collection<String> atoms : atomSets) variants.add(new Variant(resolve(index, atoms), -1));
        int[][] predictions = predict(pipeline, readout, set, variants, "ablation", progress);
        Accuracy before = Accuracy.of(set.labels(), predictions[0], set.classes());
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < atomSets.size(); i++) {
            out.add(new Result(readout.id(), List.copyOf(new LinkedHashSet<>(atomSets.get(i))), before,
                    Accuracy.of(set.labels(), predictions[i + 1], set.classes())));
        }
        return out;
    }

    /**
     * For every class, switches off each of its {@code candidates} top contributors
     * ({@link Contributions#top}) alone and measures the drop of that class's accuracy on the items
     * of that class (the only ones a class accuracy counts): the atoms whose removal hurts it most.
     * One pass over {@code set} measures every class's candidates.
     */
    public static List<ClassHarms> sweep(Pipeline pipeline, Layer readout, ImageSet set, Contributions contributions,
            int candidates, Progress progress) {
        if (candidates < 1) throw new InvalidParameterException("candidates", candidates, "at least 1");
        AtomIndex index = new AtomIndex(pipeline);
        int[] counts = set.classCounts();
        List<List<String>> tops = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        for (int c = 0; c < set.classes(); c++) {
            List<String> top = counts[c] == 0 ? List.of() : contributions.top(index, c, candidates);
            tops.add(top);
            for (String atom : top) variants.add(new Variant(resolve(index, List.of(atom)), c));
        }
        int[][] predictions = predict(pipeline, readout, set, variants, "ablation sweep", progress);
        Accuracy before = Accuracy.of(set.labels(), predictions[0], set.classes());
        List<ClassHarms> out = new ArrayList<>();
        int v = 1;
        for (int c = 0; c < set.classes(); c++) {
            List<String> top = tops.get(c);
            if (top.isEmpty()) {
                out.add(new ClassHarms(c, 0, List.of()));
                continue;
            }
            List<Harm> harms = new ArrayList<>();
            for (String atom : top) {
                double after = Accuracy.of(set.labels(), predictions[v++], set.classes()).perClass()[c];
                harms.add(new Harm(atom, before.perClass()[c] - after));
            }
            harms.sort(Comparator.comparingDouble(Harm::drop).reversed());
            out.add(new ClassHarms(c, before.perClass()[c], harms));
        }
        return out;
    }

    /** The mean contributions of {@code readout}'s channels on {@code set} ({@link Contributions}). */
    public static Contributions contributions(Pipeline pipeline, Layer readout, ImageSet set, Progress progress) {
        if (!(readout instanceof ScoreDecomposition d)) {
            throw new GlassboxException("readout " + readout.id()
                    + " does not decompose into atom contributions (expected a linear readout)");
        }
        List<String> channelNames = new AtomIndex(pipeline).outputChannelNames();
        List<String> shareNames = AtomAttribution.shareNames(pipeline);
        boolean throughStages = !shareNames.equals(channelNames);
        List<String> names = throughStages ? shareNames : channelNames;
        int channels = names.size();
        int classes = set.classes();
        double[][] sum = new double[channels][classes];
        int[] counts = set.classCounts();
        int[] labels = set.labels();
        try (Progress.Task task = progress.task("contributions", set.size())) {
            set.source().forEachBatch(pipeline.batchSize(), (batch, offset) -> {
                int n = (int) batch.size(0);
                float[] c = throughStages ? null : channelContributions(pipeline, d, batch);
                List<INDArray> perSample = throughStages ? AtomAttribution.shares(pipeline, d, batch) : null;
                for (int i = 0; i < n; i++) {
                    if (throughStages) {
                        c = FloatArrays.values(perSample.get(i));
                        OffHeap.free(perSample.get(i));
                    }
                    int y = labels[(int) offset + i];
                    int row = throughStages ? 0 : i * channels;
                    for (int k = 0; k < channels; k++) sum[k][y] += c[(row + k) * classes + y];
                }
                task.step(n);
            });
        }
        for (int k = 0; k < channels; k++) {
            for (int c = 0; c < classes; c++) sum[k][c] = counts[c] == 0 ? 0 : sum[k][c] / counts[c];
        }
        return new Contributions(names, sum);
    }

    /** {@link ScoreDecomposition#contributions} of the pipeline's output for {@code batch}, in C order. */
    private static float[] channelContributions(Pipeline pipeline, ScoreDecomposition d, INDArray batch) {
        INDArray features = pipeline.transform(batch);
        INDArray c = d.contributions(features);
        float[] values = FloatArrays.values(c);
        OffHeap.freeAll(Arrays.asList(features, c), batch);
        return values;
    }

    private static boolean isAtom(AtomIndex index, String name) {
        try {
            index.resolve(name);
            return true;
        } catch (GlassboxException e) {
            return false;
        }
    }

    /** Stage index to the sorted atom indices switched off there. */
    private static Map<Integer, int[]> resolve(AtomIndex index, Collection<String> atomIds) {
        if (atomIds.isEmpty()) throw new GlassboxException("no atoms to switch off (expected at least one atom id)");
        Map<Integer, TreeSet<Integer>> byStage = new TreeMap<>();
        for (String id : atomIds) {
            AtomIndex.Ref ref = index.resolve(id);
            byStage.computeIfAbsent(ref.stage(), s -> new TreeSet<>()).add(ref.atom());
        }
        Map<Integer, int[]> out = new LinkedHashMap<>();
        byStage.forEach((s, atoms) -> out.put(s, atoms.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /**
     * One way to run the model: the atoms switched off, by stage index, predicted on the items of
     * class {@code label} only (-1: on every item).
     */
    private record Variant(Map<Integer, int[]> off, int label) {
    }

    /**
     * The full model's predictions on {@code set}, then every variant's, in one pass. The stages up
     * to and including the first switched-off stage run once per batch and are shared (switching
     * off happens after encoding, so the encodings are the same for every variant). An item whose
     * codes at that stage have none of the variant's switched-off atoms, when the variant switches
     * off nothing at later stages, has the full model's features, so it keeps the full model's
     * prediction and only the other items run through the later stages; so does an item outside
     * the variant's class. When that stage gives its codes as non-zeros ({@link SparseOutput}), a
     * variant drops the switched-off atoms' non-zeros and a {@link SparseInput} stage after it
     * reads them as such.
     */
    private static int[][] predict(Pipeline pipeline, Layer readout, ImageSet set, List<Variant> variants, String name,
            Progress progress) {
        List<Layer> stages = pipeline.stages();
        int first = stages.size();
        for (Variant v : variants) {
            for (int s : v.off().keySet()) first = Math.min(first, s);
        }
        int shared = Math.min(first + 1, stages.size());
        int[][] out = new int[variants.size() + 1][set.size()];
        int[] labels = set.labels();
        try (Progress.Task task = progress.task(name, set.size())) {
            set.source().forEachBatch(pipeline.batchSize(), (batch, offset) -> {
                int n = (int) batch.size(0);
                INDArray x = shared == 0 ? batch : pipeline.prefix(shared - 1).transform(batch);
                Layer last = shared == 0 ? null : stages.get(shared - 1);
                SparseRows codes = last instanceof SparseOutput coder ? coder.encodeSparse(x) : null;
                Encoded encoded = new Encoded(pipeline, batch, shared, last, codes,
                        last == null ? x : codes == null ? last.encode(x) : null);
                int[] full = encoded.predict(readout, Map.of(), null);
                System.arraycopy(full, 0, out[0], (int) offset, n);
                for (int v = 0; v < variants.size(); v++) {
                    Variant variant = variants.get(v);
                    int[] items = encoded.changed(variant, labels, (int) offset);
                    int[] p = items.length == n ? encoded.predict(readout, variant.off(), null) : full.clone();
                    if (items.length > 0 && items.length < n) {
                        int[] changed = encoded.predict(readout, variant.off(), items);
                        for (int i = 0; i < items.length; i++) p[items[i]] = changed[i];
                    }
                    System.arraycopy(p, 0, out[v + 1], (int) offset, n);
                }
                List<INDArray> done = new ArrayList<>(Arrays.asList(encoded.early));
                done.add(x);
                done.add(encoded.dense);
                OffHeap.freeAll(done, batch);
                task.step(n);
            });
        }
        return out;
    }

    /**
     * One batch encoded up to and including stage {@code shared - 1} ({@code last}), as non-zeros
     * ({@code codes}) or as maps ({@code dense}; the batch itself when {@code shared} is 0); the
     * batch {@code images} itself for the pipeline's branches.
     */
    private static final class Encoded {
        private final Pipeline pipeline;
        private final INDArray images;
        private final int shared;
        private final Layer last;
        private final SparseRows codes;
        private final INDArray dense;
        /** The values of {@code dense} when they are stage {@code shared - 1}'s codes, else null. */
        private final float[] values;
        /**
         * For each branch that reads the output of fewer stages than {@code shared} (but some), that
         * output, which no variant changes; null for the other branches.
         */
        private final INDArray[] early;

        Encoded(Pipeline pipeline, INDArray images, int shared, Layer last, SparseRows codes, INDArray dense) {
            this.pipeline = pipeline;
            this.images = images;
            this.shared = shared;
            this.last = last;
            this.codes = codes;
            this.dense = dense;
            this.values = codes == null && last != null ? FloatArrays.values(dense) : null;
            this.early = new INDArray[pipeline.branches().size()];
            for (int b = 0; b < early.length; b++) {
                int r = pipeline.branchReads(b);
                if (r > 0 && r < shared) early[b] = pipeline.prefix(r).transform(images);
            }
        }

        private int samples() {
            return codes != null ? codes.rows() / last.outputShape().positions() : (int) dense.size(0);
        }

        /**
         * The items of the batch (at {@code offset} in the set) whose prediction {@code variant}
         * may change: those of its class whose codes at stage {@code shared - 1} hold one of the
         * atoms it switches off there; every item of its class when it switches off atoms at a
         * later stage, or when no stage was shared.
         */
        int[] changed(Variant variant, int[] labels, int offset) {
            int n = samples();
            int[] atFirst = shared == 0 ? null : variant.off().get(shared - 1);
            boolean later = variant.off().keySet().stream().anyMatch(s -> s >= shared);
            boolean[] off = null;
            if (atFirst != null && !later) {
                off = new boolean[last.outputShape().channels()];
                for (int k : atFirst) off[k] = true;
            }
            int positions = shared == 0 ? 0 : last.outputShape().positions();
            int channels = off == null ? 0 : off.length;
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (variant.label() >= 0 && labels[offset + i] != variant.label()) continue;
                boolean hit = off == null;
                if (codes != null) {
                    for (int u = codes.start()[i * positions]; !hit && u < codes.start()[(i + 1) * positions]; u++) {
                        hit = off[codes.index()[u]];
                    }
                } else {
                    for (int e = i * positions * channels; !hit && e < (i + 1) * positions * channels; e++) {
                        hit = values[e] != 0 && off[e % channels];
                    }
                }
                if (hit) items.add(i);
            }
            return items.stream().mapToInt(Integer::intValue).toArray();
        }

        /**
         * The predictions of {@code readout} with the atoms {@code off} switched off, for the items
         * {@code items} of the batch (null: all of them).
         */
        int[] predict(Layer readout, Map<Integer, int[]> off, int[] items) {
            int[] atFirst = shared == 0 ? null : off.get(shared - 1);
            List<Layer> stages = pipeline.stages();
            int s = shared;
            List<INDArray> made = new ArrayList<>();
            INDArray[] read = new INDArray[pipeline.branches().size()];
            INDArray y;
            if (codes != null) {
                SparseRows rows = items == null ? codes : samplesOf(codes, last.outputShape().positions(), items);
                SparseRows kept = atFirst == null ? rows : rows.withoutColumns(atFirst);
                if (s < stages.size() && stages.get(s) instanceof SparseInput reader && !readsAfter(s)) {
                    y = reader.encodeSparse(kept);
                    made.add(y);
                    int[] next = off.get(s++);
                    if (next != null) made.add(y = zeroChannels(y, next));
                } else {
                    made.add(y = Maps.map(kept.dense(), last.outputShape()));
                }
            } else {
                INDArray maps = items == null ? dense : samplesOf(dense, items);
                made.add(maps);
                y = atFirst == null ? maps : zeroChannels(maps, atFirst);
                made.add(y);
            }
            keepForBranches(s, y, read);
            for (; s < stages.size(); s++) {
                made.add(y = stages.get(s).encode(y));
                int[] next = off.get(s);
                if (next != null) made.add(y = zeroChannels(y, next));
                keepForBranches(s + 1, y, read);
            }
            if (read.length > 0) {
                // a branch reading the input or the output of fewer stages than were shared reads it unchanged
                INDArray in = items == null ? images : samplesOf(images, items);
                made.add(in);
                for (int b = 0; b < read.length; b++) {
                    if (read[b] != null) continue;
                    INDArray unchanged = pipeline.branchReads(b) == 0 ? in : early[b];
                    read[b] = items == null || unchanged == in ? unchanged : samplesOf(unchanged, items);
                    if (read[b] != early[b]) made.add(read[b]);
                }
                made.add(y = pipeline.join(y, Arrays.asList(read)));
            }
            INDArray scores = readout.encode(y);
            made.add(scores);
            int[] predicted = Predictions.argmax(scores);
            List<INDArray> kept = new ArrayList<>(Arrays.asList(early));
            kept.add(dense);
            kept.add(images);
            OffHeap.freeAll(made, kept.toArray(new INDArray[0]));
            return predicted;
        }

        /** Whether a branch reads the output of the first {@code stagesBefore} stages. */
        private boolean readsAfter(int stagesBefore) {
            for (int b = 0; b < pipeline.branches().size(); b++) {
                if (pipeline.branchReads(b) == stagesBefore) return true;
            }
            return false;
        }

        /** Keeps {@code y}, the output of the first {@code stagesBefore} stages, for the branches that read it. */
        private void keepForBranches(int stagesBefore, INDArray y, INDArray[] read) {
            for (int b = 0; b < read.length; b++) {
                if (pipeline.branchReads(b) == stagesBefore) read[b] = y;
            }
        }
    }

    /** The rows of the samples {@code items} of {@code codes}, {@code positions} rows per sample. */
    private static SparseRows samplesOf(SparseRows codes, int positions, int[] items) {
        SparseRows.Builder rows = new SparseRows.Builder(items.length * positions, codes.columns());
        for (int i : items) {
            for (int r = i * positions; r < (i + 1) * positions; r++) {
                for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) rows.add(codes.index()[u], codes.value()[u]);
                rows.endRow();
            }
        }
        return rows.build();
    }

    /** The samples {@code items} of {@code maps} {@code [n, ...]}, in that order. */
    private static INDArray samplesOf(INDArray maps, int[] items) {
        INDArray[] parts = new INDArray[items.length];
        for (int i = 0; i < items.length; i++) parts[i] = maps.get(NDArrayIndex.interval(items[i], items[i] + 1));
        return Nd4j.concat(0, parts);
    }

    /** A copy of the map {@code [n, gh, gw, K]} with channels {@code off} set to zero. */
    static INDArray zeroChannels(INDArray map, int[] off) {
        int k = (int) map.size(3);
        float[] keep = new float[k];
        java.util.Arrays.fill(keep, 1f);
        for (int j : off) keep[j] = 0f;
        INDArray rows = Maps.rows(map.dup('c')).muliRowVector(Nd4j.create(keep, new long[] {1, k}, DataType.FLOAT));
        return rows.reshape('c', map.shape());
    }
}
