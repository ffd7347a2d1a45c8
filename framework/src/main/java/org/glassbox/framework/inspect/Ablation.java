package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glassbox.framework.array.Maps;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    /** The accuracy of {@code readout} on {@code set} before and after switching off {@code atomIds}. */
    public static Result run(Model model, Layer readout, ImageSet set, Collection<String> atomIds, Progress progress) {
        AtomIndex index = new AtomIndex(model.pipeline());
        Map<Integer, int[]> off = resolve(index, atomIds);
        int[][] predictions = predict(model.pipeline(), readout, set, List.of(Map.of(), off), progress);
        return new Result(readout.id(), List.copyOf(new LinkedHashSet<>(atomIds)),
                Accuracy.of(set.labels(), predictions[0], set.classes()),
                Accuracy.of(set.labels(), predictions[1], set.classes()));
    }

    /**
     * The {@code count} readout channels (atoms) that contribute most to the score of class
     * {@code label} on the items of that class: ranked by the mean over those items of
     * contribution_k,label (largest first); only channels that are atoms are ranked.
     */
    public static List<String> topContributors(Model model, Anatomy anatomy, Layer readout, ImageSet set, int label,
            int count, Progress progress) {
        if (label < 0 || label >= set.classes()) {
            throw new GlassboxException("class " + label + " is outside [0, " + set.classes() + ")");
        }
        if (count < 1) throw new InvalidParameterException("count", count, "at least 1");
        return ranked(meanContributions(model, anatomy, readout, set, progress), new AtomIndex(model.pipeline()), label, count);
    }

    /**
     * For every class, switches off each of its {@code candidates} top contributors alone and
     * measures the drop of that class's accuracy: the atoms whose removal hurts it most.
     */
    public static List<ClassHarms> sweep(Model model, Anatomy anatomy, Layer readout, ImageSet set, int candidates,
            Progress progress) {
        if (candidates < 1) throw new InvalidParameterException("candidates", candidates, "at least 1");
        double[][] means = meanContributions(model, anatomy, readout, set, progress);
        AtomIndex index = new AtomIndex(model.pipeline());
        int classes = set.classes();
        List<List<String>> perClass = new ArrayList<>();
        TreeSet<String> unique = new TreeSet<>();
        for (int c = 0; c < classes; c++) {
            List<String> top = ranked(means, index, c, candidates);
            perClass.add(top);
            unique.addAll(top);
        }
        List<String> atoms = new ArrayList<>(unique);
        List<Map<Integer, int[]>> variants = new ArrayList<>();
        variants.add(Map.of());
        for (String atom : atoms) variants.add(resolve(index, List.of(atom)));
        int[][] predictions = predict(model.pipeline(), readout, set, variants, progress);
        Accuracy before = Accuracy.of(set.labels(), predictions[0], classes);
        List<ClassHarms> result = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Harm> harms = new ArrayList<>();
            for (String atom : perClass.get(c)) {
                Accuracy after = Accuracy.of(set.labels(), predictions[1 + atoms.indexOf(atom)], classes);
                harms.add(new Harm(atom, before.perClass()[c] - after.perClass()[c]));
            }
            harms.sort(Comparator.comparingDouble(Harm::drop).reversed());
            result.add(new ClassHarms(c, before.perClass()[c], harms));
        }
        return result;
    }

    /** {@code [channels][classes]}: mean over the items of class c of contribution_kc. */
    private static double[][] meanContributions(Model model, Anatomy anatomy, Layer readout, ImageSet set, Progress progress) {
        ScoreDecomposition d = anatomy.decomposition(readout).orElseThrow(() -> new GlassboxException(
                "readout " + readout.id() + " does not decompose into atom contributions (expected a linear readout)"));
        int channels = model.pipeline().outputShape().channels();
        int classes = set.classes();
        double[][] sum = new double[channels][classes];
        int[] counts = set.classCounts();
        int[] labels = set.labels();
        try (Progress.Task task = progress.task("contributions", set.size())) {
            set.source().forEachBatch(Pipeline.BATCH, (batch, offset) -> {
                float[] c = d.contributions(model.pipeline().transform(batch)).dup('c').data().asFloat();
                int n = (int) batch.size(0);
                for (int i = 0; i < n; i++) {
                    int y = labels[(int) offset + i];
                    for (int k = 0; k < channels; k++) sum[k][y] += c[(i * channels + k) * classes + y];
                }
                task.step(n);
            });
        }
        for (int k = 0; k < channels; k++) {
            for (int c = 0; c < classes; c++) sum[k][c] = counts[c] == 0 ? 0 : sum[k][c] / counts[c];
        }
        return sum;
    }

    private static List<String> ranked(double[][] means, AtomIndex index, int label, int count) {
        List<String> names = index.outputChannelNames();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            if (isAtom(index, names.get(k))) order.add(k);
        }
        order.sort((a, b) -> Double.compare(means[b][label], means[a][label]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, order.size()); i++) out.add(names.get(order.get(i)));
        return out;
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
     * Predictions of every variant (stage index to atoms off; an empty map is the full model) in one
     * pass: the stages up to and including the first switched-off stage run once per batch and are
     * shared (switching off happens after encoding, so the encodings are the same for every variant).
     */
    static int[][] predict(Pipeline pipeline, Layer readout, ImageSet set, List<Map<Integer, int[]>> variants,
            Progress progress) {
        int first = pipeline.stages().size();
        for (Map<Integer, int[]> v : variants) {
            for (int s : v.keySet()) first = Math.min(first, s);
        }
        int shared = Math.min(first + 1, pipeline.stages().size());
        int[][] out = new int[variants.size()][set.size()];
        try (Progress.Task task = progress.task("ablation", set.size())) {
            set.source().forEachBatch(Pipeline.BATCH, (batch, offset) -> {
                INDArray x = batch;
                for (int s = 0; s < shared; s++) x = pipeline.stages().get(s).encode(x);
                for (int v = 0; v < variants.size(); v++) {
                    int[] atFirst = variants.get(v).get(shared - 1);
                    INDArray y = atFirst == null ? x : zeroChannels(x, atFirst);
                    for (int s = shared; s < pipeline.stages().size(); s++) {
                        y = pipeline.stages().get(s).encode(y);
                        int[] off = variants.get(v).get(s);
                        if (off != null) y = zeroChannels(y, off);
                    }
                    int[] p = Predictions.argmax(readout.encode(y));
                    System.arraycopy(p, 0, out[v], (int) offset, p.length);
                }
                task.step(batch.size(0));
            });
        }
        return out;
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
