package org.glassbox.framework.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output-folder rule: what {@link RunFolder} refuses, keeps, replaces and tidies up. */
class RunFolderTest {
    @TempDir
    Path tmp;

    /** Writes one file into a new run at {@code out} and commits it. */
    private static void run(Path out, String content) throws IOException {
        try (RunFolder folder = RunFolder.open(out, "test", false, List.of())) {
            Files.writeString(folder.staging().resolve("result.txt"), content);
            folder.commit();
        }
    }

    /** Every file below {@code dir} (relative path to content); an absent folder gives an empty map. */
    static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) return files;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    /** The file names directly in {@code dir}, sorted. */
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewFolderAppearsOnlyAtCommitWithItsMarker() throws IOException {
        Path out = tmp.resolve("a/b/run");
        try (RunFolder folder = RunFolder.open(out, "test", false, List.of())) {
            Files.writeString(folder.staging().resolve("result.txt"), "1");
            assertFalse(Files.exists(out), "nothing at --out before the commit");
            assertEquals(tmp.resolve("a/b/.run.partial").toRealPath(), folder.staging().toRealPath());
            folder.commit();
        }
        assertEquals("1", Files.readString(out.resolve("result.txt")));
        assertTrue(RunFolder.markerOf(out).isPresent());
        assertEquals(List.of("run"), names(tmp.resolve("a/b")), "no partial or replaced folder left beside it");
    }

    @Test
    void anEarlierRunIsReplacedWhole() throws IOException {
        Path out = tmp.resolve("run");
        run(out, "first");
        Files.writeString(out.resolve("extra.txt"), "of the first run");
        run(out, "second");
        assertEquals(List.of(RunFolder.MARKER, "result.txt"), names(out));
        assertEquals("second", Files.readString(out.resolve("result.txt")));
        assertEquals(List.of("run"), names(tmp));
    }

    @Test
    void aFailedRunLeavesTheEarlierRunUntouchedAndNoPartialFolder() throws IOException {
        Path out = tmp.resolve("run");
        run(out, "first");
        Map<String, String> before = contents(out);
        assertThrows(IllegalStateException.class, () -> {
            try (RunFolder folder = RunFolder.open(out, "test", false, List.of())) {
                Files.writeString(folder.staging().resolve("result.txt"), "half");
                throw new IllegalStateException("the fit failed");
            }
        });
        assertEquals(before, contents(out));
        assertEquals(List.of("run"), names(tmp));
    }

    @Test
    void aFolderWithOtherFilesIsRefusedUntouchedUnlessForced() throws IOException {
        Path out = tmp.resolve("mine");
        Files.createDirectories(out.resolve("notes"));
        Files.writeString(out.resolve("notes/thesis.tex"), "years of work");
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> RunFolder.open(out, "test", false, List.of()));
        assertEquals(out + ": --out holds files that Glassbox did not write (no glassbox-run.json); choose a new or "
                + "empty folder, or pass --force to replace it whole", e.getMessage());
        assertEquals(Map.of("notes/thesis.tex", "years of work"), contents(out));
        assertEquals(List.of("mine"), names(tmp), "refused before anything was written");

        try (RunFolder folder = RunFolder.open(out, "test", true, List.of())) {
            Files.writeString(folder.staging().resolve("result.txt"), "forced");
            assertEquals(Map.of("notes/thesis.tex", "years of work"), contents(out), "untouched until the commit");
            folder.commit();
        }
        assertEquals(List.of(RunFolder.MARKER, "result.txt"), names(out));
    }

    @Test
    void anEmptyFolderIsTakenWithoutForce() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("empty"));
        run(out, "1");
        assertEquals("1", Files.readString(out.resolve("result.txt")));
    }

    @Test
    void aFileIsRefusedEvenWithForce() throws IOException {
        Path file = Files.writeString(tmp.resolve("results.csv"), "a,b\n");
        for (boolean force : new boolean[] {false, true}) {
            GlassboxException e = assertThrows(GlassboxException.class,
                    () -> RunFolder.open(file, "test", force, List.of()));
            assertEquals(file + ": --out is a file (expected a folder to write the run into)", e.getMessage());
        }
        assertEquals("a,b\n", Files.readString(file));
        assertEquals(List.of("results.csv"), names(tmp));
    }

    @Test
    void aFolderHoldingAnInputIsRefusedEvenWithForce() throws IOException {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        Path cat = Files.writeString(pics.resolve("cat.png"), "photo");
        for (Path out : List.of(pics, tmp, Path.of(pics + "/../pics"))) {
            for (boolean force : new boolean[] {false, true}) {
                GlassboxException e = assertThrows(GlassboxException.class,
                        () -> RunFolder.open(out, "test", force, List.of(cat)));
                assertEquals(out + ": --out contains the input " + cat
                        + " (choose an output folder that holds none of the command's inputs)", e.getMessage());
            }
        }
        Path run = tmp.resolve("run");
        run(run, "model");
        assertThrows(GlassboxException.class, () -> RunFolder.open(run, "test", true, List.of(run)),
                "the model folder being read is the output folder");
        assertEquals("photo", Files.readString(cat));
        assertEquals("model", Files.readString(run.resolve("result.txt")));
    }

    @Test
    void aLinkToAnInputsFolderIsSeenThrough() throws IOException {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        Path cat = Files.writeString(pics.resolve("cat.png"), "photo");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), pics);
        assertThrows(GlassboxException.class, () -> RunFolder.open(link, "test", true, List.of(cat)));
        assertThrows(GlassboxException.class, () -> RunFolder.open(pics, "test", true, List.of(link.resolve("cat.png"))));
        assertEquals("photo", Files.readString(cat));
    }

    @Test
    void theRootFolderIsRefused() {
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> RunFolder.open(Path.of("/"), "test", true, List.of()));
        assertEquals("/: --out cannot be the root folder", e.getMessage());
    }

    @Test
    void anUnwritablePlaceFailsBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> RunFolder.open(file.resolve("run"), "test", false, List.of()));
        assertEquals(file.resolve("run") + ": cannot write --out here: FileAlreadyExists: " + file, e.getMessage());
    }

    /** Writes the marker of a process that no longer runs into {@code folder}. */
    private static void deadMarker(Path folder) throws IOException {
        Files.createDirectories(folder);
        Json.MAPPER.writeValue(folder.resolve(RunFolder.MARKER).toFile(),
                new RunFolder.Marker(RunFolder.FORMAT, "test", Long.MAX_VALUE, "2026-01-01T00:00:00Z"));
        Files.writeString(folder.resolve("half.txt"), "half");
    }

    @Test
    void aKilledRunsPartialFolderIsRemovedByTheNextRun() throws IOException {
        Path out = tmp.resolve("run");
        deadMarker(tmp.resolve(".run.partial"));
        run(out, "next");
        assertEquals(List.of("run"), names(tmp));
        assertEquals("next", Files.readString(out.resolve("result.txt")));
    }

    @Test
    void aPartialFolderWithoutTheMarkerIsNeverDeleted() throws IOException {
        Path partial = Files.createDirectories(tmp.resolve(".run.partial"));
        Files.writeString(partial.resolve("mine.txt"), "not Glassbox's");
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> RunFolder.open(tmp.resolve("run"), "test", true, List.of()));
        assertEquals(partial + ": is in the way of --out " + tmp.resolve("run") + " and was not written by Glassbox "
                + "(no glassbox-run.json); move it away", e.getMessage());
        assertEquals("not Glassbox's", Files.readString(partial.resolve("mine.txt")));
    }

    @Test
    void aRunStillWritingIsNotDisturbed() throws IOException {
        Path out = tmp.resolve("run");
        try (RunFolder first = RunFolder.open(out, "first", false, List.of())) {
            GlassboxException e = assertThrows(GlassboxException.class,
                    () -> RunFolder.open(out, "second", true, List.of()));
            assertTrue(e.getMessage().startsWith(out + ": another Glassbox process (pid " + ProcessHandle.current().pid()
                    + ", first) is writing it"), e.getMessage());
            assertTrue(Files.isDirectory(first.staging()));
        }
    }

    @Test
    void anEarlierRunLeftAsideByAKillBetweenTheRenamesIsMovedBack() throws IOException {
        Path out = tmp.resolve("run");
        run(out, "earlier");
        Files.move(out, tmp.resolve(".run.replaced"));
        try (RunFolder folder = RunFolder.open(out, "test", false, List.of())) {
            assertEquals("earlier", Files.readString(out.resolve("result.txt")), "moved back before the new run");
        }
        assertEquals(List.of("run"), names(tmp));
    }

    @Test
    void aResumableRunKeepsItsPartialFolderForResume() throws IOException {
        Path out = tmp.resolve("run");
        assertThrows(IllegalStateException.class, () -> {
            try (RunFolder folder = RunFolder.openResumable(out, "test", false, false, List.of())) {
                Files.writeString(folder.staging().resolve("checkpoint.txt"), "stage 1");
                throw new IllegalStateException("killed");
            }
        });
        GlassboxException refused = assertThrows(GlassboxException.class,
                () -> RunFolder.openResumable(out, "test", false, false, List.of()));
        assertEquals(out + ": an interrupted run is kept in " + tmp.resolve(".run.partial")
                + " (pass --resume to continue it, or --force to discard it and start again)", refused.getMessage());
        try (RunFolder folder = RunFolder.openResumable(out, "test", false, true, List.of())) {
            assertEquals("stage 1", Files.readString(folder.staging().resolve("checkpoint.txt")));
            folder.commit();
        }
        assertEquals("stage 1", Files.readString(out.resolve("checkpoint.txt")));
        GlassboxException none = assertThrows(GlassboxException.class,
                () -> RunFolder.openResumable(out, "test", false, true, List.of()));
        assertEquals(out + ": no interrupted run to resume (expected its partial folder " + tmp.resolve(".run.partial")
                + "; start again without --resume)", none.getMessage());
    }

    @Test
    void aResumableRunThatFailsBeforeWritingAnythingLeavesNothing() throws IOException {
        Path out = tmp.resolve("run");
        assertThrows(GlassboxException.class, () -> {
            try (RunFolder folder = RunFolder.openResumable(out, "test", false, false, List.of())) {
                throw new GlassboxException("a check failed before the first checkpoint");
            }
        });
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void forceDiscardsAnInterruptedRun() throws IOException {
        Path out = tmp.resolve("run");
        deadMarker(tmp.resolve(".run.partial"));
        try (RunFolder folder = RunFolder.openResumable(out, "test", true, false, List.of())) {
            assertEquals(List.of(RunFolder.MARKER), names(folder.staging()));
        }
    }
}
