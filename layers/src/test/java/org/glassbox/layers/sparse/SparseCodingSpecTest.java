package org.glassbox.layers.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.LayerKind;
import org.glassbox.framework.io.Json;
import org.junit.jupiter.api.Test;

/** Validation messages, copies and the JSON form of {@link SparseCodingSpec}. */
class SparseCodingSpecTest {
    private static final SparseCodingSpec SPEC = SparseCodingSpec.of("L1", 64, 0.1);

    private static void assertRejected(String message, Supplier<SparseCodingSpec> make) {
        assertEquals(message, assertThrows(InvalidParameterException.class, make::get).getMessage());
    }

    @Test
    void invalidValuesNameTheParameterTheValueAndTheRange() {
        assertRejected("invalid atoms = 0: expected at least 1", () -> SPEC.withAtoms(0));
        assertRejected("invalid lambda = -0.5: expected a finite value >= 0", () -> SPEC.withLambda(-0.5));
        assertRejected("invalid lambda = NaN: expected a finite value >= 0", () -> SPEC.withLambda(Double.NaN));
        assertRejected("invalid lambda = Infinity: expected a finite value >= 0",
                () -> SPEC.withLambda(Double.POSITIVE_INFINITY));
        assertRejected("invalid encoder = null: expected one of FISTA, THRESHOLD, TOP_K, ONE_SPARSE, COSINE_THRESHOLD, "
                + "COORDINATE_DESCENT",
                () -> SPEC.withEncoder(null));
        assertRejected("invalid lambda = 0.0: expected a value > 0 for the COORDINATE_DESCENT encoder",
                () -> SPEC.withLambda(0));
        assertRejected("invalid k = 65: expected between 1 and atoms (64)", () -> SPEC.withK(65));
        assertRejected("invalid k = 0: expected between 1 and atoms (64)", () -> SPEC.withK(0));
        assertRejected("invalid iterations = 0: expected at least 1", () -> SPEC.withIterations(0));
        assertRejected("invalid tolerance = -1.0E-4: expected a finite value >= 0", () -> SPEC.withTolerance(-1e-4));
        assertRejected("invalid epochs = 0: expected at least 1", () -> SPEC.withEpochs(0));
        assertRejected("invalid batchSize = -3: expected at least 1", () -> SPEC.withBatchSize(-3));
        assertRejected("invalid maxSamples = 0: expected at least 1", () -> SPEC.withMaxSamples(0));
        assertRejected("invalid atomPrefix = 'L 1': expected 1 to 100 letters, digits, '_' or '-', such as L1",
                () -> SPEC.withAtomPrefix("L 1"));
        assertRejected("invalid atomPrefix = null: expected 1 to 100 letters, digits, '_' or '-', such as L1",
                () -> SPEC.withAtomPrefix(null));
        assertRejected("invalid atomPrefix = '" + "L".repeat(101) + "': expected 1 to 100 letters, digits, '_' or '-', "
                + "such as L1", () -> SPEC.withAtomPrefix("L".repeat(101)));
    }

    @Test
    void copiesChangeOneFieldOnly() {
        SparseCodingSpec changed = SPEC.withAtoms(128).withLambda(0.2).withNonNegative(true).withEncoder(Encoder.TOP_K)
                .withK(7).withIterations(50).withTolerance(1e-3).withEpochs(3).withBatchSize(512).withMaxSamples(1000)
                .withAtomPrefix("L2");
        assertEquals(new SparseCodingSpec("L2", 128, 0.2, true, Encoder.TOP_K, 7, 50, 1e-3, 3, 512, 1000), changed);
        assertEquals(new SparseCodingSpec("L1", 64, 0.1, false, Encoder.COORDINATE_DESCENT, 1, 100, 1e-4, 2, 256, 50_000),
                SPEC);
        assertEquals(0.0, SPEC.withEncoder(Encoder.FISTA).withLambda(0).lambda());
    }

    @Test
    void jsonRoundTripGivesTheSameSpecAndTheKindIsRegistered() throws Exception {
        SparseCodingSpec spec = SPEC.withEncoder(Encoder.ONE_SPARSE).withNonNegative(true);
        JsonNode tree = Json.MAPPER.valueToTree(spec);
        assertEquals("ONE_SPARSE", tree.get("encoder").asText());
        assertEquals(13, tree.size());
        assertEquals("LEARNED", tree.get("atomSource").asText());
        assertEquals(1.0, tree.get("maxCosine").asDouble());
        assertEquals(spec, Json.MAPPER.treeToValue(tree, SparseCodingSpec.class));
        // manifests written before COORDINATE_DESCENT existed name FISTA, which still reads back as FISTA
        tree = Json.MAPPER.valueToTree(SPEC);
        assertEquals("COORDINATE_DESCENT", tree.get("encoder").asText());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("encoder", "FISTA");
        assertEquals(SPEC.withEncoder(Encoder.FISTA), Json.MAPPER.treeToValue(tree, SparseCodingSpec.class));
        SparseCodingSpec sampled = SPEC.withEncoder(Encoder.COSINE_THRESHOLD).withLambda(0.6).withSampledAtoms(0.8);
        JsonNode sampledTree = Json.MAPPER.valueToTree(sampled);
        assertEquals("SAMPLED", sampledTree.get("atomSource").asText());
        assertEquals(0.8, sampledTree.get("maxCosine").asDouble());
        assertEquals("COSINE_THRESHOLD", sampledTree.get("encoder").asText());
        assertEquals(sampled, Json.MAPPER.treeToValue(sampledTree, SparseCodingSpec.class));
        LayerKind kind = LayerKind.named(spec.kind());
        assertEquals(SparseCodingSpec.class, kind.specType());
        assertEquals("sparse-coding", kind.kind());
    }

    @Test
    void specsWrittenBeforeSampledAtomsReadAsLearnedWithMaxCosineOne() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.valueToTree(SPEC);
        tree.remove("atomSource");
        tree.remove("maxCosine");
        assertEquals(11, tree.size());
        SparseCodingSpec read = Json.MAPPER.treeToValue(tree, SparseCodingSpec.class);
        assertEquals(SparseCodingSpec.AtomSource.LEARNED, read.atomSource());
        assertEquals(1.0, read.maxCosine());
        assertEquals(SPEC, read);
        SparseCodingSpec fromText = Json.MAPPER.readValue("{\"atomPrefix\": \"L2\", \"atoms\": 32, \"lambda\": 0.5, "
                + "\"nonNegative\": true, \"encoder\": \"THRESHOLD\", \"k\": 1, \"iterations\": 10, \"tolerance\": 0.001, "
                + "\"epochs\": 1, \"batchSize\": 64, \"maxSamples\": 1000}", SparseCodingSpec.class);
        assertEquals(new SparseCodingSpec("L2", 32, 0.5, true, Encoder.THRESHOLD, 1, 10, 1e-3, 1, 64, 1000,
                SparseCodingSpec.AtomSource.LEARNED, 1.0), fromText);
        assertEquals(new SparseCodingSpec("L2", 32, 0.5, true, Encoder.THRESHOLD, 1, 10, 1e-3, 1, 64, 1000, null, null),
                fromText);
    }

    @Test
    void sampledAtomsKeepTheOtherFieldsAndCheckMaxCosine() {
        SparseCodingSpec sampled = SPEC.withEncoder(Encoder.COSINE_THRESHOLD).withLambda(0.6).withSampledAtoms(0.7);
        assertEquals(new SparseCodingSpec("L1", 64, 0.6, false, Encoder.COSINE_THRESHOLD, 1, 100, 1e-4, 2, 256, 50_000,
                SparseCodingSpec.AtomSource.SAMPLED, 0.7), sampled);
        // the other copies keep the atom source and maxCosine
        SparseCodingSpec changed = sampled.withAtoms(128).withMaxSamples(1000).withAtomPrefix("L2").withK(3).withEpochs(1);
        assertEquals(SparseCodingSpec.AtomSource.SAMPLED, changed.atomSource());
        assertEquals(0.7, changed.maxCosine());
        assertEquals(1.0, sampled.withSampledAtoms(1).maxCosine());
        // the encoder's own bound on lambda, checked before anything is fitted
        SparseCodingSpec cosine = SPEC.withEncoder(Encoder.COSINE_THRESHOLD);
        assertEquals(1.0, cosine.withLambda(1).lambda());
        assertRejected("invalid lambda = 1.5: expected a cosine in (0, 1] for the COSINE_THRESHOLD encoder",
                () -> cosine.withLambda(1.5));
        assertRejected("invalid lambda = 0.0: expected a cosine in (0, 1] for the COSINE_THRESHOLD encoder",
                () -> cosine.withLambda(0));
        assertRejected("invalid lambda = 2.0: expected a cosine in (0, 1] for the COSINE_THRESHOLD encoder",
                () -> SPEC.withEncoder(Encoder.FISTA).withLambda(2).withEncoder(Encoder.COSINE_THRESHOLD));
        assertRejected("invalid maxCosine = 0.0: expected a cosine in (0, 1]", () -> SPEC.withSampledAtoms(0));
        assertRejected("invalid maxCosine = -0.5: expected a cosine in (0, 1]", () -> SPEC.withSampledAtoms(-0.5));
        assertRejected("invalid maxCosine = 1.01: expected a cosine in (0, 1]", () -> SPEC.withSampledAtoms(1.01));
        assertRejected("invalid maxCosine = NaN: expected a cosine in (0, 1]", () -> SPEC.withSampledAtoms(Double.NaN));
    }
}
