package org.glassbox.framework.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.glassbox.framework.io.Sha256;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedMnistTest {
    static ImageSet all;

    @BeforeAll
    static void load() {
        all = EmbeddedMnist.all();
    }

    @Test
    void holdsTheTenThousandDigitsOfTheNpmPackage() {
        assertArrayEquals(new long[] {10_000, 28, 28, 1}, all.images().shape());
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, all.classCounts());
        assertEquals(0f, all.images().minNumber().floatValue());
        assertEquals(1f, all.images().maxNumber().floatValue());
    }

    @Test
    void resourceFilesMatchTheChecksumsInDocs() throws IOException {
        assertEquals("4397f67f2a5bff0f5dd2c14ceed762c8c0fd02f36ea009c862cdc4f4ae4524ed", sha(EmbeddedMnist.IMAGES));
        assertEquals("7ad084525f183dd1360873af872e92c421e4c6a2bfd65f5b93abe149b93f47d2", sha(EmbeddedMnist.LABELS));
    }

    private static String sha(String name) throws IOException {
        try (InputStream in = EmbeddedMnist.class.getResourceAsStream(EmbeddedMnist.RESOURCE + name)) {
            return Sha256.of(in.readAllBytes());
        }
    }

    @Test
    void fixedSplitIsStratifiedDisjointAndRepeatable() {
        TrainTest a = StratifiedSplit.split(all, 0.2, EmbeddedMnist.SPLIT_SEED);
        TrainTest b = StratifiedSplit.split(all, 0.2, EmbeddedMnist.SPLIT_SEED);
        assertEquals(8000, a.train().size());
        assertEquals(2000, a.test().size());
        assertEquals(a.test().fingerprint(), b.test().fingerprint());
        int[] testCounts = a.test().classCounts();
        int[] allCounts = all.classCounts();
        for (int c = 0; c < 10; c++) {
            assertTrue(Math.abs(testCounts[c] - allCounts[c] * 0.2) <= 1, "class " + c + ": " + testCounts[c]);
        }
        Set<String> trainImages = new HashSet<>();
        for (float[] image : a.train().images().reshape(8000, 784).toFloatMatrix()) trainImages.add(Arrays.toString(image));
        int overlap = 0;
        for (float[] image : a.test().images().reshape(2000, 784).toFloatMatrix()) {
            if (trainImages.contains(Arrays.toString(image))) overlap++;
        }
        assertTrue(overlap <= 2, "test images found in train: " + overlap);
        TrainTest other = StratifiedSplit.split(all, 0.2, 1);
        assertTrue(!other.test().fingerprint().equals(a.test().fingerprint()), "another seed gives another split");
    }
}
