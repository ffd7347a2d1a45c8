package org.glassbox.framework.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.SparseRows;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.HasAtoms;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The catalog of every atom of a pipeline, measured on a labelled image set (the test set): per
 * sparse-coding stage and atom, its pixel-space image, its usage, its class selectivity, the inputs
 * that activate it most with the crop where it fires, and the lower-layer atoms it is built from.
 *
 * <p>With a_k(i, p) the code of atom k at grid position p of image i (label y_i):
 * <ul>
 * <li>test usage = the fraction of (image, position) pairs with a_k(i, p) != 0 (the training
 * usage is the layer's own {@link HasAtoms#usage()});</li>
 * <li>activation mass of class c, m_kc = sum over images i with y_i = c and positions p of
 * |a_k(i, p)|; the class distribution is q_kc = m_kc / sum_c m_kc, its entropy
 * H_k = -sum_c q_kc ln q_kc lies in [0, ln C] (0: fires on one class only; ln C: no preference);
 * the top class is argmax_c q_kc. An atom that never fires on the set has the uniform
 * distribution, entropy ln C and top class -1;</li>
 * <li>the top inputs are the images with the largest max over positions of |a_k(i, p)|, each with
 * that position and its receptive field ({@link AtomIndex#field}) in input pixels.</li>
 * </ul>
 * Pixel images come from the pipeline's {@link Anatomy#atomImages}; where it has none, an atom's
 * image is the average of its top inputs' crops (those of the most common crop size).
 */
public final class AtomCatalog {
    /**
     * One of an atom's top-activating inputs.
     *
     * @param index the image's index in the set
     * @param label its class
     * @param activation max over positions of |a_k(i, p)|
     * @param row the grid row of that position in the stage's output
     * @param column the grid column
     * @param rows the input-pixel rows of its receptive field
     * @param columns the input-pixel columns
     */
    public record TopInput(int index, int label, double activation, int row, int column, Span rows, Span columns) {
    }

    /**
     * One atom's entry.
     *
     * @param id the atom id, such as {@code L1/a3}
     * @param usage the fraction of training vectors in which it was active (from the layer)
     * @param testUsage the fraction of test (image, position) pairs in which it is active
     * @param classDistribution q_kc, one per class, summing to 1
     * @param entropy H_k in nats, in [0, ln C]
     * @param topClass argmax q_kc, or -1 when the atom never fires on the set
     * @param top the top-activating inputs, largest activation first
     * @param builtFrom the lower-layer atoms it uses, largest weight first (empty on layer 1)
     */
    public record Atom(String id, double usage, double testUsage, double[] classDistribution, double entropy,
                       int topClass, List<TopInput> top, List<AtomWeight> builtFrom) {
    }

    /**
     * The catalog of one sparse-coding stage.
     *
     * @param prefix the atom prefix, such as {@code L1}
     * @param stage the stage id, such as {@code L1.code}
     * @param imageSource how the atom images were made: {@code "dictionary"} (mapped to pixels by the
     *                    {@link Anatomy}) or {@code "top-crops"} (average of the top inputs' crops)
     * @param atoms one entry per atom, in dictionary order (by usage)
     */
    public record LayerAtoms(String prefix, String stage, String imageSource, List<Atom> atoms) {
    }

    private final int classes;
    private final List<LayerAtoms> layers;
    private final Map<String, INDArray> images;

    private AtomCatalog(int classes, List<LayerAtoms> layers, Map<String, INDArray> images) {
        this.classes = classes;
        this.layers = List.copyOf(layers);
        this.images = Map.copyOf(images);
    }

    /** The number of classes of the set it was measured on. */
    public int classes() {
        return classes;
    }

    /** One catalog per sparse-coding stage, in pipeline order. */
    public List<LayerAtoms> layers() {
        return layers;
    }

    /** The atom images {@code [atoms, h, w, channels]} of the stage with atom prefix {@code prefix}. */
    public INDArray images(String prefix) {
        INDArray a = images.get(prefix);
        if (a == null) throw new GlassboxException("the catalog has no layer with atom prefix " + prefix);
        return a;
    }

    /** The crop {@code [h, w, channels]} of {@code set}'s image that {@code top} names (a copy). */
    public static INDArray crop(ImageSet set, TopInput top) {
        return set.images().get(NDArrayIndex.point(top.index()), NDArrayIndex.interval(top.rows().from(), top.rows().to()),
                NDArrayIndex.interval(top.columns().from(), top.columns().to()), NDArrayIndex.all()).dup('c');
    }

    /**
     * Measures every atom of {@code pipeline} on {@code set} in one streamed pass, keeping
     * {@code topCount} top inputs per atom.
     */
    public static AtomCatalog build(Pipeline pipeline, ImageSet set, int topCount, Progress progress) {
        return build(pipeline, set, topCount, progress, null);
    }

    /**
     * As {@link #build(Pipeline, ImageSet, int, Progress)}, and writes the pipeline's outputs of the
     * pass into {@code features} ({@code [set.size(), outputShape]}) when it is not null, so that a
     * caller who needs them does not run the set through the pipeline again.
     */
    public static AtomCatalog build(Pipeline pipeline, ImageSet set, int topCount, Progress progress, INDArray features) {
        if (topCount < 1) throw new InvalidParameterException("topCount", topCount, "at least 1");
        AtomIndex index = new AtomIndex(pipeline);
        Anatomy anatomy = Anatomy.of(pipeline);
        List<Integer> sparse = index.sparseStages();
        if (sparse.isEmpty()) {
            throw new GlassboxException("the model has no sparse-coding stage: there are no atoms to catalog");
        }
        int classes = set.classes();
        List<Stats> stats = new ArrayList<>();
        for (int s : sparse) stats.add(new Stats(index.atoms(s).atomCount(), classes, topCount));
        Map<String, Stats> byStage = new HashMap<>();
        for (int t = 0; t < sparse.size(); t++) byStage.put(pipeline.stages().get(sparse.get(t)).id(), stats.get(t));
        int[] labels = set.labels();
        try (Progress.Task task = progress.task("atom catalog", set.size())) {
            set.source().forEachBatch(pipeline.batchSize(), (batch, offset) -> {
                INDArray out = pipeline.transform(batch, (stage, input, codes) -> {
                    Stats st = byStage.get(stage.id());
                    if (st != null) st.add(codes, stage.outputShape(), labels, (int) offset);
                });
                if (features != null) {
                    features.get(NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all()).assign(out);
                }
                OffHeap.free(out, batch);
                task.step(batch.size(0));
            });
        }
        List<LayerAtoms> layers = new ArrayList<>();
        Map<String, INDArray> images = new LinkedHashMap<>();
        for (int t = 0; t < sparse.size(); t++) {
            int s = sparse.get(t);
            HasAtoms atoms = index.atoms(s);
            org.glassbox.framework.layer.Layer stage = pipeline.stages().get(s);
            List<Atom> entries = stats.get(t).entries(atoms, anatomy, index, s, labels);
            var pixel = anatomy.atomImages(s);
            images.put(atoms.atomPrefix(), pixel.orElseGet(() -> averageCrops(set, entries)));
            layers.add(new LayerAtoms(atoms.atomPrefix(), stage.id(), pixel.isPresent() ? "dictionary" : "top-crops", entries));
        }
        return new AtomCatalog(classes, layers, images);
    }

    /** Per atom, the mean of its top inputs' crops of the most common crop size; zeros when it has none. */
    private static INDArray averageCrops(ImageSet set, List<Atom> atoms) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Atom a : atoms) {
            for (TopInput t : a.top()) sizes.merge(t.rows().length() + "x" + t.columns().length(), 1, Integer::sum);
        }
        String common = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("1x1");
        int h = Integer.parseInt(common.substring(0, common.indexOf('x')));
        int w = Integer.parseInt(common.substring(common.indexOf('x') + 1));
        int c = set.shape().channels();
        INDArray out = Nd4j.create(DataType.FLOAT, atoms.size(), h, w, c);
        for (int k = 0; k < atoms.size(); k++) {
            int used = 0;
            for (TopInput t : atoms.get(k).top()) {
                if (t.rows().length() == h && t.columns().length() == w) {
                    out.slice(k).addi(crop(set, t).castTo(DataType.FLOAT));
                    used++;
                }
            }
            if (used > 0) out.slice(k).divi(used);
        }
        return out;
    }

    /** Running statistics of one stage's codes. */
    private static final class Stats {
        private final int atoms;
        private final int classes;
        private final int topCount;
        private final long[] active;
        private final double[][] mass;
        private final List<PriorityQueue<double[]>> top = new ArrayList<>();
        private long positions;
        private int gridW;

        Stats(int atoms, int classes, int topCount) {
            this.atoms = atoms;
            this.classes = classes;
            this.topCount = topCount;
            this.active = new long[atoms];
            this.mass = new double[atoms][classes];
            // entries {activation, image, position}; the root is the weakest kept (ties: later image weaker)
            Comparator<double[]> weakestFirst = Comparator.<double[]>comparingDouble(e -> e[0])
                    .thenComparing(e -> -e[1]);
            for (int k = 0; k < atoms; k++) top.add(new PriorityQueue<>(weakestFirst));
        }

        /** Adds the codes of one batch of maps of {@code shape}, as their non-zeros, one row per position. */
        void add(SparseRows codes, MapShape shape, int[] labels, int offset) {
            gridW = shape.gridW();
            int p = shape.positions();
            int n = codes.rows() / p;
            float[] best = new float[atoms];
            int[] where = new int[atoms];
            int[] touched = new int[atoms];
            for (int i = 0; i < n; i++) {
                int label = labels[offset + i];
                int count = 0;
                for (int pos = 0; pos < p; pos++) {
                    int r = i * p + pos;
                    for (int u = codes.start()[r]; u < codes.start()[r + 1]; u++) {
                        int k = codes.index()[u];
                        float a = Math.abs(codes.value()[u]);
                        if (a == 0) continue;
                        active[k]++;
                        mass[k][label] += a;
                        if (best[k] == 0) touched[count++] = k;
                        if (a > best[k]) {
                            best[k] = a;
                            where[k] = pos;
                        }
                    }
                }
                for (int t = 0; t < count; t++) {
                    int k = touched[t];
                    offer(top.get(k), new double[] {best[k], offset + i, where[k]});
                    best[k] = 0;
                }
            }
            positions += (long) n * p;
        }

        private void offer(PriorityQueue<double[]> q, double[] e) {
            if (q.size() < topCount) {
                q.add(e);
            } else if (q.comparator().compare(e, q.peek()) > 0) {
                q.poll();
                q.add(e);
            }
        }

        List<Atom> entries(HasAtoms layer, Anatomy anatomy, AtomIndex index, int stage, int[] labels) {
            float[] usage = layer.usage().dup('c').data().asFloat();
            List<Atom> out = new ArrayList<>();
            for (int k = 0; k < atoms; k++) {
                double total = 0;
                for (double m : mass[k]) total += m;
                double[] q = new double[classes];
                double entropy = 0;
                int topClass = -1;
                for (int c = 0; c < classes; c++) {
                    q[c] = total > 0 ? mass[k][c] / total : 1.0 / classes;
                    if (q[c] > 0) entropy -= q[c] * Math.log(q[c]);
                    if (total > 0 && (topClass < 0 || q[c] > q[topClass])) topClass = c;
                }
                entropy = Math.max(0, Math.min(Math.log(classes), entropy));
                List<double[]> kept = new ArrayList<>(top.get(k));
                kept.sort(top.get(k).comparator().reversed());
                List<TopInput> inputs = new ArrayList<>();
                for (double[] e : kept) {
                    int pos = (int) e[2];
                    int i = pos / gridW;
                    int j = pos % gridW;
                    Span[] field = index.field(stage, i, j);
                    inputs.add(new TopInput((int) e[1], labels[(int) e[1]], e[0], i, j, field[0], field[1]));
                }
                out.add(new Atom(layer.atomId(k), usage[k], positions == 0 ? 0 : (double) active[k] / positions, q,
                        entropy, topClass, inputs, anatomy.builtFrom(stage, k)));
            }
            return out;
        }
    }
}
