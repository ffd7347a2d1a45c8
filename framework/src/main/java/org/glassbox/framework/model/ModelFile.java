package org.glassbox.framework.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.layer.LayerSpec;
import org.glassbox.framework.layer.Pipeline;
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

    /** Writes {@code model} to the folder {@code dir}, replacing what is there only once complete. */
    public static void write(Model model, Path dir) {
        AtomicFolder.write(dir, tmp -> {
            List<Manifest.Component> stages = new ArrayList<>();
            for (Layer stage : model.pipeline().stages()) {
                stages.add(writeComponent(stage, tmp));
            }
            List<Manifest.Component> readouts = new ArrayList<>();
            for (Layer readout : model.readouts()) {
                readouts.add(writeComponent(readout, tmp));
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, Manifest.VERSION, model.provenance(),
                    shapeList(model.pipeline().inputShape()), stages, readouts, model.info());
            Json.MAPPER.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
        });
    }

    private static Manifest.Component writeComponent(Layer layer, Path dir) throws IOException {
        Map<String, Manifest.ArrayEntry> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : layer.parameters().entrySet()) {
            String file = layer.id() + "." + e.getKey() + ".npy";
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

    /** Reads the model in folder {@code dir}, checking every file against the manifest. */
    public static Model read(Path dir) {
        Path manifestPath = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new GlassboxException(dir + ": model folder not found (expected a folder holding " + MANIFEST + ")");
        }
        if (!Files.isRegularFile(manifestPath)) {
            throw new GlassboxException(manifestPath + ": file not found (expected the model manifest)");
        }
        Manifest manifest = readManifest(manifestPath);
        MapShape input = toShape(manifest.inputShape(), manifestPath, "inputShape");
        List<Layer> stages = new ArrayList<>();
        MapShape shape = input;
        for (Manifest.Component c : manifest.stages()) {
            Layer layer = restore(c, shape, dir, manifestPath);
            stages.add(layer);
            shape = layer.outputShape();
        }
        Pipeline pipeline = new Pipeline(input, stages);
        List<Layer> readouts = new ArrayList<>();
        for (Manifest.Component c : manifest.readouts()) {
            readouts.add(restore(c, pipeline.outputShape(), dir, manifestPath));
        }
        return new Model(manifest.provenance(), pipeline, readouts, manifest.info() == null ? Map.of() : manifest.info());
    }

    /** Reads and checks {@code manifest.json}: the format name and version first, then every field strictly. */
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
        try {
            return Json.MAPPER.treeToValue(tree, Manifest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new GlassboxException(manifestPath + ": unknown field '" + e.getPropertyName() + "' at "
                    + pathOf(e) + " (this Glassbox reads format version " + Manifest.VERSION + ")");
        } catch (JsonProcessingException e) {
            throw new GlassboxException(manifestPath + ": invalid manifest: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static Layer restore(Manifest.Component c, MapShape inputShape, Path dir, Path manifestPath) {
        LayerKind kind = LayerKind.named(c.kind());
        LayerSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(c.spec(), kind.specType());
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof GlassboxException g ? g : e;
            throw new GlassboxException(manifestPath + ": invalid spec of " + c.id() + ": "
                    + firstLine(cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage()));
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
        Layer layer = kind.restore(c.id(), spec, inputShape, arrays);
        MapShape out = toShape(c.outputShape(), manifestPath, c.id() + ".outputShape");
        if (!out.equals(layer.outputShape())) {
            throw new GlassboxException(manifestPath + ": " + c.id() + " declares output shape " + out
                    + " but its spec and arrays give " + layer.outputShape());
        }
        return layer;
    }

    private static INDArray readArray(Path dir, Manifest.ArrayEntry entry) {
        Path file = dir.resolve(entry.file()).normalize();
        if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
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
        List<Long> shape = new ArrayList<>();
        for (long d : a.shape()) shape.add(d);
        if (!shape.equals(entry.shape())) {
            throw new GlassboxException(file + ": expected shape " + entry.shape() + " (from " + MANIFEST
                    + ") but the file holds " + shape);
        }
        return a;
    }

    private static MapShape toShape(List<Integer> s, Path manifestPath, String field) {
        if (s == null || s.size() != 3) {
            throw new GlassboxException(manifestPath + ": " + field + " must be [gridH, gridW, channels] but is " + s);
        }
        return new MapShape(s.get(0), s.get(1), s.get(2));
    }

    private static String pathOf(UnrecognizedPropertyException e) {
        StringBuilder sb = new StringBuilder("$");
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) sb.append('.').append(ref.getFieldName());
            else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
