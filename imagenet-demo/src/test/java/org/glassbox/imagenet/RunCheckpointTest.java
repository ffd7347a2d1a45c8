package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCheckpointTest {
    @TempDir
    Path out;

    private static final List<String> PLAN = List.of("L1.patches {size=7}", "L1.code {atoms=256}");
    private final RunCheckpoint.Identity id = new RunCheckpoint.Identity(1, "aaa", "bbb", PLAN);

    private String refusal(RunCheckpoint.Identity other) {
        return assertThrows(GlassboxException.class, () -> RunCheckpoint.open(out, other, true)).getMessage();
    }

    @Test
    void aResumedRunMustBeTheSameRun() {
        RunCheckpoint.open(out, id, false);
        Path run = out.resolve("checkpoint/run.json");
        String again = " (resume with the same seed, data and plan, or start again without --resume)";
        assertEquals(run + ": the checkpoint was made with seed 1, not 2" + again,
                refusal(new RunCheckpoint.Identity(2, "aaa", "bbb", PLAN)));
        assertEquals(run + ": the checkpoint was made for other training images (file list SHA-256 aaa, now ccc)" + again,
                refusal(new RunCheckpoint.Identity(1, "ccc", "bbb", PLAN)));
        assertEquals(run + ": the checkpoint was made for other test images (file list SHA-256 bbb, now ccc)" + again,
                refusal(new RunCheckpoint.Identity(1, "aaa", "ccc", PLAN)));
        assertEquals(run + ": the checkpoint was made for another plan of stages " + PLAN + ", not [L1.patches {size=5}]"
                + again, refusal(new RunCheckpoint.Identity(1, "aaa", "bbb", List.of("L1.patches {size=5}"))));
        assertEquals(out.resolve("checkpoint"), RunCheckpoint.open(out, id, true).dir());
    }

    @Test
    void startingOverACheckpointOrResumingNothingIsRefused() {
        assertEquals(out.resolve("checkpoint/run.json") + ": no checkpoint to resume (expected the checkpoint of an "
                + "earlier run with the same --out)", refusal(id));
        RunCheckpoint.open(out, id, false);
        assertEquals(out.resolve("checkpoint") + ": a checkpoint of an earlier run is here (pass --resume to continue "
                + "it, or choose another --out)",
                assertThrows(GlassboxException.class, () -> RunCheckpoint.open(out, id, false)).getMessage());
    }

    @Test
    void aDamagedCheckpointIsRefusedWithTheFieldItLacks() throws Exception {
        RunCheckpoint.open(out, id, false);
        Path run = out.resolve("checkpoint/run.json");
        String text = java.nio.file.Files.readString(run);
        java.nio.file.Files.writeString(run, text.replaceFirst("\"plan\"", "\"plans\""));
        assertEquals(run + ": not a readable checkpoint: missing field $.plan (absent or null)", refusal(id));
        java.nio.file.Files.writeString(run, "{\"format\": ");
        assertTrue(refusal(id).startsWith(run + ": not a readable checkpoint: "), refusal(id));
        RunCheckpoint.open(out.resolve("other"), id, false).saveChecked("train", new ImageFiles("data/train", List.of("a"),
                List.of(Path.of("data/a/1.png")), new int[] {0}), List.of(new SkipLog.Entry(Path.of("data/a/bad.jpg"),
                SkipLog.Reason.CORRUPT, "broken")));
        Path list = out.resolve("other/checkpoint/checked-train.json");
        java.nio.file.Files.writeString(list, java.nio.file.Files.readString(list).replace("CORRUPT", "EATEN"));
        RunCheckpoint cp = RunCheckpoint.open(out.resolve("other"), id, true);
        assertEquals(list + ": not a readable checked file list: unknown skip reason 'EATEN' (expected one of "
                + java.util.Arrays.toString(SkipLog.Reason.values()) + ")",
                assertThrows(GlassboxException.class, () -> cp.loadChecked("train", SkipLog.toStandardError())).getMessage());
    }

    @Test
    void checkedListsAndTheirSkipsComeBack() {
        RunCheckpoint cp = RunCheckpoint.open(out, id, false);
        ImageFiles files = new ImageFiles("data/train", List.of("a", "b"), List.of(Path.of("data/a/1.png"),
                Path.of("data/b/2.png"), Path.of("data/b/3.png")), new int[] {0, 1, 1});
        List<SkipLog.Entry> skipped = List.of(new SkipLog.Entry(Path.of("data/a/bad.jpg"), SkipLog.Reason.CORRUPT,
                "no image reader recognises its content"));
        cp.saveChecked("train", files, skipped);

        List<String> lines = new ArrayList<>();
        SkipLog log = new SkipLog(lines::add);
        ImageFiles back = RunCheckpoint.open(out, id, true).loadChecked("train", log).orElseThrow();

        assertEquals(files.fingerprint(), back.fingerprint());
        assertEquals(files.files(), back.files());
        assertArrayEquals(files.labels(), back.labels());
        assertEquals(List.of("skipped data/a/bad.jpg: corrupt or not a JPEG/PNG image: no image reader recognises its content"),
                lines);
        assertEquals(1, log.count(SkipLog.Reason.CORRUPT));
        assertTrue(cp.loadChecked("test", log).isEmpty());
    }
}
