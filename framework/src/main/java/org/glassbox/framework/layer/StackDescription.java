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
 * The hyperparameters of a whole model before fitting: the pipeline's stages, its branches and
 * the readouts, each {@code {"id": ..., "kind": ..., "spec": {...}}} as in a model manifest, so a
 * stack can be written to JSON, edited and fitted again ({@code ./glassbox mnist --stack FILE}).
 *
 * @param stages the pipeline's stages in order
 * @param branches the branches beside the stages, each a list of stages reading the pipeline's
 *     input or the output of one of the stages, whose output joins the last stage's as more
 *     channels on the same grid ({@link Pipeline})
 * @param readouts the readouts fitted on the pipeline's output
 */
public record StackDescription(List<Pipeline.Stage> stages, List<Pipeline.Branch> branches,
                               List<ReadoutStage> readouts) {
    /**
     * @throws GlassboxException when there are no stages, a branch has none or reads a stage that
     *     is not among the stages, or two stages or readouts share an id
     */
    public StackDescription {
        stages = List.copyOf(stages);
        branches = List.copyOf(branches);
        readouts = List.copyOf(readouts);
        if (stages.isEmpty()) {
            throw new GlassboxException("\"stages\" is empty (expected at least one stage)");
        }
        for (int b = 0; b < branches.size(); b++) {
            if (branches.get(b).stages().isEmpty()) {
                throw new GlassboxException("branches[" + b + "] is empty (expected at least one stage)");
            }
            try {
                branches.get(b).reads(stages);
            } catch (GlassboxException e) {
                throw new GlassboxException("branches[" + b + "].from: " + e.getMessage(), e);
            }
        }
        Set<String> ids = new HashSet<>();
        List<String> all = new ArrayList<>();
        stages.forEach(s -> all.add(s.id()));
        branches.forEach(b -> b.stages().forEach(s -> all.add(s.id())));
        readouts.forEach(r -> all.add(r.id()));
        for (String id : all) {
            if (!ids.add(id)) {
                throw new GlassboxException("stage id " + id + " appears twice (expected unique ids)");
            }
        }
    }

    /** A stack without branches. */
    public StackDescription(List<Pipeline.Stage> stages, List<ReadoutStage> readouts) {
        this(stages, List.of(), readouts);
    }

    /**
     * A named readout to fit on the pipeline's output: its id (such as {@code linear}) and its spec.
     *
     * @throws org.glassbox.framework.error.InvalidParameterException when the id is not a
     *     {@link SafeName}: it names the readout's array files
     */
    public record ReadoutStage(String id, ReadoutSpec spec) {
        public ReadoutStage {
            SafeName.check("id", id);
        }

        /** {@link ReadoutSpec#check} of the spec; a problem's message names this readout. */
        public MapShape check(MapShape input, long samples) {
            return Pipeline.Stage.checkComponent(id, spec, input, samples);
        }

        /** An exception whose message is {@code e}'s prefixed with {@link Pipeline.Stage#describe} of this readout. */
        public GlassboxException problem(GlassboxException e) {
            return Pipeline.Stage.problemOf(id, spec, e);
        }
    }

    /** A stack declared stage by stage: {@code StackDescription.builder().stage(id, spec)...readout(id, spec).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects stages and readouts in order; {@link #build} checks them as the constructor does. */
    public static final class Builder {
        private final List<Pipeline.Stage> stages = new ArrayList<>();
        private final List<Pipeline.Branch> branches = new ArrayList<>();
        private final List<ReadoutStage> readouts = new ArrayList<>();

        private Builder() {
        }

        /** Appends the pipeline stage {@code id}, fitted on the output of the stages before it. */
        public Builder stage(String id, LayerSpec spec) {
            stages.add(new Pipeline.Stage(id, spec));
            return this;
        }

        /** Appends a branch of {@code stages}, in order, the first reading the pipeline's input. */
        public Builder branch(List<Pipeline.Stage> stages) {
            branches.add(Pipeline.Branch.ofInput(stages));
            return this;
        }

        /** Appends a branch of {@code stages}, in order, the first reading the output of the stage {@code from}. */
        public Builder branch(String from, List<Pipeline.Stage> stages) {
            branches.add(new Pipeline.Branch(from, stages));
            return this;
        }

        /** Appends the readout {@code id}, fitted on the pipeline's output. */
        public Builder readout(String id, ReadoutSpec spec) {
            readouts.add(new ReadoutStage(id, spec));
            return this;
        }

        /** The stack; throws as {@link StackDescription#StackDescription} does. */
        public StackDescription build() {
            return new StackDescription(stages, branches, readouts);
        }
    }

    /**
     * Checks the whole stack against its training data before anything is fitted: the stages and
     * branches as {@link Pipeline#check(MapShape, long, List, List)} does, then every readout
     * against the pipeline's output shape (the stages' channels and the branches') and the
     * samples it is fitted on ({@code readoutSamples}, or {@code samples} for a readout that
     * {@linkplain ReadoutSpec#keepsTrainingFeatures keeps its training features}, which learns from
     * the training images alone), and that every readout scores the {@code classes} classes of the
     * labels (a readout's output is one score per class, {@code [1, 1, classes]}). A problem's
     * message starts with {@code data}, then names the stage, its kind and the hyperparameter.
     *
     * @param data the data's name for messages, such as its folder
     * @param input the shape of one training sample
     * @param samples how many training samples the stages are fitted on
     * @param readoutSamples how many training samples the readouts are fitted on (the images and
     *     their shifted copies)
     * @param classes how many classes the training labels have
     * @return the shape of the pipeline's output, the readouts' input
     */
    public MapShape check(String data, MapShape input, long samples, long readoutSamples, int classes) {
        try {
            MapShape features = Pipeline.check(input, samples, stages, branches);
            for (ReadoutStage r : readouts) {
                long fittedOn = r.spec().keepsTrainingFeatures() ? samples : readoutSamples;
                int scores = r.check(features, fittedOn).channels();
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

    /**
     * The JSON form: {@code {"stages": [...], "branches": [[...], {"from": "L1.embed", "stages":
     * [...]}, ...], "readouts": [...]}}, without {@code "branches"} when there are none; a branch
     * that reads the pipeline's input is the list of its stages, one that reads a stage's output an
     * object naming that stage.
     */
    public JsonNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode stageArray = root.putArray("stages");
        stages.forEach(s -> component(stageArray, s.id(), s.spec()));
        if (!branches.isEmpty()) {
            ArrayNode branchArray = root.putArray("branches");
            for (Pipeline.Branch branch : branches) {
                ArrayNode array;
                if (branch.from() == null) {
                    array = branchArray.addArray();
                } else {
                    ObjectNode o = branchArray.addObject();
                    o.put("from", branch.from());
                    array = o.putArray("stages");
                }
                branch.stages().forEach(s -> component(array, s.id(), s.spec()));
            }
        }
        ArrayNode readoutArray = root.putArray("readouts");
        readouts.forEach(r -> component(readoutArray, r.id(), r.spec()));
        return root;
    }

    private static void component(ArrayNode array, String id, ComponentSpec spec) {
        ObjectNode o = array.addObject();
        o.put("id", id);
        o.put("kind", spec.kind());
        o.set("spec", Json.MAPPER.valueToTree(spec));
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

    /**
     * {@link #read} of a stack for {@code user} (such as {@code the imagenet command}), which fits,
     * checkpoints and streams stages alone: a stack with branches is refused, naming the file.
     */
    public static StackDescription readWithoutBranches(Path file, String user) {
        StackDescription stack = read(file);
        if (!stack.branches().isEmpty()) {
            throw new GlassboxException(file + ": \"branches\": " + user + " fits stacks without branches (this one has "
                    + stack.branches().size() + ")");
        }
        return stack;
    }

    /** Reads the JSON form written by {@link #toJson()}. */
    public static StackDescription fromJson(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("stages").isArray()) {
            throw new GlassboxException("expected an object {\"stages\": [...], \"readouts\": [...]}");
        }
        Set<String> fields = new HashSet<>();
        root.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(Set.of("stages", "branches", "readouts"));
        if (!fields.isEmpty()) {
            throw new GlassboxException("unknown field '" + fields.iterator().next()
                    + "' (expected stages, branches and readouts)");
        }
        List<Pipeline.Stage> stages = stagesOf(root.path("stages"), "stages");
        List<Pipeline.Branch> branches = new ArrayList<>();
        JsonNode branchArray = root.path("branches");
        if (!branchArray.isMissingNode() && !branchArray.isArray()) {
            throw new GlassboxException("branches: expected a list of branches, each a list of stages "
                    + "[{\"id\": \"...\", ...}, ...] or {\"from\": \"<stage id>\", \"stages\": [...]}");
        }
        for (int b = 0; b < branchArray.size(); b++) {
            branches.add(branchOf(branchArray.get(b), "branches[" + b + "]"));
        }
        List<ReadoutStage> readouts = new ArrayList<>();
        for (Named<ReadoutSpec> r : componentsOf(root.path("readouts"), "readouts", ReadoutSpec.class, "a pipeline stage: list it under \"stages\"")) {
            readouts.add(new ReadoutStage(r.id(), r.spec()));
        }
        return new StackDescription(stages, branches, readouts);
    }

    /**
     * The branch {@code node} (the field {@code field}): a list of stages, which reads the input, or
     * {@code {"from": "<stage id>", "stages": [...]}}.
     */
    private static Pipeline.Branch branchOf(JsonNode node, String field) {
        if (node.isArray()) return Pipeline.Branch.ofInput(stagesOf(node, field));
        Set<String> fields = new HashSet<>();
        node.fieldNames().forEachRemaining(fields::add);
        if (!node.isObject() || !node.path("from").isTextual() || !node.path("stages").isArray()
                || !fields.equals(Set.of("from", "stages"))) {
            throw new GlassboxException(field + ": expected a list of stages [{\"id\": \"...\", ...}, ...] or "
                    + "{\"from\": \"<stage id>\", \"stages\": [...]}");
        }
        return new Pipeline.Branch(node.get("from").asText(), stagesOf(node.get("stages"), field + ".stages"));
    }

    /** The pipeline stages listed in {@code array}, the field {@code field}. */
    private static List<Pipeline.Stage> stagesOf(JsonNode array, String field) {
        List<Pipeline.Stage> stages = new ArrayList<>();
        for (Named<LayerSpec> s : componentsOf(array, field, LayerSpec.class, "a readout: list it under \"readouts\"")) {
            stages.add(new Pipeline.Stage(s.id(), s.spec()));
        }
        return stages;
    }

    private record Named<S>(String id, S spec) {
    }

    /**
     * The components listed in {@code array} (the field {@code field}), each of whose kinds must have
     * a spec of type {@code type}; {@code otherwise} says where a component of another type belongs.
     */
    private static <S extends ComponentSpec> List<Named<S>> componentsOf(JsonNode array, String field, Class<S> type,
            String otherwise) {
        List<Named<S>> out = new ArrayList<>();
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
            if (!type.isAssignableFrom(kind.specType())) {
                throw new GlassboxException(where + ": kind '" + kind.kind() + "' is " + otherwise);
            }
            try {
                out.add(new Named<>(id, type.cast(Json.MAPPER.treeToValue(s.get("spec"), kind.specType()))));
            } catch (JsonProcessingException e) {
                throw new GlassboxException(Pipeline.Stage.describe(id, kind.kind()) + ": "
                        + (e.getCause() instanceof GlassboxException g ? g.getMessage() : Json.problem(e, "spec")));
            }
        }
        return out;
    }
}
