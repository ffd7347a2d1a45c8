package org.glassbox.framework.model;

import org.glassbox.framework.io.Npy;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Sha256;
import org.glassbox.framework.io.SafeName;
import org.glassbox.framework.io.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.ComponentSpec;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.Readout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes model folders: {@code manifest.json} plus one {@code .npy} file per learned
 * array, named {@code <component id>.<array name>.npy} (docs/model-format.md). Writing goes to a
 * temporary folder that is renamed when complete. Reading rejects a newer format version, an
 * unknown field, a missing file and a checksum mismatch, naming the file.
 */
public final class ModelFile {
    /** The manifest's file name inside a model folder. */
    public static final String MANIFEST = "manifest.json";

    private ModelFile() {
    }

    /**
     * Writes {@code model} to the folder {@code dir}, replacing what is there only once complete.
     *
     * @throws GlassboxException naming the folder, before anything is written, when a component's id
     *     or array name is not a {@link SafeName}
     */
    public static void write(Model model, Path dir) {
        List<Layer> components = new ArrayList<>(model.pipeline().allStages());
        components.addAll(model.readouts());
        try {
            for (Layer c : components) {
                SafeName.check("id", c.id());
                for (String array : c.parameters().keySet()) Npy.arrayFile(c.id(), array);
            }
        } catch (GlassboxException e) {
            throw new GlassboxException(dir + ": " + e.getMessage(), e);
        }
        AtomicFolder.write(dir, tmp -> {
            List<Manifest.Component> stages = writeComponents(model.pipeline().stages(), tmp);
            Pipeline pipeline = model.pipeline();
            List<List<Manifest.Component>> branches = new ArrayList<>();
            List<Integer> reads = new ArrayList<>();
            for (int b = 0; b < pipeline.branches().size(); b++) {
                branches.add(writeComponents(pipeline.branches().get(b).stages(), tmp));
                reads.add(pipeline.branchReads(b));
            }
            List<Manifest.Component> readouts = writeComponents(model.readouts(), tmp);
            int version = Manifest.versionFor(reads);
            Manifest manifest = new Manifest(Manifest.FORMAT, version, model.provenance(),
                    shapeList(pipeline.inputShape()), stages, branches, version == Manifest.VERSION ? reads : List.of(),
                    readouts, model.info());
            Json.MAPPER.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
        });
    }

    private static List<Manifest.Component> writeComponents(List<? extends Layer> layers, Path dir) throws IOException {
        List<Manifest.Component> components = new ArrayList<>();
        for (Layer layer : layers) components.add(writeComponent(layer, dir));
        return components;
    }

    private static Manifest.Component writeComponent(Layer layer, Path dir) throws IOException {
        Map<String, Manifest.ArrayEntry> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : layer.parameters().entrySet()) {
            String file = Npy.arrayFile(layer.id(), e.getKey());
            Path path = dir.resolve(file);
            Npy.write(e.getValue(), path);
            List<Long> shape = new ArrayList<>();
            for (long d : e.getValue().shape()) shape.add(d);
            arrays.put(e.getKey(), new Manifest.ArrayEntry(file, shape, Npy.descr(e.getValue().dataType()),
                    Sha256.of(path)));
        }
        JsonNode spec = Json.MAPPER.valueToTree(layer.spec());
        return new Manifest.Component(layer.id(), layer.spec().kind(), spec, shapeList(layer.inputShape()),
                shapeList(layer.outputShape()), arrays);
    }

    private static List<Integer> shapeList(MapShape s) {
        return List.of(s.gridH(), s.gridW(), s.channels());
    }

    /**
     * Reads the model in folder {@code dir}, checking every file against the manifest. The manifest
     * and the array files are found inside the folder only ({@link SafeName#inside}): a symbolic link
     * that leads out of it is refused.
     */
    public static Model read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GlassboxException(dir + ": model folder not found (expected a folder holding " + MANIFEST + ")");
        }
        Path manifestPath = SafeName.inside(dir, MANIFEST);
        if (!Files.isRegularFile(manifestPath)) {
            throw new GlassboxException(manifestPath + ": file not found (expected the model manifest)");
        }
        Manifest manifest = readManifest(manifestPath);
        MapShape input = toShape(manifest.inputShape(), manifestPath, "inputShape");
        List<Layer> stages = restoreStages(manifest.stages(), input, dir, manifestPath);
        List<Pipeline> branches = new ArrayList<>();
        List<Integer> reads = manifest.branchReads().isEmpty() ? Collections.nCopies(manifest.branches().size(), 0)
                : manifest.branchReads();
        for (int b = 0; b < manifest.branches().size(); b++) {
            int r = reads.get(b);
            MapShape read = r == 0 ? input : stages.get(r - 1).outputShape();
            branches.add(new Pipeline(read, restoreStages(manifest.branches().get(b), read, dir, manifestPath)));
        }
        Pipeline pipeline;
        try {
            pipeline = new Pipeline(input, stages, branches, reads);
        } catch (GlassboxException e) {
            throw new GlassboxException(manifestPath + ": " + e.getMessage(), e);
        }
        List<Readout> readouts = new ArrayList<>();
        for (Manifest.Component c : manifest.readouts()) {
            if (!(restore(c, pipeline.outputShape(), dir, manifestPath) instanceof Readout readout)) {
                throw new GlassboxException(manifestPath + ": " + c.id() + " of kind '" + c.kind()
                        + "' is listed among the readouts but is not a readout");
            }
            readouts.add(readout);
        }
        return new Model(manifest.provenance(), pipeline, readouts, manifest.info());
    }

    /** The stages listed in {@code components}, the first reading {@code input}. */
    private static List<Layer> restoreStages(List<Manifest.Component> components, MapShape input, Path dir,
            Path manifestPath) {
        List<Layer> stages = new ArrayList<>();
        MapShape shape = input;
        for (Manifest.Component c : components) {
            Layer layer = restore(c, shape, dir, manifestPath);
            if (layer instanceof Readout) {
                throw new GlassboxException(manifestPath + ": " + c.id() + " of kind '" + c.kind()
                        + "' is a readout but is listed among the stages");
            }
            stages.add(layer);
            shape = layer.outputShape();
        }
        return stages;
    }

    /**
     * Reads and checks {@code manifest.json}: the format name and version first, then every field
     * strictly: none may be missing or null ({@link Json#requireFields}), none unknown, and every id,
     * array name and array file name must be a {@link SafeName}.
     */
    public static Manifest readManifest(Path manifestPath) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(manifestPath.toFile());
        } catch (IOException e) {
            throw new GlassboxException(manifestPath + ": not valid JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject() || !Manifest.FORMAT.equals(tree.path("format").asText())) {
            throw new GlassboxException(manifestPath + ": not a Glassbox model manifest (expected \"format\": \""
                    + Manifest.FORMAT + "\")");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (version > Manifest.VERSION) {
            throw new GlassboxException(manifestPath + ": model format version " + version
                    + " is newer than this Glassbox reads (version " + Manifest.VERSION + "); upgrade Glassbox");
        }
        if (version < 1) {
            throw new GlassboxException(manifestPath + ": missing or invalid formatVersion (expected 1 to "
                    + Manifest.VERSION + ")");
        }
        if (version == Manifest.VERSION_WITHOUT_BRANCHES && tree.has("branches")) {
            throw new GlassboxException(manifestPath
                    + ": field 'branches' at $ needs model format version 2 (the manifest says 1)");
        }
        if (version < Manifest.VERSION && tree.has("branchReads")) {
            throw new GlassboxException(manifestPath + ": field 'branchReads' at $ needs model format version "
                    + Manifest.VERSION + " (the manifest says " + version + ")");
        }
        Manifest manifest;
        try {
            if (version == Manifest.VERSION_WITHOUT_BRANCHES) ((ObjectNode) tree).putArray("branches");
            if (version < Manifest.VERSION) ((ObjectNode) tree).putArray("branchReads");
            Json.requireFields(tree, Manifest.class);
            manifest = Json.MAPPER.treeToValue(tree, Manifest.class);
            checkBranchReads(manifest);
            checkNames(manifest.stages(), "$.stages");
            for (int b = 0; b < manifest.branches().size(); b++) checkNames(manifest.branches().get(b), "$.branches[" + b + "]");
            checkNames(manifest.readouts(), "$.readouts");
        } catch (UnrecognizedPropertyException e) {
            throw new GlassboxException(manifestPath + ": unknown field '" + e.getPropertyName() + "' at "
                    + Json.pathOf(e, "$") + " (this Glassbox reads format version " + Manifest.VERSION + ")");
        } catch (JsonProcessingException e) {
            throw new GlassboxException(manifestPath + ": invalid manifest: " + Json.problem(e, "$"));
        } catch (GlassboxException e) {
            throw new GlassboxException(manifestPath + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    /**
     * Checks that a version-3 manifest gives each branch the number of stages it reads, each from 0
     * to the number of stages, so that restoring never indexes outside the stages.
     */
    private static void checkBranchReads(Manifest manifest) {
        List<Integer> reads = manifest.branchReads();
        if (manifest.formatVersion() < Manifest.VERSION) return;
        if (reads.size() != manifest.branches().size()) {
            throw new GlassboxException("$.branchReads lists " + reads.size() + " branches (expected one number for each of the "
                    + manifest.branches().size() + " branches)");
        }
        for (int b = 0; b < reads.size(); b++) {
            if (reads.get(b) < 0 || reads.get(b) > manifest.stages().size()) {
                throw new GlassboxException("$.branchReads[" + b + "] is " + reads.get(b) + " (expected 0 to "
                        + manifest.stages().size() + ", the number of stages it reads the output of)");
            }
        }
    }

    /** Checks that the ids, array names and array file names of {@code components} are safe names. */
    private static void checkNames(List<Manifest.Component> components, String field) {
        for (int i = 0; i < components.size(); i++) {
            String where = field + "[" + i + "]";
            Manifest.Component c = components.get(i);
            SafeName.check(where + ".id", c.id());
            for (Map.Entry<String, Manifest.ArrayEntry> e : c.arrays().entrySet()) {
                SafeName.check("array name in " + where + ".arrays", e.getKey());
                SafeName.check(where + ".arrays." + e.getKey() + ".file", e.getValue().file());
            }
        }
    }

    private static Layer restore(Manifest.Component c, MapShape inputShape, Path dir, Path manifestPath) {
        LayerKind kind;
        try {
            kind = LayerKind.named(c.kind());
        } catch (GlassboxException e) {
            throw new GlassboxException(manifestPath + ": " + c.id() + ": " + e.getMessage(), e);
        }
        ComponentSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(c.spec(), kind.specType());
        } catch (JsonProcessingException e) {
            throw new GlassboxException(manifestPath + ": invalid spec of " + c.id() + ": "
                    + (e.getCause() instanceof GlassboxException g ? g.getMessage() : Json.problem(e, "spec")));
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Manifest.ArrayEntry> e : c.arrays().entrySet()) {
            arrays.put(e.getKey(), readArray(dir, e.getValue()));
        }
        MapShape declared = toShape(c.inputShape(), manifestPath, c.id() + ".inputShape");
        if (!declared.equals(inputShape)) {
            throw new GlassboxException(manifestPath + ": " + c.id() + " declares input shape " + declared
                    + " but the stage before it outputs " + inputShape);
        }
        Layer layer;
        try {
            layer = kind.restore(c.id(), spec, inputShape, arrays);
        } catch (GlassboxException e) {
            throw new GlassboxException(manifestPath + ": " + e.getMessage(), e);
        }
        MapShape out = toShape(c.outputShape(), manifestPath, c.id() + ".outputShape");
        if (!out.equals(layer.outputShape())) {
            throw new GlassboxException(manifestPath + ": " + c.id() + " declares output shape " + out
                    + " but its spec and arrays give " + layer.outputShape());
        }
        return layer;
    }

    /** Reads the array file of {@code entry} from inside {@code dir}, checking its SHA-256, dtype and shape. */
    private static INDArray readArray(Path dir, Manifest.ArrayEntry entry) {
        Path file = SafeName.inside(dir, entry.file());
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": array file not found (listed in " + MANIFEST + ")");
        }
        try {
            String actual = Sha256.of(file);
            if (!actual.equals(entry.sha256())) {
                throw new GlassboxException(file + ": checksum mismatch: expected SHA-256 " + entry.sha256()
                        + " (from " + MANIFEST + ") but the file has " + actual + "; the file is corrupt or was changed");
            }
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
        INDArray a = Npy.read(file);
        if (!Npy.descr(a.dataType()).equals(entry.dtype())) {
            throw new GlassboxException(file + ": expected dtype " + entry.dtype() + " (from " + MANIFEST
                    + ") but the file holds " + Npy.descr(a.dataType()));
        }
        List<Long> shape = new ArrayList<>();
        for (long d : a.shape()) shape.add(d);
        if (!shape.equals(entry.shape())) {
            throw new GlassboxException(file + ": expected shape " + entry.shape() + " (from " + MANIFEST
                    + ") but the file holds " + shape);
        }
        return a;
    }

    private static MapShape toShape(List<Integer> s, Path manifestPath, String field) {
        if (s.size() != 3) {
            throw new GlassboxException(manifestPath + ": " + field + " must be [gridH, gridW, channels] but is " + s);
        }
        try {
            return new MapShape(s.get(0), s.get(1), s.get(2));
        } catch (GlassboxException e) {
            throw new GlassboxException(manifestPath + ": " + field + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
