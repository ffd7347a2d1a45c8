package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeatureChunksTest {
    /** Samples per chunk in these tests: 14 images make 5 chunks. */
    static final int CHUNK = 3;

    @TempDir
    Path root;

    /** The stream both this test and {@link EncodeChild} encode. */
    static ImageStream stream(Path data) {
        SkipLog quiet = new SkipLog(s -> { });
        return ImageStream.open(ClassFolderTree.read(data, quiet), new Preprocess(12, 10, 10, Preprocess.Crop.RANDOM),
                StreamOptions.of(2, 9), quiet, Progress.silent());
    }

    private Path data() {
        Path data = root.resolve("data");
        for (int i = 0; i < 14; i++) {
            final int k = i;
            TestImages.write(data.resolve("c" + (i % 4) + "/img" + i + ".png"), "png", 14 + i, 12 + (i % 5),
                    (x, y) -> (x * 13 + k * 7) % 256 << 16 | (y * 11 + k) % 256 << 8 | (x * y * k) % 256);
        }
        return data;
    }

    private static List<Integer> encode(ImageStream s, Path dir) {
        List<Integer> computed = new ArrayList<>();
        FeatureChunks.encode(s, new Pipeline(s.shape(), List.of()), dir, CHUNK, 2, (chunk, chunks, fresh) -> {
            if (fresh) computed.add(chunk);
        });
        return computed;
    }

    @Test
    void aPassKilledInAnotherJvmResumesToIdenticalFiles() throws Exception {
        Path data = data();
        ImageStream s = stream(data);
        Path whole = root.resolve("whole");
        assertEquals(List.of(0, 1, 2, 3, 4), encode(s, whole));

        Path resumed = root.resolve("resumed");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                EncodeChild.class.getName(), data.toString(), resumed.toString(), "2").redirectErrorStream(true).start();
        CompletableFuture<Boolean> reachedChunk2 = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("stored 2")) return true;
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try {
            assertTrue(reachedChunk2.get(180, TimeUnit.SECONDS), "the child JVM ended before storing chunk 2");
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(Files.isDirectory(FeatureChunks.chunkDir(resumed, 2)));
        assertFalse(Files.exists(FeatureChunks.chunkDir(resumed, 3)));
        // what a writer killed in the middle of chunk 3 leaves behind
        Path leftover = resumed.resolve(".chunk-00003.tmp-999999");
        Files.createDirectories(leftover);
        Files.write(leftover.resolve("features.npy"), new byte[] {1, 2, 3});

        assertEquals(List.of(3, 4), encode(s, resumed));

        assertFalse(Files.exists(leftover));
        for (int c = 0; c < 5; c++) {
            for (String f : List.of("features.npy", "labels.npy")) {
                assertArrayEquals(Files.readAllBytes(FeatureChunks.chunkDir(whole, c).resolve(f)),
                        Files.readAllBytes(FeatureChunks.chunkDir(resumed, c).resolve(f)), "chunk " + c + " " + f);
            }
        }
    }

    @Test
    void storedChunksReadBackAsTheStreamedImagesAndLabels() {
        ImageStream s = stream(data());
        Path dir = root.resolve("features");
        encode(s, dir);
        FeatureChunks.Stored stored = FeatureChunks.read(dir, 5);
        assertEquals(14, stored.samples());
        assertEquals(s.shape(), stored.shape());
        assertArrayEquals(s.labels(), stored.labels());
        INDArray expected = s.load().images();
        INDArray got = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 14, 10, 10, 3);
        stored.forEachBatch(4, (batch, offset) -> got.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset,
                offset + batch.size(0)), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(batch));
        assertEquals(expected, got);
        assertEquals(List.of(), encode(s, dir));
    }

    @Test
    void aMissingChunkIsNamed() {
        ImageStream s = stream(data());
        Path dir = root.resolve("features");
        encode(s, dir);
        GlassboxException e = assertThrows(GlassboxException.class, () -> FeatureChunks.read(dir, 6));
        assertEquals(FeatureChunks.chunkDir(dir, 5) + ": chunk not found (expected 6 chunks in " + dir + ")", e.getMessage());
    }

    @Test
    void storedOutputsFollowedByOthersReadBackAsOneSourceWithBothLabelLists() {
        ImageStream s = stream(data());
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        encode(s, first);
        encode(s, second);
        FeatureChunks.Stored both = FeatureChunks.read(first, 5).then(FeatureChunks.read(second, 5));
        assertEquals(28, both.samples());
        int[] labels = s.labels();
        int[] twice = new int[28];
        System.arraycopy(labels, 0, twice, 0, 14);
        System.arraycopy(labels, 0, twice, 14, 14);
        assertArrayEquals(twice, both.labels());
        INDArray images = s.load().images();
        List<Long> offsets = new java.util.ArrayList<>();
        both.forEachBatch(4, (batch, offset) -> {
            offsets.add(offset);
            for (int i = 0; i < batch.size(0); i++) {
                assertEquals(images.slice((offset + i) % 14), batch.slice(i), "sample " + (offset + i));
            }
        });
        assertEquals(28L, offsets.get(offsets.size() - 1) + 2, "the last batch holds the last two samples");
    }
}
