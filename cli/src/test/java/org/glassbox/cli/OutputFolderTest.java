package org.glassbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.glassbox.framework.io.RunFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes applies the output-folder rule before any work: the findings of the
 * hostile-user probe of docs/reliability.md, each refused with exit code 2 and one line, nothing lost.
 */
class OutputFolderTest {
    @TempDir
    Path tmp;
    Path user;

    /** A folder of the user's, with a file Glassbox did not write. */
    @BeforeEach
    void userFolder() throws IOException {
        user = Files.createDirectories(tmp.resolve("user"));
        Files.writeString(user.resolve("thesis.tex"), "years of work");
    }

    /** Every file below {@code dir} with its bytes as text. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private static void assertRefused(String expectedLine, String... args) {
        MainTest.Result r = MainTest.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals("glassbox: " + expectedLine + System.lineSeparator(), r.err(), String.join(" ", args));
    }

    private String holdsOtherFiles(Path out) {
        return out + ": --out holds files that Glassbox did not write (no " + RunFolder.MARKER + "); choose a new or "
                + "empty folder, or pass --force to replace it whole";
    }

    @Test
    void noCommandEmptiesAFolderOfTheUsers() throws IOException {
        Map<String, String> before = contents(user);
        Path vectors = Files.writeString(tmp.resolve("vectors.txt"), "apple 0.1 0.2\npear 0.2 0.1\n");
        Path photo = photo(tmp.resolve("cat.png"));
        String out = user.toString();
        for (String[] args : new String[][] {
                {"mnist", "--out", out},
                {"imagenet", "--data", tmp.toString(), "--out", out},
                {"inspect", "--model", tmp.resolve("run").toString(), "--out", out},
                {"report", "--model", tmp.resolve("run").toString(), "--out", out},
                {"crops", "--out", out, photo.toString()},
                {"factors", "--vectors", vectors.toString(), "--out", out},
                {"topology", "--scramble", "1", "--out", out},
                {"mnist", "--scramble", "1", "--recover-topology", "--out", out}}) {
            assertRefused(holdsOtherFiles(user), args);
            assertEquals(before, contents(user), args[0]);
        }
        assertEquals(List.of("cat.png", "user", "vectors.txt"), names(tmp), "nothing written beside it either");
    }

    @Test
    void cropsNeverDeletesItsOwnInputPhotograph() throws IOException {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        Path cat = photo(pics.resolve("cat.png"));
        byte[] before = Files.readAllBytes(cat);
        for (String force : new String[] {"--seed=1", "--force"}) {
            assertRefused(pics + ": --out contains the input " + cat
                    + " (choose an output folder that holds none of the command's inputs)",
                    "crops", force, "--out", pics.toString(), cat.toString());
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(cat)));
    }

    @Test
    void inspectNeverReplacesTheModelItInspects() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run/model"));
        Files.writeString(run.resolve("manifest.json"), "{}");
        for (String out : new String[] {tmp.resolve("run").toString(), run.toString()}) {
            assertRefused(out + ": --out contains the input " + run
                    + " (choose an output folder that holds none of the command's inputs)",
                    "inspect", "--force", "--model", tmp.resolve("run").toString(), "--out", out);
        }
        assertEquals(Map.of("manifest.json", "{}"), contents(run));
    }

    @Test
    void aFileIsNeverReplacedByAFolder() throws IOException {
        Path file = Files.writeString(tmp.resolve("results.csv"), "a,b\n");
        assertRefused(file + ": --out is a file (expected a folder to write the run into)",
                "inspect", "--force", "--model", tmp.resolve("run").toString(), "--out", file.toString());
        assertEquals("a,b\n", Files.readString(file));
    }

    @Test
    void predictReplacesAFileOnlyWithForceAndNeverOneInsideTheModel() throws IOException {
        Path thesis = user.resolve("thesis.tex");
        assertRefused(thesis + ": --out exists; choose a new file name, or pass --force to replace it",
                "predict", "--model", tmp.resolve("run").toString(), "--out", thesis.toString());
        Path model = Files.createDirectories(tmp.resolve("run/model"));
        Path manifest = Files.writeString(model.resolve("manifest.json"), "{}");
        assertRefused(manifest + ": --out is inside the input " + model + " (choose a file outside the command's inputs)",
                "predict", "--force", "--model", tmp.resolve("run").toString(), "--out", manifest.toString());
        assertEquals(Map.of("thesis.tex", "years of work"), contents(user));
        assertEquals(Map.of("manifest.json", "{}"), contents(model));
    }

    @Test
    void reportWritesIntoTheModelsFolderOnlyWhenGlassboxWroteIt() throws IOException {
        Path model = Files.createDirectories(user.resolve("model"));
        Files.writeString(model.resolve("manifest.json"), "{}");
        for (Path given : List.of(model, user)) {
            assertRefused(user + ": not a Glassbox run folder (no " + RunFolder.MARKER + "), so the report is not "
                    + "written into it; give --out", "report", "--model", given.toString());
        }
        assertFalse(Files.exists(user.resolve("report")));
    }

    @Test
    void aSecondCropsRunReplacesTheFirstWhole() throws IOException {
        Path photo = photo(tmp.resolve("cat.png"));
        Path out = tmp.resolve("crops");
        MainTest.Result first = MainTest.run("crops", "--out", out.toString(), "--per-photo", "3", "--size", "8",
                photo.toString());
        assertEquals(0, first.code(), first.err());
        assertEquals(List.of("crops.csv", RunFolder.MARKER, "train", "val"), names(out));
        assertEquals(3, names(out.resolve("train/cat")).size());
        MainTest.Result second = MainTest.run("crops", "--out", out.toString(), "--per-photo", "2", "--size", "8",
                photo.toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(List.of("crop-0000.png", "crop-0001.png"), names(out.resolve("train/cat")),
                "no crop of the first run left");
        assertEquals(List.of("cat.png", "crops", "user"), names(tmp), "no partial or replaced folder left");
    }

    @Test
    void forceReplacesTheUsersFolderOnlyOnceTheNewRunIsComplete() throws IOException {
        Path photo = photo(tmp.resolve("cat.png"));
        MainTest.Result failed = MainTest.run("crops", "--force", "--out", user.toString(), "--size", "999",
                photo.toString());
        assertEquals(2, failed.code());
        assertEquals(Map.of("thesis.tex", "years of work"), contents(user), "a failed run leaves the folder as it was");
        MainTest.Result forced = MainTest.run("crops", "--force", "--out", user.toString(), "--per-photo", "1",
                "--size", "8", photo.toString());
        assertEquals(0, forced.code(), forced.err());
        assertEquals(List.of("crops.csv", RunFolder.MARKER, "train", "val"), names(user));
    }

    /** A 32 x 12 PNG photograph. */
    private static Path photo(Path file) throws IOException {
        BufferedImage image = new BufferedImage(32, 12, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 32; x++) image.setRGB(x, y, (x * 16) << 16 | (y * 20) << 8 | (x + y));
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
