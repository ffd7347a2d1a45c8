package org.glassbox.imagenet.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;

/**
 * The frozen prefix of a fit (the stages fitted so far), as the files of a model folder
 * ({@link ModelFile}: manifest.json and one .npy file per learned array) held in memory, so that it
 * can be broadcast to Spark executors. Each executor JVM writes the files to a temporary folder,
 * reads the pipeline back once and keeps it for the rest of the fit under a random key. Arrays go
 * through .npy unchanged, so the rebuilt stages compute what the driver's compute.
 */
final class PrefixModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Pipeline> REBUILT = new ConcurrentHashMap<>();

    private final String key;
    private final Map<String, byte[]> files;

    private PrefixModel(String key, Map<String, byte[]> files) {
        this.key = key;
        this.files = files;
    }

    /** The model folder of {@code prefix}, read into memory. */
    static PrefixModel of(Pipeline prefix, long seed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("glassbox-prefix");
            Path model = dir.resolve("model");
            ModelFile.write(new Model(Provenance.now(seed, "spark prefix", "", 0), prefix, List.of(), Map.of()), model);
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (Stream<Path> list = Files.list(model)) {
                for (Path f : list.sorted().toList()) files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
            return new PrefixModel(UUID.randomUUID().toString(), files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** The pipeline, rebuilt from the files once per JVM. */
    Pipeline pipeline() {
        return REBUILT.computeIfAbsent(key, k -> {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("glassbox-prefix");
                for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(dir.resolve(f.getKey()), f.getValue());
                return ModelFile.read(dir).pipeline();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                delete(dir);
            }
        });
    }

    /** Forgets this JVM's rebuilt copy (the driver calls it when the stage is fitted). */
    void release() {
        REBUILT.remove(key);
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
