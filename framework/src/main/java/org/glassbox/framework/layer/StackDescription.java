package org.glassbox.framework.layer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.SafeName;

/**
 * The hyperparameters of a whole model before fitting: the pipeline's stages and the readouts,
 * each {@code {"id": ..., "kind": ..., "spec": {...}}} as in a model manifest, so a stack can be
 * written to JSON, edited and fitted again ({@code ./glassbox mnist --stack FILE}).
 *
 * @param stages the pipeline's stages in order
 * @param readouts the readouts fitted on the pipeline's output
 */
public record StackDescription(List<Pipeline.Stage> stages, List<Pipeline.Stage> readouts) {
    /**
     * @throws GlassboxException when there are no stages or two stages or readouts share an id
     */
    public StackDescription {
        stages = List.copyOf(stages);
        readouts = List.copyOf(readouts);
        if (stages.isEmpty()) {
            throw new GlassboxException("\"stages\" is empty (expected at least one stage)");
        }
        Set<String> ids = new HashSet<>();
        for (Pipeline.Stage s : concat(stages, readouts)) {
            if (!ids.add(s.id())) {
                throw new GlassboxException("stage id " + s.id() + " appears twice (expected unique ids)");
            }
        }
    }

    private static List<Pipeline.Stage> concat(List<Pipeline.Stage> a, List<Pipeline.Stage> b) {
        List<Pipeline.Stage> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Checks the whole stack against its training data before anything is fitted: the stages as
     * {@link Pipeline#check} does, then every readout against the stages' output shape and
     * {@code readoutSamples}, and that every readout scores the {@code classes} classes of the
     * labels (a readout's output is one score per class, {@code [1, 1, classes]}). A problem's
     * message starts with {@code data}, then names the stage, its kind and the hyperparameter.
     *
     * @param data the data's name for messages, such as its folder
     * @param input the shape of one training sample
     * @param samples how many training samples the stages are fitted on
     * @param readoutSamples how many training samples the readouts are fitted on
     * @param classes how many classes the training labels have
     * @return the shape of the pipeline's output, the readouts' input
     */
    public MapShape check(String data, MapShape input, long samples, long readoutSamples, int classes) {
        try {
            MapShape features = Pipeline.check(input, samples, stages);
            for (Pipeline.Stage r : readouts) {
                int scores = r.check(features, readoutSamples).channels();
                if (scores != classes) {
                    throw r.problem(new InvalidParameterException("classes", scores, "the " + classes
                            + " classes of the training labels"));
                }
            }
            return features;
        } catch (GlassboxException e) {
            throw new GlassboxException(data + ": " + e.getMessage(), e);
        }
    }

    /** The JSON form: {@code {"stages": [...], "readouts": [...]}}. */
    public JsonNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("stages", toJson(stages));
        root.set("readouts", toJson(readouts));
        return root;
    }

    private static ArrayNode toJson(List<Pipeline.Stage> list) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Pipeline.Stage s : list) {
            ObjectNode o = array.addObject();
            o.put("id", s.id());
            o.put("kind", s.spec().kind());
            o.set("spec", Json.MAPPER.valueToTree(s.spec()));
        }
        return array;
    }

    /** Reads a stack from a JSON file; every problem is reported with the file's name. */
    public static StackDescription read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found (expected a JSON stack description)");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new GlassboxException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            return fromJson(root);
        } catch (GlassboxException e) {
            throw new GlassboxException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the JSON form written by {@link #toJson()}. */
    public static StackDescription fromJson(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("stages").isArray()) {
            throw new GlassboxException("expected an object {\"stages\": [...], \"readouts\": [...]}");
        }
        Set<String> fields = new HashSet<>();
        root.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(Set.of("stages", "readouts"));
        if (!fields.isEmpty()) {
            throw new GlassboxException("unknown field '" + fields.iterator().next() + "' (expected stages and readouts)");
        }
        return new StackDescription(stagesOf(root.path("stages"), "stages"), stagesOf(root.path("readouts"), "readouts"));
    }

    private static List<Pipeline.Stage> stagesOf(JsonNode array, String field) {
        List<Pipeline.Stage> out = new ArrayList<>();
        if (array.isMissingNode()) return out;
        if (!array.isArray()) {
            throw new GlassboxException(field + ": expected a list [{\"id\": \"...\", \"kind\": \"...\", \"spec\": {...}}, ...]");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode s = array.get(i);
            String where = field + "[" + i + "]";
            if (!s.path("id").isTextual() || !s.path("kind").isTextual() || !s.path("spec").isObject()) {
                throw new GlassboxException(where + ": expected {\"id\": \"...\", \"kind\": \"...\", \"spec\": {...}}");
            }
            String id = s.get("id").asText();
            LayerKind kind;
            try {
                // the id first, so that no message below repeats an unsafe one
                SafeName.check("id", id);
                kind = LayerKind.named(s.get("kind").asText());
            } catch (GlassboxException e) {
                throw new GlassboxException(where + ": " + e.getMessage(), e);
            }
            try {
                out.add(new Pipeline.Stage(id, Json.MAPPER.treeToValue(s.get("spec"), kind.specType())));
            } catch (JsonProcessingException e) {
                throw new GlassboxException(Pipeline.Stage.describe(id, kind.kind()) + ": "
                        + (e.getCause() instanceof GlassboxException g ? g.getMessage() : Json.problem(e, "spec")));
            }
        }
        return out;
    }
}
