package org.glassbox.words;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordVectorReaderTest {
    @TempDir
    Path dir;

    static Path sample() {
        try {
            return Path.of(WordVectorReaderTest.class.getResource("glove.6B.100d.top-5000.txt.gz").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheMostFrequentWordsOfTheRealSampleUpToTheLimit() {
        WordVectors v = WordVectorReader.read(sample(), 1000);
        assertEquals(1000, v.size());
        assertEquals(100, v.dimension());
        assertEquals(List.of("the", ",", ".", "of", "to"), v.words().subList(0, 5));
        assertEquals(0, v.badLines());
        // GloVe 6B 100-d, the first values of "the" as published.
        assertArrayEquals(new float[] {-0.038194f, -0.24487f, 0.72812f},
                v.vectors().getRow(0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).toFloatVector());
        assertEquals(5000, WordVectorReader.read(sample(), 100_000).size());
    }

    @Test
    void readsWord2vecTextWithItsHeader() throws IOException {
        Path p = file("w2v.txt", "3 2\ncat 1 2\ndog 3 4\nbird\t5\t6\n");
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("cat", "dog", "bird"), v.words());
        assertArrayEquals(new float[] {5f, 6f}, v.vectors().getRow(2).toFloatVector());
        assertEquals(2, v.indexOf("bird").getAsInt());
        assertEquals(false, v.indexOf("Bird").isPresent());
    }

    @Test
    void skipsBadLinesAndReportsEachWithItsLineNumber() throws IOException {
        Path p = file("bad.txt", String.join("\n",
                "a 1 2 3",
                "b 1 2",
                "c 1 x 3",
                "d 1 NaN 3",
                "",
                "a 4 5 6",
                "e 1 2 3 4",
                "f 7 8 9",
                "g 1 Infinity 2"));
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("a", "f"), v.words());
        assertEquals(7, v.badLines());
        assertEquals(List.of(
                p + " line 2: expected 3 values after the word but found 2",
                p + " line 3: value 2 ('x') is not a finite number",
                p + " line 4: value 2 ('NaN') is not a finite number",
                p + " line 5: empty line",
                p + " line 6: duplicate word 'a' (first on line 1)",
                p + " line 7: expected 3 values after the word but found 4",
                p + " line 9: value 2 ('Infinity') is not a finite number"), v.problems());
    }

    @Test
    void word2vecHeaderFixesTheDimension() throws IOException {
        Path p = file("w2v.txt", "2 3\ncat 1 2\ndog 3 4 5\n");
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("dog"), v.words());
        assertEquals(List.of(p + " line 2: expected 3 values after the word but found 2"), v.problems());
    }

    @Test
    void limitCountsOnlyValidVectors() throws IOException {
        Path p = file("l.txt", "a 1\nb x\nc 2\nd 3\n");
        WordVectors v = WordVectorReader.read(p, 2);
        assertEquals(List.of("a", "c"), v.words());
        assertEquals(1, v.badLines());
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws IOException {
        Path p = file("empty.txt", "");
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        assertEquals(p + ": no valid word vectors (expected lines \"word v1 ... vd\" in GloVe or word2vec text "
                + "format; the file is empty)", e.getMessage());
    }

    @Test
    void fileWithOnlyBadLinesIsAnErrorNamingTheFirstProblem() throws IOException {
        Path p = file("allbad.txt", "a 1 x\nb 2 y\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        assertEquals(p + ": no valid word vectors (expected lines \"word v1 ... vd\" in GloVe or word2vec text "
                + "format; 2 bad lines, the first: " + p + " line 1: value 2 ('x') is not a finite number)",
                e.getMessage());
    }

    @Test
    void headerOnlyIsAnError() throws IOException {
        Path p = file("header.txt", "0 300\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        assertEquals(p + ": no valid word vectors (expected lines \"word v1 ... vd\" in GloVe or word2vec text "
                + "format; no lines after the header)", e.getMessage());
    }

    @Test
    void missingFileAndBadLimitAreErrors() {
        Path p = dir.resolve("nope.txt");
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        assertEquals(p + ": file not found (expected word vectors in GloVe or word2vec text format)", e.getMessage());
        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> WordVectorReader.read(sample(), 0));
        assertEquals("invalid words = 0: expected between 1 and 4194304", bad.getMessage());
        bad = assertThrows(InvalidParameterException.class, () -> WordVectorReader.read(sample(), 4_194_305));
        assertEquals("invalid words = 4194305: expected between 1 and 4194304", bad.getMessage());
    }

    /**
     * 64 MiB of zero bytes, gzipped to 64 KiB: one line without end. Refused at its
     * 1,048,577th character, having allocated far less than the line.
     */
    @Test
    void gzippedZerosAreOneOverlongLineRefusedWithoutHoldingIt() throws IOException {
        Path p = dir.resolve("zeros.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) out.write(zeros);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(p + " line 1: longer than 1048576 characters (expected a word and its values on each line)",
                e.getMessage());
        assertTrue(allocated < 32L << 20, "allocated " + allocated);
    }

    @Test
    void overlongLineIsRefusedWithItsNumber() throws IOException {
        Path p = file("long.txt", "a 1 2\nb 3 4\nc" + " 5".repeat(600_000) + "\n");
        GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
        assertEquals(p + " line 3: longer than 1048576 characters (expected a word and its values on each line)",
                e.getMessage());
    }

    @Test
    void firstLineOfAnotherWidthIsSkippedAndTheMajorityWidthKept() throws IOException {
        Path p = file("mixed.txt", "a 1 2\nb 1 2 3 4\nc 5 6 7 8\nd 1 2 3\ne 9 9 9 9\n");
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("b", "c", "e"), v.words());
        assertEquals(4, v.dimension());
        assertEquals(2, v.badLines());
        assertEquals(List.of(p + " line 1: expected 4 values after the word but found 2",
                p + " line 4: expected 4 values after the word but found 3"), v.problems());
    }

    @Test
    void equallyCommonWidthsKeepTheOneSeenFirst() throws IOException {
        Path p = file("tie.txt", "a 1\nb 1 2\nc 3 4\nd 5\n");
        assertEquals(List.of("a", "d"), WordVectorReader.read(p, 10).words());
    }

    @Test
    void widthIsSampledFromTheFirstThousandLinesOnly() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) text.append("w").append(i).append(" 1 2\n");
        for (int i = 0; i < 1001; i++) text.append("x").append(i).append(" 1 2 3\n");
        WordVectors v = WordVectorReader.read(file("sample.txt", text.toString()), 5000);
        assertEquals(2, v.dimension());
        assertEquals(1000, v.size());
        assertEquals(1001, v.badLines());
    }

    @Test
    void word2vecHeaderWithAnUntrustedHugeCountGivesTheDimension() throws IOException {
        Path p = file("w2v.txt", "5000000000 3\ncat 1 2 3\ndog 4 5 6\n");
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("cat", "dog"), v.words());
        assertEquals(3, v.dimension());
        assertEquals(0, v.badLines());
    }

    @Test
    void word2vecHeaderDimensionOutsideItsRangeIsAnError() throws IOException {
        for (String dim : new String[] {"0", "268435457", "123456789012345678901234567890"}) {
            Path p = file("w2v.txt", "10 " + dim + "\ncat 1 2 3\n");
            GlassboxException e = assertThrows(GlassboxException.class, () -> WordVectorReader.read(p, 10));
            String shown = dim.length() > 20 ? dim.substring(0, 20) + "..." : dim;
            assertEquals(p + " line 1: word2vec header gives dimension " + shown + " (expected 1 to 268435456)",
                    e.getMessage());
        }
    }

    @Test
    void linesEndAtLineFeedsCarriageReturnsOrBoth() throws IOException {
        Path p = file("ends.txt", "a 1 2\r\nb 3 4\rc 5 6\n\rd 7 8");
        WordVectors v = WordVectorReader.read(p, 10);
        assertEquals(List.of("a", "b", "c", "d"), v.words());
        assertEquals(List.of(p + " line 4: empty line"), v.problems());
    }
}
