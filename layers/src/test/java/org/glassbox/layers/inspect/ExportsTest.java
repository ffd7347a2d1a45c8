package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.inspect.AtomCatalog;
import org.glassbox.framework.inspect.Exports;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.readout.LinearReadout;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exports: every array reads back through Npy.read as written, and the catalog JSON holds every atom. */
class ExportsTest {
    @TempDir
    Path tmp;

    @Test
    void arraysAndCatalogRoundTrip() throws Exception {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test().select("first 40", java.util.stream.IntStream.range(0, 40).toArray());
        Pipeline p = m.model.pipeline();
        AtomCatalog catalog = AtomCatalog.build(p, test, 3, Progress.silent());
        Path dir = tmp.resolve("export");
        Exports.write(m.model.pipeline(), m.model.readouts(), catalog, test, dir, Progress.silent());

        SparseCodingLayer l1 = (SparseCodingLayer) p.stages().get(2);
        assertEquals(l1.dictionary(), Npy.read(dir.resolve("atoms/L1.dictionary.npy")));
        assertEquals(l1.usage(), Npy.read(dir.resolve("atoms/L1.usage.npy")));
        assertEquals(catalog.images("L2"), Npy.read(dir.resolve("atoms/L2.images.npy")));
        LinearReadout linear = (LinearReadout) m.model.readout("linear");
        assertEquals(linear.weights(), Npy.read(dir.resolve("readouts/linear.weights.npy")));
        assertEquals(linear.bias(), Npy.read(dir.resolve("readouts/linear.bias.npy")));
        assertArrayEquals(test.labels(), Npy.read(dir.resolve("codes/labels.npy")).toIntVector());

        INDArray features = p.transformAll(test.source());
        assertEquals(features, Npy.read(dir.resolve("codes/features.npy")));
        INDArray codes = p.prefix(3).transformAll(test.source());
        INDArray summed = codes.sum(1, 2);
        INDArray exported = Npy.read(dir.resolve("codes/L1.codes.npy"));
        assertArrayEquals(new long[] {40, 12}, exported.shape());
        assertEquals(0, summed.sub(exported).norm2Number().doubleValue(), 1e-3 * summed.norm2Number().doubleValue());

        JsonNode json = Json.MAPPER.readTree(dir.resolve("catalog.json").toFile());
        assertEquals(10, json.get("classes").asInt());
        assertEquals(10, json.get("channels").size());
        assertEquals("L2/a0", json.get("channels").get(0).asText());
        assertEquals(12, json.get("layers").get(0).get("atoms").size());
        JsonNode atom = json.get("layers").get(1).get("atoms").get(2);
        assertEquals("L2/a2", atom.get("id").asText());
        assertEquals(catalog.layers().get(1).atoms().get(2).entropy(), atom.get("entropy").asDouble(), 0.0);
        AtomCatalog.TopInput top = catalog.layers().get(1).atoms().get(2).top().get(0);
        assertEquals(catalog.layers().get(1).atoms().get(2).top().size(), atom.get("top").size());
        assertEquals(top.index(), atom.get("top").get(0).get("index").asInt());
        assertEquals(top.rows().from(), atom.get("top").get(0).get("rows").get("from").asInt());
    }
}
