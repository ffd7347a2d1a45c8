package org.glassbox.framework.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.CenteringSpec;
import org.glassbox.framework.layer.FitContext;
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
    void newerFormatVersionIsRejected() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": model format version 2 is newer than this Glassbox reads (version 1); upgrade Glassbox",
                e.getMessage());
    }

    @Test
    void unknownFieldIsRejected() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFile.write(fit(1), dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 1, \"extra\" : 3"));
        var e = assertThrows(GlassboxException.class, () -> ModelFile.read(dir));
        assertEquals(manifest + ": unknown field 'extra' at $.extra (this Glassbox reads format version 1)", e.getMessage());
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
}
