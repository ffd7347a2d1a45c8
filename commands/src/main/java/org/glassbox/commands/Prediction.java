package org.glassbox.commands;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.glassbox.framework.io.Json;

/**
 * One item as {@code predict} writes it: a CSV row under {@link #csvHeader} or one line of JSON
 * ({@code {"index", "file", "label", "predicted", "scores"}}; no {@code file} for items not read
 * from image files, no {@code label} for unlabelled items). Scores are written as Java writes a
 * float ({@link Float#toString}), so they read back to the same float32 values.
 *
 * @param index the item's position in the data, from 0
 * @param file the image file it was decoded from, or null
 * @param label its class label, or null when the data has none
 * @param predicted the class of highest score (the lowest index among ties)
 * @param scores {@code [classes]} the readout's score of every class
 */
record Prediction(int index, @JsonInclude(JsonInclude.Include.NON_NULL) String file,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Integer label, int predicted, float[] scores) {
    /** Jackson's writer of one-line JSON. */
    static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    /** The CSV header: {@code index[,file][,label],predicted,score_0,...,score_<classes-1>}. */
    static String csvHeader(boolean files, boolean labels, int classes) {
        StringBuilder sb = new StringBuilder("index");
        if (files) sb.append(",file");
        if (labels) sb.append(",label");
        sb.append(",predicted");
        for (int c = 0; c < classes; c++) sb.append(",score_").append(c);
        return sb.toString();
    }

    /** This item as a CSV row (a file name with a comma, a quote or a line break is quoted as RFC 4180 says). */
    String csv() {
        StringBuilder sb = new StringBuilder().append(index);
        if (file != null) sb.append(',').append(quoted(file));
        if (label != null) sb.append(',').append(label);
        sb.append(',').append(predicted);
        for (float s : scores) sb.append(',').append(s);
        return sb.toString();
    }

    /** This item as one line of JSON, without the line break. */
    String json() {
        try {
            return ONE_LINE.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a prediction is always serialisable", e);
        }
    }

    private static String quoted(String field) {
        boolean plain = field.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r');
        return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
    }
}
