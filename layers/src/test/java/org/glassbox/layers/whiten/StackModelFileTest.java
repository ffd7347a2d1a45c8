package org.glassbox.layers.whiten;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.pool.PoolingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Patches, whitening and pooling fitted as one pipeline on real digits, written as a model and read back. */
class StackModelFileTest {
    @TempDir
    Path dir;

    @Test
    void modelFilesRestoreTheSameStagesAndTheSameSeedWritesTheSameFiles() throws Exception {
        ImageSet all = EmbeddedMnist.split().train();
        int[] first = new int[300];
        for (int i = 0; i < first.length; i++) first[i] = i;
        ImageSet digits = all.select("first 300", first);
        List<Pipeline.Stage> stages = List.of(new Pipeline.Stage("L1.patches", new PatchSpec(6, 2)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults().withSamples(5_000)),
                new Pipeline.Stage("L1.pool", PoolingSpec.grid(PoolingSpec.Reduction.AVERAGE, 3, 3)));
        Pipeline fitted = Pipeline.fit(digits.source(), stages, FitContext.silent(5));
        assertEquals(new MapShape(3, 3, 36), fitted.outputShape());
        Provenance provenance = Provenance.now(5, digits.name(), digits.fingerprint(), digits.size());
        ModelFile.write(new Model(provenance, fitted, List.of(), Map.of()), dir.resolve("a"));

        Model read = ModelFile.read(dir.resolve("a"));
        for (int i = 0; i < stages.size(); i++) {
            Layer original = fitted.stages().get(i);
            Layer restored = read.pipeline().stages().get(i);
            assertEquals(original.id(), restored.id());
            assertEquals(original.spec(), restored.spec());
            assertEquals(original.parameters(), restored.parameters());
        }
        INDArray batch = digits.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 20),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertEquals(fitted.transform(batch), read.pipeline().transform(batch));
        assertArrayEquals(new long[] {20, 12, 12, 36}, read.pipeline().prefix(2).transform(batch).shape());

        Pipeline again = Pipeline.fit(digits.source(), stages, FitContext.silent(5));
        ModelFile.write(new Model(provenance, again, List.of(), Map.of()), dir.resolve("b"));
        for (String file : List.of("manifest.json", "L1.whiten.mean.npy", "L1.whiten.whitening.npy",
                "L1.whiten.unwhitening.npy")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
                    Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
    }
}
