package org.glassbox.layers.inspect;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomAttribution;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.AtomWeight;
import org.glassbox.framework.inspect.ChannelMaps;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.render.AtlasRenderer;
import org.glassbox.framework.render.ImageRenderer;
import org.glassbox.framework.render.Scaling;
import org.glassbox.layers.manifold.ManifoldLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the HTML report shows, measured and formatted, as records that the template
 * {@code report.mustache} lays out ({@link Report} writes both): the metrics, the atlas of every
 * sparse-coding layer, the atom catalog ({@link AtomCatalog}), example explanations of correct and
 * wrong test predictions ({@link Explainer}: for a wrong one, the atoms that pushed the predicted
 * class above the true one and where on the input image they fire) and ablation results
 * ({@link Ablation}). Numbers are formatted here; every picture the page shows is a
 * {@link Picture}, listed once in {@link #pictures}.
 *
 * @param metrics the data, the stages, the accuracies, the layers' activity and the baselines
 * @param atlases one atlas per sparse-coding layer
 * @param embeddings one atlas per manifold embedding whose input atoms have pixel pictures
 * @param branchChannels the linear readout's weights on each channel of the pipeline's branches
 * @param catalog the atom catalog
 * @param explanations the explained test items, or null without a linear readout
 * @param ablation the ablation results
 * @param pictures every picture of the page, to be written as {@code img/<name>.png}
 */
record ReportPage(Metrics metrics, List<LayerAtlas> atlases, List<EmbeddingAtlasView> embeddings,
                  List<BranchChannel> branchChannels, Catalog catalog, Explanations explanations,
                  AblationSection ablation, List<Picture> pictures) {
    /** Correct and wrong examples explained (each). */
    static final int EXAMPLES = 4;
    /** Atoms shown per explanation. */
    static final int DRIVERS = 6;
    /** Active atoms an explanation names for each layer. */
    static final int STRONGEST = 8;
    /** Atoms a layer's catalog lists besides those the page links to: its most used. */
    static final int CATALOG_ATOMS = 256;
    /** Top contributors switched off per class, and candidates per class in the sweep. */
    static final int ABLATED_PER_CLASS = 3;
    /** Lower atoms listed per catalog entry under "built from". */
    static final int BUILT_FROM_SHOWN = 5;

    /**
     * A picture of the page: {@code <img src width height alt>}, and the pixels to write there.
     *
     * @param src its path in the report folder, {@code img/<name>.png}
     * @param pixels the rendered picture
     */
    record Picture(String src, int width, int height, String alt, BufferedImage pixels) {
    }

    /** The metrics section; {@code perClass}, {@code baselines} and {@code metricsJson} may be null. */
    record Metrics(String dataset, long trainSamples, long seed, int testImages, List<StageRow> stages,
                   ReadoutTable readouts, PerClass perClass, List<LayerRow> layers, BaselineTable.Table baselines,
                   String metricsJson) {
    }

    /** One pipeline stage: id, kind, input and output shapes. */
    record StageRow(String id, String kind, String input, String output) {
    }

    /** The test accuracy of every readout (null when the model has none). */
    record ReadoutTable(List<Accuracy> rows) {
    }

    /** One readout's test accuracy. */
    record Accuracy(String readout, String accuracy) {
    }

    /** The per-class test accuracy of the linear readout {@code readout}. */
    record PerClass(String readout, List<Integer> classes, List<String> accuracies) {
    }

    /** One sparse-coding layer's activity on the test set. */
    record LayerRow(String prefix, int atoms, String meanActive, long neverActive) {
    }

    /** One sparse-coding layer's atlas: how its pictures were made and the atlas picture. */
    record LayerAtlas(String prefix, String imageSource, Picture picture) {
    }

    /** One manifold embedding's atlas, {@code atomsPerDimension} atoms per row. */
    record EmbeddingAtlasView(String id, int atomsPerDimension, Picture picture) {
    }

    /**
     * The linear readout's weights on one channel of a branch ({@link ChannelMaps#weights}): one map
     * per class on the branch's grid, each scaled to its own largest |weight|, which {@code largest}
     * lists class by class.
     */
    record BranchChannel(String name, String readout, String largest, Picture picture) {
    }

    /** The catalog section: {@code listed} atoms per layer besides the linked ones. */
    record Catalog(int listed, List<CatalogLayer> layers) {
    }

    /** One layer's catalog. */
    record CatalogLayer(String prefix, List<CatalogAtom> atoms) {
    }

    /**
     * One catalog entry; {@code top} is null for an atom that never fires.
     *
     * @param bars one bar per class, the largest share 40 pixels high
     */
    record CatalogAtom(String anchor, String id, Picture picture, String usage, String testUsage, String topClass,
                       String entropy, List<Bar> bars, TopInputs top, List<Link> builtFrom) {
    }

    /** One class's bar: its share of the atom's activation mass and the bar's height in pixels. */
    record Bar(int label, String share, String height) {
    }

    /** An atom's top inputs: their crops in one picture, and their classes. */
    record TopInputs(Picture picture, String classes) {
    }

    /** A link to an atom's catalog entry, with a number beside it. */
    record Link(String anchor, String atom, String value) {
    }

    /** The explained test items. */
    record Explanations(List<Example> examples) {
    }

    /** One explained test item. */
    record Example(boolean wrong, int index, int label, int predicted, Picture input, List<Score> scores,
                   List<Trace> layers, String driversHeading, List<Driver> drivers) {
    }

    /** One class's score and bias; {@code predicted} marks the predicted class. */
    record Score(int label, String score, String bias, boolean predicted) {
    }

    /** One layer's trace; {@code images} is null when the layer's input has no pixel picture. */
    record Trace(String prefix, TraceImages images, int active, String meanActive, String relativeError,
                 List<Link> strongest) {
    }

    /** A layer's input, reconstruction and residual in pixels. */
    record TraceImages(Picture input, Picture reconstruction, Picture residual) {
    }

    /**
     * One atom that drove a decision, with its value; {@code atom} (its picture, linked to its
     * entry) is null when the name is not an atom (an embedding dimension, a branch channel).
     * {@code where} is where an atom fires, or for a branch channel what each position of its grid
     * adds to the value ({@link ChannelMaps#contributions}); null for an embedding dimension and
     * when the explanation has no trace of the atom's layer.
     */
    record Driver(String name, String value, AtomPicture atom, Picture where) {
    }

    /** An atom's picture linked to its catalog entry. */
    record AtomPicture(String anchor, Picture picture) {
    }

    /**
     * The ablation section: {@code noReadout} without a linear readout; otherwise {@code table},
     * or null when the readout's scores cannot be traced back to atoms.
     */
    record AblationSection(boolean noReadout, AblationTable table) {
    }

    /** The ablation of each class's top contributors and the sweep of single atoms. */
    record AblationTable(String readout, int perClass, List<ClassAblation> classes, List<ClassSweep> sweep) {
    }

    /** One class's top contributors switched off together: its accuracy and the overall one, before and after. */
    record ClassAblation(int label, String atoms, String before, String after, String overallBefore, String overallAfter) {
    }

    /** One class's candidates, most harmful first, each with the drop of the class's accuracy. */
    record ClassSweep(int label, String accuracy, List<Link> harms) {
    }

    /**
     * Measures {@code fitted} on {@code test} (its first sparse stage's codes remembered between
     * passes, {@link MemoizedAtoms}, up to {@link Report#MEMO_BYTES}) and lays out the page;
     * {@code metricsJson} is the run's metrics.json, or null.
     */
    static ReportPage measure(Model fitted, ImageSet test, String metricsJson, Progress progress) {
        Model model = fitted.withMemoizedCodes(Report.MEMO_BYTES);
        INDArray features = Nd4j.create(DataType.FLOAT, model.pipeline().outputShape().batchShape(test.size()));
        AtomCatalog catalog = AtomCatalog.build(model.pipeline(), test, Report.TOP_INPUTS, progress, features);
        Map<String, int[]> predictions = new LinkedHashMap<>();
        for (Layer r : model.readouts()) predictions.put(r.id(), Predictions.argmax(r.encode(features)));
        Layer linear = model.readouts().stream().filter(r -> r instanceof ScoreDecomposition).findFirst().orElse(null);
        AtomIndex index = new AtomIndex(model.pipeline());
        List<Explanation> examples = new ArrayList<>();
        List<Ablation.Result> classAblations = List.of();
        List<Ablation.ClassHarms> sweep = List.of();
        if (linear != null) {
            for (int i : pickExamples(test.labels(), predictions.get(linear.id()))) {
                examples.add(Explainer.explain(model.pipeline(), linear, test, i));
            }
            Ablation.Contributions contributions = Ablation.contributions(model.pipeline(), linear, test, progress);
            // no atoms when a stage that is not locally linear (pooling, embedding) follows the last sparse coding
            if (!contributions.top(index, 0, 1).isEmpty()) {
                List<List<String>> sets = new ArrayList<>();
                for (int c = 0; c < test.classes(); c++) sets.add(contributions.top(index, c, ABLATED_PER_CLASS));
                classAblations = Ablation.runAll(model.pipeline(), linear, test, sets, progress);
                sweep = Ablation.sweep(model.pipeline(), linear, test, contributions, ABLATED_PER_CLASS, progress);
            }
        }
        return new Layout(model, test, catalog, index).page(predictions, linear, examples, classAblations, sweep, metricsJson);
    }

    /** The first {@link #EXAMPLES} wrong predictions and the first correct prediction of each of up to {@link #EXAMPLES} classes. */
    static List<Integer> pickExamples(int[] labels, int[] predicted) {
        List<Integer> wrong = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        boolean[] seen = new boolean[Math.max(1, java.util.Arrays.stream(labels).max().orElse(0) + 1)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != predicted[i]) {
                if (wrong.size() < EXAMPLES) wrong.add(i);
            } else if (right.size() < EXAMPLES && !seen[labels[i]]) {
                seen[labels[i]] = true;
                right.add(i);
            }
        }
        List<Integer> out = new ArrayList<>(wrong);
        out.addAll(right);
        return out;
    }

    /**
     * The {@link #DRIVERS} atoms that drove the decision of {@code e}: the largest contribution to
     * the predicted class, minus the contribution to the true class when the prediction is wrong.
     */
    static List<Explanation.Contribution> driversOf(Explanation e) {
        int p = e.predicted();
        int y = e.label();
        List<Explanation.Contribution> order = new ArrayList<>(e.contributions());
        order.sort((a, b) -> Double.compare(b.value()[p] - (p == y ? 0 : b.value()[y]), a.value()[p] - (p == y ? 0 : a.value()[y])));
        return order.subList(0, Math.min(DRIVERS, order.size()));
    }

    /** The {@link #STRONGEST} atoms of one layer's trace that an explanation names, strongest first. */
    static List<Explanation.ActiveAtom> strongest(Explanation.LayerTrace t) {
        return t.active().subList(0, Math.min(STRONGEST, t.active().size()));
    }

    /** Lays out the measured results as the page's records, rendering each picture once. */
    private static final class Layout {
        private final Model model;
        private final ImageSet test;
        private final AtomCatalog catalog;
        private final AtomIndex index;
        /**
         * The channels of the pipeline's branches that come from no atoms (such as pooled pixels;
         * {@link AtomAttribution#branchStage}) by name, with their index in the readout's input.
         */
        private final Map<String, Integer> branchChannels = new LinkedHashMap<>();
        private final List<Picture> pictures = new ArrayList<>();

        Layout(Model model, ImageSet test, AtomCatalog catalog, AtomIndex index) {
            this.model = model;
            this.test = test;
            this.catalog = catalog;
            this.index = index;
            List<String> names = index.outputChannelNames();
            Pipeline pipeline = model.pipeline();
            int k = pipeline.stagesOutputShape().channels();
            for (int b = 0; b < pipeline.branches().size(); b++) {
                int width = pipeline.branches().get(b).outputShape().channels();
                if (AtomAttribution.branchStage(pipeline, b).isEmpty()) {
                    for (int j = k; j < k + width; j++) branchChannels.put(names.get(j), j);
                }
                k += width;
            }
        }

        ReportPage page(Map<String, int[]> predictions, Layer linear, List<Explanation> examples,
                List<Ablation.Result> ablations, List<Ablation.ClassHarms> sweep, String metricsJson) {
            Metrics metrics = metrics(predictions, linear, metricsJson);
            List<LayerAtlas> atlases = atlases();
            List<EmbeddingAtlasView> embeddings = embeddings();
            List<BranchChannel> branchMaps = branchWeightMaps(linear);
            Set<String> linked = new HashSet<>();
            for (Explanation e : examples) {
                driversOf(e).forEach(c -> linked.add(c.atom()));
                e.layers().forEach(t -> strongest(t).forEach(a -> linked.add(a.atom())));
            }
            ablations.forEach(r -> linked.addAll(r.atoms()));
            sweep.forEach(h -> h.harms().forEach(harm -> linked.add(harm.atom())));
            Catalog catalogSection = catalog(linked);
            List<Example> explained = examples.stream().map(e -> example(e, (ScoreDecomposition) linear)).toList();
            return new ReportPage(metrics, atlases, embeddings, branchMaps, catalogSection,
                    explained.isEmpty() ? null : new Explanations(explained), ablation(linear, ablations, sweep),
                    List.copyOf(pictures));
        }

        /** A picture of {@code image} {@code [h, w(, c)]} at {@code img/<name>.png}. */
        private Picture picture(String name, INDArray image, Scaling scaling, int scale, String alt) {
            return add(name, ImageRenderer.render(image, scaling, scale), alt);
        }

        /** An atlas of {@code images} in {@code columns} columns at {@code img/<name>.png}. */
        private Picture atlas(String name, List<INDArray> images, int columns, Scaling scaling, int scale, String alt) {
            return add(name, AtlasRenderer.render(images, columns, scale, scaling), alt);
        }

        private Picture add(String name, BufferedImage pixels, String alt) {
            Picture p = new Picture("img/" + name + ".png", pixels.getWidth(), pixels.getHeight(), alt, pixels);
            pictures.add(p);
            return p;
        }

        private static Scaling scalingOf(AtomCatalog.LayerAtoms layer) {
            return "dictionary".equals(layer.imageSource()) ? Scaling.SYMMETRIC : Scaling.MIN_MAX;
        }

        private static int scaleFor(INDArray image, int pixels) {
            return Math.max(1, pixels / (int) Math.max(image.size(0), image.size(1)));
        }

        private Metrics metrics(Map<String, int[]> predictions, Layer linear, String metricsJson) {
            var p = model.provenance();
            List<StageRow> stages = model.pipeline().allStages().stream().map(s -> new StageRow(s.id(), s.spec().kind(),
                    s.inputShape().toString(), s.outputShape().toString())).toList();
            List<Accuracy> accuracies = new ArrayList<>();
            predictions.forEach((id, pred) -> accuracies.add(new Accuracy(id,
                    Formats.percent(Ablation.Accuracy.of(test.labels(), pred, test.classes()).overall()))));
            PerClass perClass = null;
            if (linear != null) {
                Ablation.Accuracy a = Ablation.Accuracy.of(test.labels(), predictions.get(linear.id()), test.classes());
                perClass = new PerClass(linear.id(), IntStream.range(0, test.classes()).boxed().toList(),
                        java.util.Arrays.stream(a.perClass()).mapToObj(Formats::percent).toList());
            }
            List<LayerRow> layers = new ArrayList<>();
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                double active = layer.atoms().stream().mapToDouble(AtomCatalog.Atom::testUsage).sum();
                long dead = layer.atoms().stream().filter(a -> a.testUsage() == 0).count();
                layers.add(new LayerRow(layer.prefix(), layer.atoms().size(), Formats.number(active, 2), dead));
            }
            return new Metrics(p.dataset(), p.trainSamples(), p.seed(), test.size(), stages,
                    accuracies.isEmpty() ? null : new ReadoutTable(accuracies), perClass, layers,
                    BaselineTable.read(metricsJson), metricsJson);
        }

        private List<LayerAtlas> atlases() {
            List<LayerAtlas> out = new ArrayList<>();
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                INDArray images = catalog.images(layer.prefix());
                List<INDArray> list = new ArrayList<>();
                for (int k = 0; k < images.size(0); k++) list.add(images.slice(k));
                out.add(new LayerAtlas(layer.prefix(), layer.imageSource(), atlas("atlas-" + Formats.fileName(layer.prefix()),
                        list, AtlasRenderer.defaultColumns(list.size()), scalingOf(layer), scaleFor(list.get(0), 56),
                        "atlas of " + layer.prefix())));
            }
            return out;
        }

        private List<EmbeddingAtlasView> embeddings() {
            List<EmbeddingAtlasView> out = new ArrayList<>();
            for (ManifoldLayer embedding : EmbeddingAtlas.embeddings(model.pipeline())) {
                List<INDArray> pictures = EmbeddingAtlas.pictures(model.pipeline(), embedding);
                out.add(new EmbeddingAtlasView(embedding.id(), EmbeddingAtlas.ATOMS_PER_DIMENSION,
                        atlas("atlas-" + Formats.fileName(embedding.id()), pictures, EmbeddingAtlas.ATOMS_PER_DIMENSION,
                                Scaling.SYMMETRIC, scaleFor(pictures.get(0), 40), "atoms by dimension of " + embedding.id())));
            }
            return out;
        }

        private List<BranchChannel> branchWeightMaps(Layer linear) {
            if (!(linear instanceof ScoreDecomposition readout)) return List.of();
            List<BranchChannel> out = new ArrayList<>();
            branchChannels.forEach((name, k) -> {
                INDArray weights = ChannelMaps.weights(readout, k);
                List<INDArray> maps = new ArrayList<>();
                List<String> largest = new ArrayList<>();
                for (int c = 0; c < weights.size(0); c++) {
                    maps.add(weights.slice(c));
                    largest.add(c + ": " + Formats.number(Math.abs(weights.slice(c).amaxNumber().doubleValue()), 3));
                }
                Picture picture = atlas("weights-" + Formats.fileName(name), maps, maps.size(), Scaling.SYMMETRIC,
                        scaleFor(maps.get(0), 60), linear.id() + " weights on " + name);
                out.add(new BranchChannel(name, linear.id(), String.join(", ", largest), picture));
            });
            return out;
        }

        /**
         * The catalog of every layer: its {@link #CATALOG_ATOMS} first atoms (the most used: atoms are
         * ordered by usage) and every atom in {@code linked}, which the page links to elsewhere.
         */
        private Catalog catalog(Set<String> linked) {
            List<CatalogLayer> layers = new ArrayList<>();
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                INDArray images = catalog.images(layer.prefix());
                List<CatalogAtom> atoms = new ArrayList<>();
                for (int k = 0; k < layer.atoms().size(); k++) {
                    AtomCatalog.Atom a = layer.atoms().get(k);
                    if (k >= CATALOG_ATOMS && !linked.contains(a.id())) continue;
                    String name = Formats.fileName(a.id());
                    Picture picture = picture(name, images.slice(k), scalingOf(layer), scaleFor(images.slice(k), 48), a.id());
                    TopInputs top = null;
                    if (!a.top().isEmpty()) {
                        List<INDArray> crops = new ArrayList<>();
                        int h = a.top().get(0).rows().length();
                        int w = a.top().get(0).columns().length();
                        List<String> labels = new ArrayList<>();
                        for (AtomCatalog.TopInput t : a.top()) {
                            if (t.rows().length() == h && t.columns().length() == w) {
                                crops.add(AtomCatalog.crop(test, t));
                                labels.add(String.valueOf(t.label()));
                            }
                        }
                        top = new TopInputs(atlas(name + "-top", crops, crops.size(), Scaling.MIN_MAX, scaleFor(crops.get(0), 32),
                                "top inputs of " + a.id()), String.join(" ", labels));
                    }
                    List<Link> builtFrom = new ArrayList<>();
                    for (AtomWeight w : a.builtFrom().subList(0, Math.min(BUILT_FROM_SHOWN, a.builtFrom().size()))) {
                        builtFrom.add(new Link(Formats.anchor(w.atom()), w.atom(), Formats.number(w.weight(), 2)));
                    }
                    atoms.add(new CatalogAtom(Formats.anchor(a.id()), a.id(), picture, Formats.percent(a.usage()),
                            Formats.percent(a.testUsage()), a.topClass() < 0 ? "-" : String.valueOf(a.topClass()),
                            Formats.number(a.entropy(), 2), bars(a.classDistribution()), top, builtFrom));
                }
                layers.add(new CatalogLayer(layer.prefix(), atoms));
            }
            return new Catalog(CATALOG_ATOMS, layers);
        }

        /** One bar per class of a distribution over classes, the largest 40 pixels high. */
        private static List<Bar> bars(double[] q) {
            double max = 0;
            for (double v : q) max = Math.max(max, v);
            List<Bar> bars = new ArrayList<>();
            for (int c = 0; c < q.length; c++) {
                bars.add(new Bar(c, Formats.percent(q[c]), Formats.number(max > 0 ? 40 * q[c] / max : 0, 1)));
            }
            return bars;
        }

        private Example example(Explanation e, ScoreDecomposition readout) {
            boolean wrong = e.label() != e.predicted();
            String tag = "ex" + e.index();
            INDArray image = test.images().slice(e.index());
            Picture input = picture(tag + "-input", image, Scaling.MIN_MAX, 4, "input");
            List<Score> scores = new ArrayList<>();
            for (int c = 0; c < e.scores().length; c++) {
                scores.add(new Score(c, Formats.number(e.scores()[c], 3), Formats.number(e.bias()[c], 3), c == e.predicted()));
            }
            List<Trace> traces = new ArrayList<>();
            for (Explanation.LayerTrace t : e.layers()) {
                TraceImages images = t.input() == null ? null : new TraceImages(
                        picture(tag + "-" + t.prefix() + "-in", t.input(), Scaling.MIN_MAX, 3, "layer input"),
                        picture(tag + "-" + t.prefix() + "-recon", t.reconstruction(), Scaling.MIN_MAX, 3, "reconstruction"),
                        picture(tag + "-" + t.prefix() + "-res", t.residual(), Scaling.SYMMETRIC, 3, "residual"));
                List<Link> strongest = strongest(t).stream()
                        .map(a -> new Link(Formats.anchor(a.atom()), a.atom(), Formats.number(a.total(), 2))).toList();
                traces.add(new Trace(t.prefix(), images, t.active().size(), Formats.number(t.meanActive(), 2),
                        Formats.number(t.relativeError(), 3), strongest));
            }
            int p = e.predicted();
            int y = e.label();
            String heading = p == y ? "Atoms that contributed most to the predicted class " + p
                    : "Atoms that pushed " + p + " above the true class " + y + " (contribution to " + p + " minus to " + y + ")";
            return new Example(wrong, e.index(), y, p, input, scores, traces, heading, drivers(e, readout, tag, image));
        }

        /** The atoms that drove the decision, with their pictures and where they fire on the image. */
        private List<Driver> drivers(Explanation e, ScoreDecomposition readout, String tag, INDArray image) {
            int p = e.predicted();
            int y = e.label();
            INDArray features = null;
            List<Driver> out = new ArrayList<>();
            for (Explanation.Contribution c : driversOf(e)) {
                double v = c.value()[p] - (p == y ? 0 : c.value()[y]);
                AtomPicture atom = null;
                Picture where = null;
                AtomIndex.Ref ref = refOf(c.atom());
                if (ref != null) {
                    AtomCatalog.LayerAtoms layer = layerOf(ref);
                    INDArray atomImage = catalog.images(layer.prefix()).slice(ref.atom());
                    atom = new AtomPicture(Formats.anchor(c.atom()), picture(tag + "-" + Formats.fileName(c.atom()), atomImage,
                            scalingOf(layer), scaleFor(atomImage, 48), c.atom()));
                    Explanation.LayerTrace trace = e.layers().stream().filter(t -> t.prefix().equals(layer.prefix())).findFirst().orElse(null);
                    if (trace != null) {
                        where = picture(tag + "-" + Formats.fileName(c.atom()) + "-where", overlay(image, trace.codes(), ref),
                                Scaling.MIN_MAX, 2, "where " + c.atom() + " fires");
                    }
                } else if (branchChannels.containsKey(c.atom())) {
                    if (features == null) {
                        features = model.pipeline().transform(image.reshape(1, image.size(0), image.size(1), image.size(2)));
                    }
                    INDArray map = ChannelMaps.contributions(readout, features, branchChannels.get(c.atom()), p, y);
                    where = picture(tag + "-" + Formats.fileName(c.atom()) + "-where", map, Scaling.SYMMETRIC, scaleFor(map, 56),
                            "what each position of " + c.atom() + " adds");
                }
                out.add(new Driver(c.atom(), Formats.number(v, 3), atom, where));
            }
            return out;
        }

        private AtomIndex.Ref refOf(String atom) {
            try {
                return index.resolve(atom);
            } catch (GlassboxException notAnAtom) {
                return null;
            }
        }

        private AtomCatalog.LayerAtoms layerOf(AtomIndex.Ref ref) {
            String prefix = index.atoms(ref.stage()).atomPrefix();
            return catalog.layers().stream().filter(l -> l.prefix().equals(prefix)).findFirst().orElseThrow();
        }

        /**
         * The input image in grey with the atom's activation in red: each grid position's |code| spread over
         * its receptive field, scaled to the largest value; {@code [H, W, 3]}.
         */
        private INDArray overlay(INDArray image, INDArray codes, AtomIndex.Ref ref) {
            int h = (int) image.size(0);
            int w = (int) image.size(1);
            float[] heat = new float[h * w];
            int gh = (int) codes.size(0);
            int gw = (int) codes.size(1);
            float[] v = codes.dup('c').data().asFloat();
            int k = (int) codes.size(2);
            for (int i = 0; i < gh; i++) {
                for (int j = 0; j < gw; j++) {
                    float a = Math.abs(v[(i * gw + j) * k + ref.atom()]);
                    if (a == 0) continue;
                    Span[] f = index.field(ref.stage(), i, j);
                    for (int r = f[0].from(); r < f[0].to(); r++) {
                        for (int c = f[1].from(); c < f[1].to(); c++) heat[r * w + c] += a;
                    }
                }
            }
            float max = 0;
            for (float x : heat) max = Math.max(max, x);
            float[] d = image.castTo(DataType.FLOAT).dup('c').data().asFloat();
            int channels = (int) image.size(2);
            float[] rgb = new float[h * w * 3];
            for (int t = 0; t < h * w; t++) {
                float g = 0.45f * d[t * channels];
                float r = max > 0 ? heat[t] / max : 0;
                rgb[t * 3] = Math.min(1f, g + 0.55f * r);
                rgb[t * 3 + 1] = g;
                rgb[t * 3 + 2] = g;
            }
            return Nd4j.create(rgb, new long[] {h, w, 3}, 'c');
        }

        private AblationSection ablation(Layer linear, List<Ablation.Result> ablations, List<Ablation.ClassHarms> sweep) {
            if (linear == null) return new AblationSection(true, null);
            if (ablations.isEmpty()) return new AblationSection(false, null);
            List<ClassAblation> classes = new ArrayList<>();
            for (int c = 0; c < ablations.size(); c++) {
                Ablation.Result r = ablations.get(c);
                classes.add(new ClassAblation(c, String.join(", ", r.atoms()), Formats.percent(r.before().perClass()[c]),
                        Formats.percent(r.after().perClass()[c]), Formats.percent(r.before().overall()),
                        Formats.percent(r.after().overall())));
            }
            List<ClassSweep> rows = new ArrayList<>();
            for (Ablation.ClassHarms h : sweep) {
                List<Link> harms = h.harms().stream()
                        .map(harm -> new Link(Formats.anchor(harm.atom()), harm.atom(), Formats.percent(harm.drop()))).toList();
                rows.add(new ClassSweep(h.label(), Formats.percent(h.accuracy()), harms));
            }
            return new AblationSection(false, new AblationTable(linear.id(), ABLATED_PER_CLASS, classes, rows));
        }
    }
}
