package org.glassbox.framework.model;

import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.CenteringSpec;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelFileTest {
    @TempDir
    Path tmp;

    static INDArray data() {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.rand(DataType.FLOAT, 20, 3, 3, 2);
    }

    static Model fit(long seed) {
        INDArray x = data();
        Pipeline p = Pipeline.fit(MapSource.of(x), List.of(
                new Pipeline.Stage("L1.center", new CenteringSpec(1)),
                new Pipeline.Stage("L2.center", new CenteringSpec(0.5))), FitContext.silent(seed));
        Provenance prov = new Provenance(seed, "test", "abc", 20, "v", "nd4j", "java", 2);
        return new Model(prov, p, List.of(), Map.of("classes", "10"));
    }

    @Test
    void roundTripGivesIdenticalArraysAndOutputs() {
        Model m = fit(1);
        ModelFile.write(m, tmp.resolve("model"));
        Model back = ModelFile.read(tmp.resolve("model"));
        assertEquals(m.provenance(), back.provenance());
        assertEquals(m.info(), back.info());
        for (int i = 0; i < 2; i++) {
            assertEquals(m.pipeline().stages().get(i).parameters(), back.pipeline().stages().get(i).parameters());
            assertEquals(m.pipeline().stages().get(i).spec(), back.pipeline().stages().get(i).spec());
        }
        INDArray x = data();
        assertEquals(m.pipeline().transform(x), back.pipeline().transform(x));
    }

    @Test
    void sameModelGivesByteIdenticalFiles() throws IOException {
        ModelFile.write(fit(1), tmp.resolve("a"));
        ModelFile.write(fit(1), tmp.resolve("b"));
        try (Stream<Path> files = Files.list(tmp.resolve("a"))) {
            for (Path f : files.toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b").resolve(f.getFileName())),
                        f.getFileName().toString());
            }
        }
    }

    @Test
    void corruptArrayFileIsNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path npy = dir.resolve("L1.center.mean.npy");
        byte[] b = Files.readAllBytes(npy);
        b[b.length - 1] ^= 1;
        Files.write(npy, b);
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertTrue(e.getMessage().startsWith(npy + ": checksum mismatch: expected SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the file is corrupt or was changed"), e.getMessage());
    }

    @Test
    void missingArrayFileIsNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Files.delete(dir.resolve("L2.center.mean.npy"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(dir.resolve("L2.center.mean.npy") + ": array file not found (listed in manifest.json)", e.getMessage());
    }

    @Test
    void dtypeOtherThanTheFilesIsNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"dtype\" : \"<f4\"", "\"dtype\" : \"<f8\""));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(dir.resolve("L1.center.mean.npy") + ": expected dtype <f8 (from manifest.json) but the file holds <f4",
                e.getMessage());
    }

    @Test
    void newerFormatVersionIsRejected() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 4"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": model format version 4 is newer than this Glassbox reads (version 3); upgrade Glassbox",
                e.getMessage());
    }

    @Test
    void unknownFieldIsRejected() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 1, \"extra\" : 3"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": unknown field 'extra' at $.extra (this Glassbox reads format version 3)", e.getMessage());
    }

    @Test
    void invalidSpecInManifestNamesTheParameter() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"scale\" : 1.0", "\"scale\" : -1.0"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": invalid spec of L1.center: invalid scale = -1.0: expected a number >= 0", e.getMessage());
    }

    @Test
    void hyperparameterOfTheWrongTypeInManifestIsNamedByItsPath() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"scale\" : 1.0", "\"scale\" : \"big\""));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": invalid spec of L1.center: spec.scale: Cannot deserialize value of type `double` from "
                + "String \"big\": not a valid `double` value (as String to convert)", e.getMessage());
    }

    @Test
    void missingFolderIsNamed() {
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(tmp.resolve("nope")));
        assertEquals(tmp.resolve("nope") + ": model folder not found (expected a folder holding manifest.json)", e.getMessage());
    }

    @Test
    void failedWriteLeavesNoPartialFolder() throws IOException {
        Path target = tmp.resolve("out");
        assertThrows(IllegalStateException.class, () -> AtomicFolder.write(target, dir -> {
            Files.writeString(dir.resolve("half.txt"), "x");
            throw new IllegalStateException("crash in the middle");
        }));
        assertFalse(Files.exists(target));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "no temporary folder left behind");
        }
    }

    @Test
    void rewritingReplacesTheOldModelWhole() {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        ModelFile.write(fit(2), dir);
        assertEquals(2, ModelFile.read(dir).provenance().seed());
    }

    @Test
    void idThatLeavesTheFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        Layer evil = new CenteringSpec(1).fit("../../evil", MapSource.of(data()), FitContext.silent(1));
        Model m = new Model(fit(1).provenance(), new Pipeline(evil.inputShape(), List.of(evil)), List.of(), Map.of());
        Path dir = tmp.resolve("run/out/model");
        var e = assertThrows(GlassboxException.class, () -> ModelFile.write(m, dir));
        assertEquals(dir + ": invalid id = '../../evil': expected 1 to 100 characters from A-Z, a-z, 0-9, '.', '-' "
                + "and '_', not starting with '.'", e.getMessage());
        try (Stream<Path> all = Files.walk(tmp)) {
            assertEquals(List.of(tmp), all.toList(), "nothing written");
        }
    }

    @Test
    void unsafeIdsAndFileNamesInAManifestAreNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        String original = Files.readString(manifest);
        Files.copy(dir.resolve("L1.center.mean.npy"), tmp.resolve("outside.npy"));
        Files.writeString(manifest, original.replace("\"L1.center.mean.npy\"", "\"../outside.npy\""));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": invalid $.stages[0].arrays.mean.file = '../outside.npy': expected 1 to 100 characters "
                + "from A-Z, a-z, 0-9, '.', '-' and '_', not starting with '.'", e.getMessage());
        Files.writeString(manifest, original.replace("\"id\" : \"L2.center\"", "\"id\" : \"/tmp/L2\""));
        e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": invalid $.stages[1].id = '/tmp/L2': expected 1 to 100 characters "
                + "from A-Z, a-z, 0-9, '.', '-' and '_', not starting with '.'", e.getMessage());
    }

    @Test
    void missingOrNullFieldsAreNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        ObjectNode original = (ObjectNode) Json.MAPPER.readTree(manifest.toFile());
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("$.readouts", root -> root.remove("readouts"));
        edits.put("$.stages", root -> root.putNull("stages"));
        edits.put("$.info", root -> root.remove("info"));
        edits.put("$.provenance.seed", root -> ((ObjectNode) root.get("provenance")).remove("seed"));
        edits.put("$.stages[0].arrays", root -> ((ObjectNode) root.get("stages").get(0)).remove("arrays"));
        edits.put("$.stages[1].spec", root -> ((ObjectNode) root.get("stages").get(1)).remove("spec"));
        edits.put("$.stages[1].arrays.mean.sha256",
                root -> ((ObjectNode) root.get("stages").get(1).get("arrays").get("mean")).putNull("sha256"));
        edits.put("$.inputShape[2]", root -> ((ArrayNode) root.get("inputShape")).set(2, NullNode.instance));
        for (Map.Entry<String, Consumer<ObjectNode>> edit : edits.entrySet()) {
            ObjectNode root = original.deepCopy();
            edit.getValue().accept(root);
            Json.MAPPER.writeValue(manifest.toFile(), root);
            var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir), edit.getKey());
            assertEquals(manifest + ": missing field " + edit.getKey() + " (absent or null)", e.getMessage());
        }
    }

    @Test
    void fieldOfTheWrongTypeIsNamed() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"trainSamples\" : 20", "\"trainSamples\" : \"x\""));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": invalid manifest: $.provenance.trainSamples: Cannot deserialize value of type `long` "
                + "from String \"x\": not a valid `long` value", e.getMessage());
    }

    @Test
    void unknownKindAndInvalidShapeNameTheManifest() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replaceFirst("\"kind\" : \"test-centering\"", "\"kind\" : \"nope\""));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": L1.center: unknown layer kind 'nope': expected one of [test-centering]", e.getMessage());
        Files.writeString(manifest, original.replaceFirst("\"inputShape\" : \\[ 3,", "\"inputShape\" : [ -3,"));
        e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": inputShape: invalid gridH = -3: expected a positive size", e.getMessage());
    }

    @Test
    void modelReadsThroughARelativePathWithDotDot() throws IOException {
        ModelFile.write(fit(1), tmp.resolve("model"));
        Files.createDirectory(tmp.resolve("model/sub"));
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("model")).resolve("sub/..");
        assertFalse(relative.isAbsolute());
        assertEquals(fit(1).provenance(), ModelFile.read(relative).provenance());
    }

    @Test
    void modelReadsThroughASymbolicLinkToItsFolder() throws IOException {
        ModelFile.write(fit(1), tmp.resolve("model"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("model"));
        assertEquals(fit(1).provenance(), ModelFile.read(link).provenance());
    }

    @Test
    void arrayFileLinkedOutsideTheFolderIsRefused() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path npy = dir.resolve("L1.center.mean.npy");
        Path outside = Files.move(npy, tmp.resolve("outside.npy"));
        Files.createSymbolicLink(npy, outside);
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(npy + ": leads outside the folder " + dir + " (to " + outside.toRealPath()
                + "): a symbolic link or '..' must not leave it", e.getMessage());
    }

    @Test
    void manifestLinkedOutsideTheFolderIsRefused() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Path outside = Files.move(manifest, tmp.resolve("manifest.json"));
        Files.createSymbolicLink(manifest, outside);
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": leads outside the folder " + dir + " (to " + outside.toRealPath()
                + "): a symbolic link or '..' must not leave it", e.getMessage());
    }
}
