package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.io.Npy;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TopologyRunTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLayoutThePermutationTheMetricsAndThePictures() throws Exception {
        INDArray images = SyntheticField.images(2200, 12, 10, 0.05, 8);
        TrainTest split = new TrainTest(
                new ImageSet("train", images.get(NDArrayIndex.interval(0, 2000)).dup(), new int[2000], 1),
                new ImageSet("test", images.get(NDArrayIndex.interval(2000, 2200)).dup(), new int[200], 1));
        TopologyRun.Scrambled scrambled = TopologyRun.scramble(split, 4L, null);
        TopologyRecovery.Result r = TopologyRecovery.recover(scrambled.split().train().images(), "train", 1, Progress.silent());
        TopologyRun.Metrics m = TopologyRun.write(dir, split, scrambled, r, 1, "field");
        assertEquals(1.0, m.layout().neighbours4());
        assertEquals("seed 4", m.scramble());
        assertArrayEquals(Scramble.permutation(120, 4), Scramble.read(dir.resolve("scramble.npy"), 120));
        int[] layout = Scramble.read(dir.resolve("layout.npy"), 120);
        assertArrayEquals(r.layout().pixelAt(), layout);
        assertTrue(Files.size(dir.resolve("layout.png")) > 100);
        assertTrue(Files.size(dir.resolve("unscrambled.png")) > 100);
        assertEquals(12, Npy.read(dir.resolve("layout.npy")).size(0));
        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(m));
        for (String field : new String[] {"neighbours_4", "neighbours_8", "spearman", "varying_pixels", "constant_pixels"}) {
            assertTrue(json.has(field), field);
        }
    }

    @Test
    void aScrambleSeedAndAPermutationFileTogetherAreRefused() {
        assertThrows(GlassboxException.class,
                () -> new TopologyRun.Options(dir.resolve("out"), null, null, 1L, dir.resolve("p.npy"), 1, false));
    }

    @Test
    void aPermutationFileOfTheWrongLengthIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = dir.resolve("p.npy");
        Npy.write(Scramble.toArray(Scramble.permutation(100, 1), 10, 10), file);
        Path out = dir.resolve("out");
        GlassboxException e = assertThrows(GlassboxException.class, () -> TopologyRun.run(
                new TopologyRun.Options(out, null, null, null, file, 1, false), Progress.silent(),
                new java.io.PrintWriter(java.io.Writer.nullWriter())));
        assertTrue(e.getMessage().contains("100 entries, but the images have 784 pixels"), e.getMessage());
        assertTrue(!Files.exists(out));
    }
}
