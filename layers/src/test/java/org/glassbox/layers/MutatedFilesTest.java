package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.glassbox.framework.layer.Readout;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.layers.manifold.ManifoldSpec;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.glassbox.layers.readout.KnnSpec;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property of the readers of hostile files: a real model's {@code manifest.json} (400 cases) and
 * each real stack file of docs/stacks (60 cases each), changed at random (seeded) by random bytes, a
 * truncation, one changed byte, or an edit of one JSON value (deleted, set to null, to a string, to a
 * huge or a negative number), give either the model or stack, or a {@link GlassboxException} whose
 * message starts with the path of the file it blames; never another exception.
 */
class MutatedFilesTest {
    static final long SEED = 28;

    @TempDir
    static Path tmp;
    static Path model;

    /** Every kind of this module in one small model: patches, whitening, sparse coding, manifold, pooling, two readouts. */
    @BeforeAll
    static void writeModel() {
        ImageSet all = EmbeddedMnist.split().train();
        int[] first = new int[100];
        for (int i = 0; i < first.length; i++) first[i] = i;
        ImageSet digits = all.select("first 100", first);
        FitContext context = FitContext.silent(3);
        Pipeline pipeline = Pipeline.fit(digits.source(), List.of(
                new Pipeline.Stage("L1.patches", new PatchSpec(7, 3)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults().withSamples(2_000)),
                new Pipeline.Stage("L1.code", SparseCodingSpec.of("L1", 8, 0.5).withEpochs(1).withIterations(30)
                        .withMaxSamples(2_000)),
                new Pipeline.Stage("L1.embed", ManifoldSpec.defaults().withDims(2)),
                new Pipeline.Stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 2, 2))), context);
        MapSource features = MapSource.of(pipeline.transformAll(digits.source()));
        List<Readout> readouts = List.of(LinearSpec.defaults(10).fit("linear", features, digits.labels(), context),
                KnnSpec.defaults(10).fit("knn", features, digits.labels(), context));
        model = tmp.resolve("model");
        ModelFile.write(new Model(Provenance.now(3, digits.name(), digits.fingerprint(), digits.size()), pipeline,
                readouts, Map.of("classes", "10")), model);
    }

    @Test
    void mutatedManifestsGiveTheModelOrAGlassboxException() throws IOException {
        Path manifest = model.resolve(ModelFile.MANIFEST);
        byte[] original = Files.readAllBytes(manifest);
        ModelFile.read(model);
        List<String> failures = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < 400; i++) {
            Mutation m = mutate(original, rng);
            Files.write(manifest, m.bytes());
            check("case " + i + ", " + m.what(), model, () -> ModelFile.read(model), failures);
        }
        Files.write(manifest, original);
        assertEquals(List.of(), failures);
    }

    @Test
    void mutatedStackFilesGiveTheStackOrAGlassboxException() throws IOException {
        List<Path> stacks;
        try (Stream<Path> files = Files.list(Path.of("..", "docs", "stacks"))) {
            stacks = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(stacks.size() >= 5, "the real stack files: " + stacks);
        Path file = tmp.resolve("stack.json");
        List<String> failures = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(SEED);
        for (Path stack : stacks) {
            byte[] original = Files.readAllBytes(stack);
            StackDescription.read(stack);
            for (int i = 0; i < 60; i++) {
                Mutation m = mutate(original, rng);
                Files.write(file, m.bytes());
                check(stack.getFileName() + " case " + i + ", " + m.what(), file, () -> StackDescription.read(file),
                        failures);
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Runs {@code read}; records a failure unless it succeeds or throws a GlassboxException naming {@code blamed} first. */
    static void check(String what, Path blamed, Runnable read, List<String> failures) {
        try {
            read.run();
        } catch (GlassboxException e) {
            if (!e.getMessage().startsWith(blamed.toString())) failures.add(what + ": message " + e.getMessage());
        } catch (Throwable t) {
            failures.add(what + ": " + t);
        }
    }

    record Mutation(String what, byte[] bytes) {
    }

    /** One random change of {@code original} (a JSON file): half of them edit one JSON value. */
    static Mutation mutate(byte[] original, SplittableRandom rng) throws IOException {
        switch (rng.nextInt(6)) {
            case 0 -> {
                byte[] noise = new byte[rng.nextInt(300)];
                for (int i = 0; i < noise.length; i++) noise[i] = (byte) rng.nextInt(256);
                return new Mutation(noise.length + " random bytes", noise);
            }
            case 1 -> {
                int length = rng.nextInt(original.length);
                return new Mutation("cut to " + length + " bytes", Arrays.copyOf(original, length));
            }
            case 2 -> {
                byte[] changed = original.clone();
                int at = rng.nextInt(changed.length);
                changed[at] = (byte) rng.nextInt(256);
                return new Mutation("byte " + at + " set to " + (changed[at] & 0xff), changed);
            }
            default -> {
                JsonNode root = Json.MAPPER.readTree(original);
                List<String> paths = new ArrayList<>();
                List<JsonNode> parents = new ArrayList<>();
                List<Object> keys = new ArrayList<>();
                collect(root, "$", paths, parents, keys);
                int pick = rng.nextInt(paths.size());
                JsonNode parent = parents.get(pick);
                Object key = keys.get(pick);
                int op = rng.nextInt(5);
                JsonNode value = switch (op) {
                    case 0 -> null;
                    case 1 -> NullNode.instance;
                    case 2 -> TextNode.valueOf(rng.nextBoolean() ? "x" : "../../evil");
                    case 3 -> rng.nextBoolean() ? DoubleNode.valueOf(1e308) : BigIntegerNode.valueOf(BigInteger.TEN.pow(30));
                    default -> IntNode.valueOf(-1 - rng.nextInt(3));
                };
                if (value == null) {
                    if (parent instanceof ObjectNode o) o.remove((String) key);
                    else ((ArrayNode) parent).remove((Integer) key);
                } else if (parent instanceof ObjectNode o) {
                    o.set((String) key, value);
                } else {
                    ((ArrayNode) parent).set((Integer) key, value);
                }
                return new Mutation(paths.get(pick) + (value == null ? " deleted" : " set to " + value),
                        Json.MAPPER.writeValueAsBytes(root));
            }
        }
    }

    /** Every value below {@code node}: its path, its parent and its key (field name or index). */
    static void collect(JsonNode node, String path, List<String> paths, List<JsonNode> parents, List<Object> keys) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                paths.add(path + "." + e.getKey());
                parents.add(node);
                keys.add(e.getKey());
                collect(e.getValue(), path + "." + e.getKey(), paths, parents, keys);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.add(path + "[" + i + "]");
                parents.add(node);
                keys.add(i);
                collect(node.get(i), path + "[" + i + "]", paths, parents, keys);
            }
        }
    }
}
