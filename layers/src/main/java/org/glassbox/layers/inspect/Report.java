package org.glassbox.layers.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.eval.Predictions;
import org.glassbox.framework.inspect.Ablation;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.AtomIndex;
import org.glassbox.framework.inspect.AtomWeight;
import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.inspect.ScoreDecomposition;
import org.glassbox.framework.inspect.Span;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.io.AtomicFolder;
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
 * The self-contained HTML report of a fitted model: {@code <out>/report/index.html} and its
 * pictures in {@code <out>/report/img/}, with no network access needed. It holds the metrics (test
 * accuracy of every readout, per class for the linear one), the atlas of every sparse-coding layer,
 * the atom catalog ({@link AtomCatalog}), example explanations of correct and wrong test
 * predictions ({@link Explainer}: for a wrong one, the atoms that pushed the predicted class above
 * the true one and where on the input image they fire), and ablation results ({@link Ablation}). The
 * folder is written to a temporary name and renamed when complete.
 *
 * <p>The page's inline script records, once the page has loaded, how many images loaded and any
 * script or resource errors in the attributes of the element {@code #load-check}
 * ({@code data-state="done"}, {@code data-images}, {@code data-loaded}, {@code data-failed},
 * {@code data-errors}), so a headless browser's DOM dump shows whether the page is whole.
 */
public final class Report {
    /** The report's folder name inside the output folder. */
    public static final String FOLDER = "report";
    /** Top-activating inputs kept per atom. */
    public static final int TOP_INPUTS = 8;
    /** Correct and wrong examples explained (each). */
    public static final int EXAMPLES = 4;
    /** Atoms shown per explanation. */
    public static final int DRIVERS = 6;

    /** Active atoms an explanation names for each layer. */
    public static final int STRONGEST = 8;

    /** Atoms a layer's catalog lists besides those the page links to: its most used. */
    public static final int CATALOG_ATOMS = 256;
    /** Top contributors switched off per class, and candidates per class in the sweep. */
    public static final int ABLATED_PER_CLASS = 3;
    /** The most bytes of first-layer codes remembered between the report's passes over the test set ({@link MemoizedAtoms}). */
    public static final long MEMO_BYTES = 1L << 30;

    private Report() {
    }

    /**
     * Measures {@code model} on {@code test} and writes {@code outDir/report/}; embeds
     * {@code outDir/metrics.json} when it exists. Returns the report's {@code index.html}.
     */
    public static Path write(Model fitted, ImageSet test, Path outDir, Progress progress) {
        Model model = MemoizedAtoms.firstSparseStage(fitted, MEMO_BYTES);
        AtomIndex index = new AtomIndex(model.pipeline());
        AtomCatalog catalog = AtomCatalog.build(model.pipeline(), test, TOP_INPUTS, progress);
        INDArray features = model.pipeline().transformAll(test.source(), progress, "report: features");
        Map<String, int[]> predictions = new LinkedHashMap<>();
        for (Layer r : model.readouts()) predictions.put(r.id(), Predictions.argmax(r.encode(features)));
        Layer linear = model.readouts().stream().filter(r -> r instanceof ScoreDecomposition).findFirst().orElse(null);
        List<Explanation> examples = new ArrayList<>();
        List<Ablation.Result> classAblations = List.of();
        List<Ablation.ClassHarms> sweep = List.of();
        if (linear != null) {
            for (int i : pickExamples(test.labels(), predictions.get(linear.id()))) {
                examples.add(Explainer.explain(model, linear, test, i));
            }
            Ablation.Contributions contributions = Ablation.contributions(model, linear, test, progress);
            // no atoms when a stage that is not locally linear (pooling, embedding) follows the last sparse coding
            if (!contributions.top(index, 0, 1).isEmpty()) {
                List<List<String>> sets = new ArrayList<>();
                for (int c = 0; c < test.classes(); c++) sets.add(contributions.top(index, c, ABLATED_PER_CLASS));
                classAblations = Ablation.runAll(model, linear, test, sets, progress);
                sweep = Ablation.sweep(model, linear, test, contributions, ABLATED_PER_CLASS, progress);
            }
        }
        Path metrics = outDir.resolve("metrics.json");
        String embedded;
        try {
            embedded = Files.isRegularFile(metrics) ? Files.readString(metrics, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new GlassboxException(metrics + ": cannot read: " + e.getMessage(), e);
        }
        Path dir = outDir.resolve(FOLDER);
        List<Ablation.Result> ablations = classAblations;
        List<Ablation.ClassHarms> harms = sweep;
        AtomicFolder.write(dir, tmp -> {
            Files.createDirectories(tmp.resolve("img"));
            Page page = new Page(tmp, model, test, catalog, index);
            String html = page.render(predictions, linear, examples, ablations, harms, embedded);
            Files.writeString(tmp.resolve("index.html"), html, StandardCharsets.UTF_8);
        });
        return dir.resolve("index.html");
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

    /** Writes the pictures and assembles the HTML. */
    private static final class Page {
        private final Path folder;
        private final Model model;
        private final ImageSet test;
        private final AtomCatalog catalog;
        private final AtomIndex index;
        private final StringBuilder html = new StringBuilder();

        Page(Path folder, Model model, ImageSet test, AtomCatalog catalog, AtomIndex index) {
            this.folder = folder;
            this.model = model;
            this.test = test;
            this.catalog = catalog;
            this.index = index;
        }

        /** Writes {@code image} {@code [h, w(, c)]} to {@code img/<name>.png}; returns its {@code <img>} tag. */
        private String img(String name, INDArray image, Scaling scaling, int scale, String alt) {
            String file = "img/" + name + ".png";
            ImageRenderer.writePng(folder.resolve(file), image, scaling, scale);
            return "<img src=\"" + file + "\" width=\"" + image.size(1) * scale + "\" height=\"" + image.size(0) * scale
                    + "\" alt=\"" + Html.escape(alt) + "\">";
        }

        private String atlas(String name, List<INDArray> images, int columns, Scaling scaling, int scale, String alt) {
            String file = "img/" + name + ".png";
            java.awt.image.BufferedImage picture = AtlasRenderer.render(images, columns, scale, scaling);
            org.glassbox.framework.render.Png.write(folder.resolve(file), picture);
            return "<img src=\"" + file + "\" width=\"" + picture.getWidth() + "\" height=\"" + picture.getHeight()
                    + "\" alt=\"" + Html.escape(alt) + "\">";
        }

        private static Scaling scalingOf(AtomCatalog.LayerAtoms layer) {
            return "dictionary".equals(layer.imageSource()) ? Scaling.SYMMETRIC : Scaling.MIN_MAX;
        }

        private static int scaleFor(INDArray image, int pixels) {
            return Math.max(1, pixels / (int) Math.max(image.size(0), image.size(1)));
        }

        String render(Map<String, int[]> predictions, Layer linear, List<Explanation> examples,
                List<Ablation.Result> ablations, List<Ablation.ClassHarms> sweep, String metricsJson) {
            html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Glassbox report</title>\n")
                    .append(STYLE).append(SCRIPT).append("</head><body>\n")
                    .append("<h1>Glassbox report</h1>\n<p id=\"load-check\" data-state=\"loading\"></p>\n")
                    .append("<nav><a href=\"#metrics\">Metrics</a> <a href=\"#atlases\">Atlases</a> "
                            + "<a href=\"#catalog\">Atom catalog</a> <a href=\"#explanations\">Explanations</a> "
                            + "<a href=\"#ablation\">Ablation</a></nav>\n");
            metrics(predictions, linear, metricsJson);
            atlases();
            Set<String> linked = new HashSet<>();
            for (Explanation e : examples) {
                driversOf(e).forEach(c -> linked.add(c.atom()));
                e.layers().forEach(t -> strongest(t).forEach(a -> linked.add(a.atom())));
            }
            ablations.forEach(r -> linked.addAll(r.atoms()));
            sweep.forEach(h -> h.harms().forEach(harm -> linked.add(harm.atom())));
            catalogSection(linked);
            explanations(examples);
            ablation(linear, ablations, sweep);
            html.append("</body></html>\n");
            return html.toString();
        }

        private void metrics(Map<String, int[]> predictions, Layer linear, String metricsJson) {
            var p = model.provenance();
            html.append("<section id=\"metrics\"><h2>Metrics</h2>\n<p>Data: ").append(Html.escape(p.dataset()))
                    .append("; fitted on ").append(p.trainSamples()).append(" training images with seed ").append(p.seed())
                    .append("; measured on ").append(test.size()).append(" test images.</p>\n");
            html.append("<table><tr><th>stage</th><th>kind</th><th>input</th><th>output</th></tr>\n");
            for (Layer s : model.pipeline().stages()) {
                html.append("<tr><td>").append(Html.escape(s.id())).append("</td><td>").append(Html.escape(s.spec().kind()))
                        .append("</td><td>").append(s.inputShape()).append("</td><td>").append(s.outputShape()).append("</td></tr>\n");
            }
            html.append("</table>\n<h3>Test accuracy</h3>\n");
            if (predictions.isEmpty()) {
                html.append("<p>The model has no readout.</p>\n");
            } else {
                html.append("<table><tr><th>readout</th><th>accuracy</th></tr>\n");
                predictions.forEach((id, pred) -> html.append("<tr><td>").append(Html.escape(id)).append("</td><td>")
                        .append(Html.percent(Ablation.Accuracy.of(test.labels(), pred, test.classes()).overall())).append("</td></tr>\n"));
                html.append("</table>\n");
            }
            if (linear != null) {
                Ablation.Accuracy a = Ablation.Accuracy.of(test.labels(), predictions.get(linear.id()), test.classes());
                html.append("<h3>Per class (").append(Html.escape(linear.id())).append(")</h3>\n<table><tr><th>class</th>");
                for (int c = 0; c < test.classes(); c++) html.append("<th>").append(c).append("</th>");
                html.append("</tr><tr><td>accuracy</td>");
                for (double v : a.perClass()) html.append("<td>").append(Html.percent(v)).append("</td>");
                html.append("</tr></table>\n");
            }
            html.append("<h3>Layers</h3>\n<table><tr><th>layer</th><th>atoms</th><th>mean active atoms per position (test)</th>"
                    + "<th>atoms never active on the test set</th></tr>\n");
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                double active = layer.atoms().stream().mapToDouble(AtomCatalog.Atom::testUsage).sum();
                long dead = layer.atoms().stream().filter(a -> a.testUsage() == 0).count();
                html.append("<tr><td>").append(Html.escape(layer.prefix())).append("</td><td>").append(layer.atoms().size())
                        .append("</td><td>").append(Html.number(active, 2)).append("</td><td>").append(dead).append("</td></tr>\n");
            }
            html.append("</table>\n");
            html.append(BaselineTable.html(metricsJson));
            if (metricsJson != null) {
                html.append("<details><summary>metrics.json</summary><pre>").append(Html.escape(metricsJson)).append("</pre></details>\n");
            }
            html.append("</section>\n");
        }

        private void atlases() {
            html.append("<section id=\"atlases\"><h2>Atlases</h2>\n<p>Every atom in pixel space, most used first. "
                    + "Layer 1: each atom D<sub>k</sub> mapped back through the whitening's inverse C<sup>1/2</sup> "
                    + "(grey is 0, white positive, black negative). Deeper layers: by composition of the lower atoms each uses, "
                    + "weighted and placed at its grid position, where the stack allows; otherwise the average of the crops "
                    + "that activate the atom most.</p>\n");
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                INDArray images = catalog.images(layer.prefix());
                List<INDArray> list = new ArrayList<>();
                for (int k = 0; k < images.size(0); k++) list.add(images.slice(k));
                html.append("<h3>").append(Html.escape(layer.prefix())).append(" (").append(Html.escape(layer.imageSource()))
                        .append(")</h3>\n").append(atlas("atlas-" + Html.fileName(layer.prefix()), list,
                                AtlasRenderer.defaultColumns(list.size()), scalingOf(layer), scaleFor(list.get(0), 56),
                                "atlas of " + layer.prefix())).append("\n");
            }
            for (ManifoldLayer embedding : EmbeddingAtlas.embeddings(model.pipeline())) {
                List<INDArray> pictures = EmbeddingAtlas.pictures(model.pipeline(), embedding);
                html.append("<h3>").append(Html.escape(embedding.id())).append(": atoms by embedding dimension</h3>\n<p>One row per ")
                        .append("dimension of the embedding, slowest first: the ").append(EmbeddingAtlas.ATOMS_PER_DIMENSION)
                        .append(" atoms with the largest weight |P<sub>jk</sub>| in it, each drawn with the sign of its weight.</p>\n")
                        .append(atlas("atlas-" + Html.fileName(embedding.id()), pictures, EmbeddingAtlas.ATOMS_PER_DIMENSION,
                                Scaling.SYMMETRIC, scaleFor(pictures.get(0), 40), "atoms by dimension of " + embedding.id()))
                        .append("\n");
            }
            html.append("</section>\n");
        }

        /**
         * The catalog of every layer: its {@link #CATALOG_ATOMS} first atoms (the most used: atoms are
         * ordered by usage) and every atom in {@code linked}, which the page links to elsewhere.
         */
        private void catalogSection(Set<String> linked) {
            html.append("<section id=\"catalog\"><h2>Atom catalog</h2>\n<p>Usage: fraction of training vectors where the atom "
                    + "is active; test usage: fraction of test grid positions. Class distribution: share of the atom's activation "
                    + "mass on the test images of each class, bars scaled to the largest share (entropy in nats, 0 = one class only, ln C = no preference). "
                    + "Top inputs: the test images where it fires most, cropped to its receptive field. A layer with more than "
                    + CATALOG_ATOMS + " atoms lists its " + CATALOG_ATOMS + " most used and every atom this page links to; "
                    + "the atlas above shows them all.</p>\n");
            for (AtomCatalog.LayerAtoms layer : catalog.layers()) {
                INDArray images = catalog.images(layer.prefix());
                html.append("<h3>").append(Html.escape(layer.prefix())).append("</h3>\n<table class=\"catalog\"><tr><th>atom</th>"
                        + "<th>image</th><th>usage</th><th>test usage</th><th>top class</th><th>entropy</th>"
                        + "<th>class distribution</th><th>top inputs</th><th>built from</th></tr>\n");
                for (int k = 0; k < layer.atoms().size(); k++) {
                    AtomCatalog.Atom a = layer.atoms().get(k);
                    if (k >= CATALOG_ATOMS && !linked.contains(a.id())) continue;
                    String name = Html.fileName(a.id());
                    html.append("<tr id=\"").append(Html.anchor(a.id())).append("\"><td>").append(Html.escape(a.id())).append("</td><td>")
                            .append(img(name, images.slice(k), scalingOf(layer), scaleFor(images.slice(k), 48), a.id()))
                            .append("</td><td>").append(Html.percent(a.usage())).append("</td><td>").append(Html.percent(a.testUsage()))
                            .append("</td><td>").append(a.topClass() < 0 ? "-" : String.valueOf(a.topClass())).append("</td><td>")
                            .append(Html.number(a.entropy(), 2)).append("</td><td>").append(bars(a.classDistribution())).append("</td><td>");
                    if (!a.top().isEmpty()) {
                        List<INDArray> crops = new ArrayList<>();
                        int h = a.top().get(0).rows().length();
                        int w = a.top().get(0).columns().length();
                        StringBuilder labels = new StringBuilder();
                        for (AtomCatalog.TopInput t : a.top()) {
                            if (t.rows().length() == h && t.columns().length() == w) {
                                crops.add(AtomCatalog.crop(test, t));
                                labels.append(labels.length() == 0 ? "" : " ").append(t.label());
                            }
                        }
                        html.append(atlas(name + "-top", crops, crops.size(), Scaling.MIN_MAX, scaleFor(crops.get(0), 32),
                                "top inputs of " + a.id())).append("<br><small>classes: ").append(labels).append("</small>");
                    }
                    html.append("</td><td>");
                    for (AtomWeight wgt : a.builtFrom().subList(0, Math.min(5, a.builtFrom().size()))) {
                        html.append("<a href=\"#").append(Html.anchor(wgt.atom())).append("\">").append(Html.escape(wgt.atom()))
                                .append("</a> ").append(Html.number(wgt.weight(), 2)).append("<br>");
                    }
                    html.append("</td></tr>\n");
                }
                html.append("</table>\n");
            }
            html.append("</section>\n");
        }

        /** A small bar chart of a distribution over classes, one labelled bar per class, the largest 40 pixels high. */
        private static String bars(double[] q) {
            double max = 0;
            for (double v : q) max = Math.max(max, v);
            StringBuilder sb = new StringBuilder("<div class=\"bars\">");
            for (int c = 0; c < q.length; c++) {
                sb.append("<span title=\"class ").append(c).append(": ").append(Html.percent(q[c])).append("\"><i style=\"height:")
                        .append(Html.number(max > 0 ? 40 * q[c] / max : 0, 1)).append("px\"></i><b>").append(c).append("</b></span>");
            }
            return sb.append("</div>").toString();
        }

        private void explanations(List<Explanation> examples) {
            html.append("<section id=\"explanations\"><h2>Explanations</h2>\n");
            if (examples.isEmpty()) {
                html.append("<p>No linear readout: nothing to explain.</p></section>\n");
                return;
            }
            html.append("<p>Each class score is exactly the sum of one contribution per atom of the last layer plus a bias. "
                    + "For a wrong answer, the atoms listed are those with the largest contribution to the predicted class minus "
                    + "their contribution to the true class: the atoms that drove the wrong answer. The red "
                    + "overlay shows where on the image each one fires.</p>\n");
            for (Explanation e : examples) {
                boolean wrong = e.label() != e.predicted();
                String tag = "ex" + e.index();
                INDArray image = test.images().slice(e.index());
                html.append("<div class=\"example ").append(wrong ? "wrong" : "right").append("\"><h3>Test item ").append(e.index())
                        .append(": true ").append(e.label()).append(", predicted ").append(e.predicted()).append(wrong ? " (wrong)" : " (correct)")
                        .append("</h3>\n<div class=\"row\"><figure>").append(img(tag + "-input", image, Scaling.MIN_MAX, 4, "input"))
                        .append("<figcaption>input</figcaption></figure>");
                html.append("<table><tr><th>class</th><th>score</th><th>bias</th></tr>");
                for (int c = 0; c < e.scores().length; c++) {
                    html.append("<tr").append(c == e.predicted() ? " class=\"pred\"" : "").append("><td>").append(c).append("</td><td>")
                            .append(Html.number(e.scores()[c], 3)).append("</td><td>").append(Html.number(e.bias()[c], 3)).append("</td></tr>");
                }
                html.append("</table></div>\n");
                for (Explanation.LayerTrace t : e.layers()) {
                    html.append("<div class=\"row\"><b>").append(Html.escape(t.prefix())).append("</b> ");
                    if (t.input() != null) {
                        html.append("<figure>").append(img(tag + "-" + t.prefix() + "-in", t.input(), Scaling.MIN_MAX, 3, "layer input"))
                                .append("<figcaption>input (patch means removed)</figcaption></figure><figure>")
                                .append(img(tag + "-" + t.prefix() + "-recon", t.reconstruction(), Scaling.MIN_MAX, 3, "reconstruction"))
                                .append("<figcaption>reconstruction</figcaption></figure><figure>")
                                .append(img(tag + "-" + t.prefix() + "-res", t.residual(), Scaling.SYMMETRIC, 3, "residual"))
                                .append("<figcaption>residual</figcaption></figure>");
                    }
                    html.append("<p>").append(t.active().size()).append(" atoms active, ").append(Html.number(t.meanActive(), 2))
                            .append(" per position; relative residual ||r||/||x|| = ").append(Html.number(t.relativeError(), 3))
                            .append("<br>strongest: ");
                    for (Explanation.ActiveAtom a : strongest(t)) {
                        html.append("<a href=\"#").append(Html.anchor(a.atom())).append("\">").append(Html.escape(a.atom()))
                                .append("</a> ").append(Html.number(a.total(), 2)).append("; ");
                    }
                    html.append("</p></div>\n");
                }
                drivers(e, tag, image);
                html.append("</div>\n");
            }
            html.append("</section>\n");
        }

        /** The atoms that drove the decision, with their pictures and where they fire on the image. */
        private void drivers(Explanation e, String tag, INDArray image) {
            int p = e.predicted();
            int y = e.label();
            html.append("<p>").append(p == y ? "Atoms that contributed most to the predicted class " + p
                    : "Atoms that pushed " + p + " above the true class " + y + " (contribution to " + p + " minus to " + y + ")")
                    .append(":</p>\n<div class=\"row\">");
            for (Explanation.Contribution c : driversOf(e)) {
                double v = c.value()[p] - (p == y ? 0 : c.value()[y]);
                html.append("<figure>");
                AtomIndex.Ref ref = refOf(c.atom());
                if (ref != null) {
                    AtomCatalog.LayerAtoms layer = layerOf(ref);
                    INDArray atomImage = catalog.images(layer.prefix()).slice(ref.atom());
                    html.append("<a href=\"#").append(Html.anchor(c.atom())).append("\">")
                            .append(img(tag + "-" + Html.fileName(c.atom()), atomImage, scalingOf(layer), scaleFor(atomImage, 48), c.atom()))
                            .append("</a>");
                    Explanation.LayerTrace trace = e.layers().stream().filter(t -> t.prefix().equals(layer.prefix())).findFirst().orElse(null);
                    if (trace != null) {
                        html.append(img(tag + "-" + Html.fileName(c.atom()) + "-where", overlay(image, trace.codes(), ref), Scaling.MIN_MAX, 2,
                                "where " + c.atom() + " fires"));
                    }
                }
                html.append("<figcaption>").append(Html.escape(c.atom())).append(": ").append(Html.number(v, 3)).append("</figcaption></figure>");
            }
            html.append("</div>\n");
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

        private void ablation(Layer linear, List<Ablation.Result> ablations, List<Ablation.ClassHarms> sweep) {
            html.append("<section id=\"ablation\"><h2>Ablation</h2>\n");
            if (linear == null || ablations.isEmpty()) {
                html.append(linear == null ? "<p>No linear readout: no ablation.</p></section>\n"
                        : "<p>The readout's scores cannot be traced back to atoms (a stage other than pooling or an "
                        + "embedding follows the last sparse-coding layer): no per-atom ablation.</p></section>\n");
                return;
            }
            html.append("<p>Atoms are switched off by zeroing their codes after encoding; the readout ").append(Html.escape(linear.id()))
                    .append(" is <b>not</b> refitted. For each class: its ").append(ABLATED_PER_CLASS)
                    .append(" top contributors (largest mean contribution to its score on its test images) switched off together.</p>\n")
                    .append("<table><tr><th>class</th><th>atoms off</th><th>class accuracy before</th><th>after</th>"
                            + "<th>overall before</th><th>after</th></tr>\n");
            for (int c = 0; c < ablations.size(); c++) {
                Ablation.Result r = ablations.get(c);
                html.append("<tr><td>").append(c).append("</td><td>").append(Html.escape(String.join(", ", r.atoms()))).append("</td><td>")
                        .append(Html.percent(r.before().perClass()[c])).append("</td><td>").append(Html.percent(r.after().perClass()[c]))
                        .append("</td><td>").append(Html.percent(r.before().overall())).append("</td><td>")
                        .append(Html.percent(r.after().overall())).append("</td></tr>\n");
            }
            html.append("</table>\n<h3>Sweep: the single atoms whose removal hurts each class most</h3>\n"
                    + "<table><tr><th>class</th><th>accuracy</th><th>atom: drop in class accuracy</th></tr>\n");
            for (Ablation.ClassHarms h : sweep) {
                html.append("<tr><td>").append(h.label()).append("</td><td>").append(Html.percent(h.accuracy())).append("</td><td>");
                for (Ablation.Harm harm : h.harms()) {
                    html.append("<a href=\"#").append(Html.anchor(harm.atom())).append("\">").append(Html.escape(harm.atom()))
                            .append("</a>: ").append(Html.percent(harm.drop())).append("; ");
                }
                html.append("</td></tr>\n");
            }
            html.append("</table></section>\n");
        }
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

    private static final String STYLE = """
            <style>
            body { font-family: sans-serif; margin: 1.5em; color: #222; background: #fff; }
            nav a { margin-right: 1em; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: middle; font-size: 13px; }
            img { image-rendering: pixelated; vertical-align: middle; }
            .bars { display: flex; align-items: flex-end; height: 54px; }
            .bars span { display: flex; flex-direction: column; align-items: center; justify-content: flex-end; width: 12px; }
            .bars i { display: block; width: 9px; background: #3869b0; }
            .bars b { font-size: 9px; font-weight: normal; }
            .example { border: 1px solid #bbb; padding: 0.5em; margin: 1em 0; }
            .example.wrong { border-color: #c33; }
            .row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6em; }
            figure { margin: 0; text-align: center; }
            figcaption { font-size: 11px; }
            tr.pred { background: #fde9a8; }
            </style>
            """;

    private static final String SCRIPT = """
            <script>
            window.reportErrors = [];
            window.addEventListener('error', function (e) {
              window.reportErrors.push(e.message || (e.target && e.target.src) || e.type);
            }, true);
            window.addEventListener('load', function () {
              var images = document.images, loaded = 0, failed = [];
              for (var i = 0; i < images.length; i++) {
                if (images[i].complete && images[i].naturalWidth > 0) loaded++; else failed.push(images[i].getAttribute('src'));
              }
              var check = document.getElementById('load-check');
              check.setAttribute('data-images', String(images.length));
              check.setAttribute('data-loaded', String(loaded));
              check.setAttribute('data-failed', failed.join(' '));
              check.setAttribute('data-errors', String(window.reportErrors.length));
              check.setAttribute('data-state', 'done');
            });
            </script>
            """;
}
