package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glassbox.framework.render.HtmlTemplate;
import org.junit.jupiter.api.Test;

/**
 * The report's template on pages built by hand, for the parts the fitted test models do not reach:
 * the baselines table read from metrics.json, a model without readouts, and readout scores that
 * cannot be traced back to atoms. ReportBrowserTest opens a whole report of a fitted model.
 */
class ReportTemplateTest {
    private static final String METRICS = """
            {"accuracy": {"linear": 0.983},
             "baselines": [
               {"name": "glassbox", "accuracy": 0.983, "ci95": [0.9763, 0.9878], "seconds_train": 53.4,
                "images_per_second": 367.2, "parameters": 114561, "recipe": {"readout": "linear", "stack": {}}},
               {"name": "lenet5", "accuracy": 0.979, "ci95": [0.9717, 0.9844], "seconds_train": 363.5,
                "images_per_second": 677.2, "parameters": 431080, "train_images_per_second": 237.4,
                "recipe": {"name": "lenet5", "layers": [
                    {"type": "conv", "size": 20, "kernel": 5, "stride": 1, "padding": 0, "activation": "relu"},
                    {"type": "max_pool", "kernel": 2, "stride": 2},
                    {"type": "output", "size": 10, "activation": "softmax"}],
                  "optimiser": {"name": "adam", "learning_rate": 0.001},
                  "schedule": {"type": "step", "factor": 0.1, "every_epochs": 10}, "batch_size": 64, "max_epochs": 30,
                  "patience": 3, "augmentation": {"crops": "none", "flips": true, "shifts": 1, "translate": 2}}}],
             "mcnemar": {"lenet5": 0.2159},
             "throughput": {"images": 2000, "inference_batch": 256, "rounds": 3, "nd4j_threads": 1, "blas_threads": 2}}
            """;

    private static String render(String metricsJson, ReportPage.AblationSection ablation) {
        ReportPage.Metrics metrics = new ReportPage.Metrics("digits <small> & co", 300, 7, 80,
                List.of(new ReportPage.StageRow("L1.code", "sparse-coding", "22x22x49", "22x22x12")), null, null, List.of(),
                BaselineTable.read(metricsJson), metricsJson);
        ReportPage page = new ReportPage(metrics, List.of(), List.of(), List.of(), new ReportPage.Catalog(256, List.of()), null,
                ablation, List.of());
        return HtmlTemplate.load(Report.class, "report.mustache").render(page);
    }

    @Test
    void baselinesAreOneRowPerModelWithTheSummaryColumns() {
        String html = render(METRICS, new ReportPage.AblationSection(true, null));
        assertTrue(html.contains("<tr><td>glassbox</td><td>98.30%</td><td>[97.63%, 98.78%]</td><td>53.4</td><td>-</td>"
                + "<td>367</td><td>114561</td><td>-</td><td>linear readout of the stack in metrics.json</td></tr>\n"), html);
        assertTrue(html.contains("<tr><td>lenet5</td><td>97.90%</td><td>[97.17%, 98.44%]</td><td>363.5</td><td>237</td>"
                + "<td>677</td><td>431080</td><td>0.216</td><td>conv 5x5x20, max pool 2, output 10; adam 0.001, "
                + "rate x0.1 every 10 epochs, batch 64, at most 30 epochs, patience 3, crops none and flips, "
                + "translations up to 2 px, copies shifted up to 1 px</td></tr>\n"), html);
        assertTrue(html.contains("<p>Images per second: every model in turn on the same 2000 images, classified in batches "
                + "of 256 and trained at its recipe's batch size, ND4J threads 1, OpenBLAS threads 2; the median of 3 rounds "
                + "after a warm-up round.</p>\n"), html);
        assertTrue(html.contains("<p>Data: digits &lt;small&gt; &amp; co; fitted on 300 training images with seed 7; "
                + "measured on 80 test images.</p>"), html);
        assertTrue(html.contains("<details><summary>metrics.json</summary><pre>{&quot;accuracy&quot;: {&quot;linear&quot;: 0.983},"),
                html);
    }

    @Test
    void withoutReadoutsThereIsNothingToExplainOrAblate() {
        String html = render(null, new ReportPage.AblationSection(true, null));
        assertTrue(html.contains("<h3>Test accuracy</h3>\n<p>The model has no readout.</p>\n<h3>Layers</h3>"), html);
        assertTrue(html.contains("<section id=\"explanations\"><h2>Explanations</h2>\n"
                + "<p>No linear readout: nothing to explain.</p></section>\n"), html);
        assertTrue(html.contains("<section id=\"ablation\"><h2>Ablation</h2>\n<p>No linear readout: no ablation.</p></section>\n"
                + "</body></html>\n"), html);
        assertTrue(!html.contains("baselines") && !html.contains("<details>"), html);
    }

    @Test
    void scoresThatDoNotReachTheAtomsAreSaidSo() {
        String html = render(null, new ReportPage.AblationSection(false, null));
        assertTrue(html.contains("<section id=\"ablation\"><h2>Ablation</h2>\n<p>The readout's scores cannot be traced back "
                + "to atoms (a stage other than pooling or an embedding follows the last sparse-coding layer): no per-atom "
                + "ablation.</p></section>\n</body></html>\n"), html);
    }

    @Test
    void noBaselinesWithoutTheirPartOfMetricsJson() {
        assertNull(BaselineTable.read(null));
        assertNull(BaselineTable.read("{\"accuracy\": {\"linear\": 0.9}}"));
        assertNull(BaselineTable.read("not json"));
    }
}
