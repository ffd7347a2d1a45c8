package org.glassbox.layers.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.io.Json;

/**
 * The report's table of the white-box model beside the black-box baselines, read from the
 * {@code "baselines"}, {@code "mcnemar"} and {@code "throughput"} parts of metrics.json (written by
 * {@code mnist --baselines} and {@code imagenet --baselines}): the same columns as the command's
 * summary, formatted for the report's template.
 */
final class BaselineTable {
    /**
     * One model's row, formatted: its name, test accuracy and 95% Wilson interval, training seconds,
     * training and test images per second ({@code -} when not measured), parameters, McNemar's p
     * against the white-box model ({@code -} for itself) and its recipe in one line.
     */
    record Row(String model, String accuracy, String low, String high, String trainSeconds, String trainImagesPerSecond,
               String imagesPerSecond, long parameters, String mcnemar, String recipe) {
    }

    /** How the images per second were measured (metrics.json's {@code "throughput"}). */
    record Throughput(int images, int inferenceBatch, int nd4jThreads, int blasThreads, int rounds) {
    }

    /** The rows, and how their speed was measured (null when metrics.json does not say). */
    record Table(List<Row> rows, Throughput throughput) {
    }

    private BaselineTable() {
    }

    /** The table, or null when {@code metricsJson} is null, not JSON, or has no baselines. */
    static Table read(String metricsJson) {
        if (metricsJson == null) return null;
        JsonNode metrics;
        try {
            metrics = Json.MAPPER.readTree(metricsJson);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode baselines = metrics.get("baselines");
        if (baselines == null || !baselines.isArray() || baselines.isEmpty()) return null;
        JsonNode mcnemar = metrics.path("mcnemar");
        List<Row> rows = new ArrayList<>();
        for (JsonNode e : baselines) {
            String name = e.path("name").asText();
            JsonNode ci = e.path("ci95");
            rows.add(new Row(name, Formats.percent(e.path("accuracy").asDouble()), Formats.percent(ci.path(0).asDouble()),
                    Formats.percent(ci.path(1).asDouble()), Formats.number(e.path("seconds_train").asDouble(), 1),
                    e.hasNonNull("train_images_per_second") ? Formats.number(e.get("train_images_per_second").asDouble(), 0) : "-",
                    Formats.number(e.path("images_per_second").asDouble(), 0), e.path("parameters").asLong(),
                    mcnemar.hasNonNull(name) ? String.format(java.util.Locale.ROOT, "%.3g", mcnemar.get(name).asDouble()) : "-",
                    recipe(e.path("recipe"))));
        }
        JsonNode t = metrics.get("throughput");
        return new Table(rows, t == null ? null : new Throughput(t.path("images").asInt(), t.path("inference_batch").asInt(),
                t.path("nd4j_threads").asInt(), t.path("blas_threads").asInt(), t.path("rounds").asInt()));
    }

    /** One line of a baseline's recipe: its layers, optimiser, rate schedule and augmentation; the white-box entry names its readout. */
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
            s.append("; ").append(o.path("name").asText()).append(" ").append(o.path("learning_rate").asDouble());
            JsonNode schedule = r.path("schedule");
            if (schedule.path("factor").asDouble(1) < 1) {
                s.append(", rate x").append(schedule.path("factor").asDouble()).append(" every ")
                        .append(schedule.path("every_epochs").asInt()).append(" epochs");
            }
            JsonNode a = r.path("augmentation");
            s.append(", batch ").append(r.path("batch_size").asInt()).append(", at most ")
                    .append(r.path("max_epochs").asInt()).append(" epochs, patience ").append(r.path("patience").asInt())
                    .append(", crops ").append(a.path("crops").asText())
                    .append(a.path("flips").asBoolean() ? " and flips" : "");
            if (a.path("translate").asInt() > 0) {
                s.append(", translations up to ").append(a.path("translate").asInt()).append(" px");
            }
            if (a.path("shifts").asInt() > 0) {
                s.append(", copies shifted up to ").append(a.path("shifts").asInt()).append(" px");
            }
            return s.toString();
        }
        return r.has("readout") ? r.get("readout").asText() + " readout of the stack in metrics.json" : "";
    }
}
