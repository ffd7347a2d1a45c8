package org.glassbox.layers.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.glassbox.framework.io.Json;

/**
 * The report's table of the white-box model beside the black-box baselines, read from the
 * {@code "baselines"}, {@code "mcnemar"} and {@code "throughput"} parts of metrics.json (written by
 * {@code mnist --baselines} and {@code imagenet --baselines}): the same columns as the command's
 * summary.
 */
final class BaselineTable {
    private BaselineTable() {
    }

    /** The table's HTML, or the empty string when {@code metricsJson} is null or has no baselines. */
    static String html(String metricsJson) {
        if (metricsJson == null) return "";
        JsonNode metrics;
        try {
            metrics = Json.MAPPER.readTree(metricsJson);
        } catch (JsonProcessingException e) {
            return "";
        }
        JsonNode baselines = metrics.get("baselines");
        if (baselines == null || !baselines.isArray() || baselines.isEmpty()) return "";
        JsonNode mcnemar = metrics.path("mcnemar");
        StringBuilder html = new StringBuilder("<h3>Beside black-box baselines (same split, same test items)</h3>\n");
        html.append("<table><tr><th>model</th><th>test accuracy</th><th>95% interval (Wilson)</th><th>training s</th>"
                + "<th>training images/s</th><th>test images/s</th><th>parameters</th><th>McNemar p vs glassbox</th>"
                + "<th>recipe</th></tr>\n");
        for (JsonNode e : baselines) {
            String name = e.path("name").asText();
            JsonNode ci = e.path("ci95");
            html.append("<tr><td>").append(Html.escape(name)).append("</td><td>")
                    .append(Html.percent(e.path("accuracy").asDouble())).append("</td><td>[")
                    .append(Html.percent(ci.path(0).asDouble())).append(", ").append(Html.percent(ci.path(1).asDouble()))
                    .append("]</td><td>").append(Html.number(e.path("seconds_train").asDouble(), 1)).append("</td><td>")
                    .append(e.hasNonNull("train_images_per_second")
                            ? Html.number(e.get("train_images_per_second").asDouble(), 0) : "-")
                    .append("</td><td>").append(Html.number(e.path("images_per_second").asDouble(), 0))
                    .append("</td><td>").append(e.path("parameters").asLong()).append("</td><td>")
                    .append(mcnemar.hasNonNull(name) ? String.format(java.util.Locale.ROOT, "%.3g", mcnemar.get(name).asDouble()) : "-")
                    .append("</td><td>").append(recipe(e.path("recipe"))).append("</td></tr>\n");
        }
        html.append("</table>\n");
        JsonNode t = metrics.get("throughput");
        if (t != null) {
            html.append("<p>Images per second: every model in turn on the same ").append(t.path("images").asInt())
                    .append(" images, classified in batches of ").append(t.path("inference_batch").asInt())
                    .append(" and trained at its recipe's batch size, ND4J threads ").append(t.path("nd4j_threads").asInt())
                    .append(", OpenBLAS threads ").append(t.path("blas_threads").asInt()).append("; the median of ")
                    .append(t.path("rounds").asInt()).append(" rounds after a warm-up round.</p>\n");
        }
        return html.toString();
    }

    /** One line of a baseline's recipe: its layers and optimiser; the white-box entry names its readout. */
    private static String recipe(JsonNode r) {
        if (r.isMissingNode() || r.isNull()) return "";
        if (r.has("layers")) {
            StringBuilder s = new StringBuilder();
            for (JsonNode l : r.get("layers")) {
                if (s.length() > 0) s.append(", ");
                String type = l.path("type").asText();
                switch (type) {
                    case "conv" -> s.append("conv ").append(l.path("kernel").asInt()).append("x").append(l.path("kernel").asInt())
                            .append("x").append(l.path("size").asInt());
                    case "max_pool" -> s.append("max pool ").append(l.path("kernel").asInt());
                    default -> s.append(type).append(" ").append(l.path("size").asInt());
                }
            }
            JsonNode o = r.path("optimiser");
            s.append("; ").append(o.path("name").asText()).append(" ").append(o.path("learning_rate").asDouble())
                    .append(", batch ").append(r.path("batch_size").asInt()).append(", at most ")
                    .append(r.path("max_epochs").asInt()).append(" epochs, patience ").append(r.path("patience").asInt())
                    .append(", crops ").append(r.path("augmentation").path("crops").asText())
                    .append(r.path("augmentation").path("flips").asBoolean() ? " and flips" : "");
            return Html.escape(s.toString());
        }
        return r.has("readout") ? Html.escape(r.get("readout").asText() + " readout of the stack in metrics.json") : "";
    }
}
