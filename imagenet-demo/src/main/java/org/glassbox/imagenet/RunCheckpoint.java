package org.glassbox.imagenet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Json;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;

/**
 * The checkpoint of a long fit, {@code OUT/checkpoint/}: what the run is ({@code run.json}: seed,
 * fingerprints of the training and test file lists as scanned, the plan of stages), the checked file
 * lists with the files the check pass skipped ({@code checked-<set>.json}), and folders for the
 * fitted stages and the stored features. Every file and folder in it is written whole or not at
 * all ({@link AtomicFolder}). A run started without {@code --resume} refuses to overwrite an
 * existing checkpoint; a resumed run refuses a checkpoint made for another seed, data or plan,
 * naming the field.
 *
 * <p>No random-generator state is stored: every stage draws from
 * {@code FitContext.random(stageId)}, a function of the seed and the stage id only, so the seed and
 * the position reached (stages and chunks done) determine the rest of the run.
 */
public final class RunCheckpoint {
    /** The {@code format} of run.json. */
    public static final String FORMAT = "glassbox-imagenet-checkpoint";
    /** The version of the checkpoint layout this code writes and reads. */
    public static final int VERSION = 1;
    /** The most stages a stored plan may have. */
    static final int MAX_STAGES = 99;

    private final Path dir;

    private RunCheckpoint(Path dir) {
        this.dir = dir;
    }

    /**
     * What a run is: the seed, the SHA-256 fingerprints ({@link ImageFiles#fingerprint}) of the
     * training and test lists as scanned, before the check pass, and the plan (one line per stage).
     */
    public record Identity(long seed, String trainData, String testData, List<String> plan) {
    }

    /** run.json as stored. */
    record RunFile(String format, int formatVersion, long seed, String trainData, String testData, List<String> plan) {
    }

    /** A checked file list as stored. */
    record StoredList(String name, List<String> classes, List<String> files, int[] labels, List<StoredSkip> skipped) {
    }

    /** One file the check pass skipped. */
    record StoredSkip(String path, String reason, String detail) {
    }

    /**
     * Starts a new checkpoint in {@code out/checkpoint}, or with {@code resume} opens the one there.
     *
     * @throws GlassboxException when starting over an existing checkpoint, when resuming without one,
     *     or when the checkpoint belongs to another run
     */
    public static RunCheckpoint open(Path out, Identity identity, boolean resume) {
        Path dir = out.resolve("checkpoint");
        Path run = dir.resolve("run.json");
        if (!resume) {
            if (Files.exists(dir)) {
                throw new GlassboxException(dir + ": a checkpoint of an earlier run is here (pass --resume to continue "
                        + "it, or choose another --out)");
            }
            RunFile file = new RunFile(FORMAT, VERSION, identity.seed(), identity.trainData(), identity.testData(),
                    identity.plan());
            AtomicFolder.writeFile(run, tmp -> Json.MAPPER.writeValue(tmp.toFile(), file));
            return new RunCheckpoint(dir);
        }
        if (!Files.isRegularFile(run)) {
            throw new GlassboxException(run + ": no checkpoint to resume (expected the checkpoint of an earlier run "
                    + "with the same --out)");
        }
        RunFile stored = Json.readRecord(run, RunFile.class, "checkpoint");
        if (!FORMAT.equals(stored.format())) {
            throw new GlassboxException(run + ": format is '" + stored.format() + "' (expected '" + FORMAT + "')");
        }
        if (stored.formatVersion() != VERSION) {
            throw new GlassboxException(run + ": checkpoint format version " + stored.formatVersion()
                    + " (this Glassbox reads version " + VERSION + ")");
        }
        String again = " (resume with the same seed, data and plan, or start again without --resume)";
        if (stored.seed() != identity.seed()) {
            throw new GlassboxException(run + ": the checkpoint was made with seed " + stored.seed() + ", not "
                    + identity.seed() + again);
        }
        if (!stored.trainData().equals(identity.trainData())) {
            throw new GlassboxException(run + ": the checkpoint was made for other training images (file list SHA-256 "
                    + stored.trainData() + ", now " + identity.trainData() + ")" + again);
        }
        if (!stored.testData().equals(identity.testData())) {
            throw new GlassboxException(run + ": the checkpoint was made for other test images (file list SHA-256 "
                    + stored.testData() + ", now " + identity.testData() + ")" + again);
        }
        if (!stored.plan().equals(identity.plan())) {
            throw new GlassboxException(run + ": the checkpoint was made for another plan of stages "
                    + stored.plan() + ", not " + identity.plan() + again);
        }
        AtomicFolder.removeLeftovers(dir);
        return new RunCheckpoint(dir);
    }

    /** The checkpoint folder. */
    public Path dir() {
        return dir;
    }

    /** The folder of the stored features of {@code set} ({@link FeatureChunks}). */
    public Path features(String set) {
        return dir.resolve("features-" + set);
    }

    /** The model folder holding the first {@code n} fitted stages. */
    Path stages(int n) {
        return dir.resolve(String.format(java.util.Locale.ROOT, "stages-%02d", n));
    }

    /**
     * Stores {@code model}, whose pipeline holds the stages fitted so far, as the model folder
     * {@code stages-<n>} (n = its stage count), then removes the folder of fewer stages. Each folder is
     * written whole under a new name and never replaced, so a kill at any moment leaves at least one
     * complete folder once the first stage is stored (a folder of fewer stages
     * that a kill left half-deleted is never read: the larger one is complete).
     */
    public void saveStages(Model model) {
        int n = model.pipeline().stages().size();
        ModelFile.write(model, stages(n));
        for (int m = 1; m < n; m++) {
            try {
                AtomicFolder.deleteRecursively(stages(m));
            } catch (IOException e) {
                throw new GlassboxException(stages(m) + ": cannot remove an older stage checkpoint: " + e.getMessage(), e);
            }
        }
    }

    /** The stored model with the most fitted stages, if any stage was stored. */
    public Optional<Model> loadStages() {
        for (int n = MAX_STAGES; n > 0; n--) {
            if (Files.isRegularFile(stages(n).resolve(ModelFile.MANIFEST))) return Optional.of(ModelFile.read(stages(n)));
        }
        return Optional.empty();
    }

    /** Stores the checked list of {@code set} and the files the check skipped for it. */
    public void saveChecked(String set, ImageFiles checked, List<SkipLog.Entry> skipped) {
        List<StoredSkip> skips = new ArrayList<>();
        for (SkipLog.Entry e : skipped) skips.add(new StoredSkip(e.path().toString(), e.reason().name(), e.detail()));
        StoredList list = new StoredList(checked.name(), checked.classes(),
                checked.files().stream().map(Path::toString).toList(), checked.labels(), skips);
        AtomicFolder.writeFile(dir.resolve("checked-" + set + ".json"), tmp -> Json.MAPPER.writeValue(tmp.toFile(), list));
    }

    /**
     * The checked list of {@code set} if an earlier run stored it; its skipped files are replayed
     * into {@code log}, so counts and log lines are those of the original check.
     */
    public Optional<ImageFiles> loadChecked(String set, SkipLog log) {
        Path file = dir.resolve("checked-" + set + ".json");
        if (!Files.isRegularFile(file)) return Optional.empty();
        StoredList list = Json.readRecord(file, StoredList.class, "checked file list");
        for (StoredSkip s : list.skipped()) {
            SkipLog.Reason reason;
            try {
                reason = SkipLog.Reason.valueOf(s.reason());
            } catch (IllegalArgumentException e) {
                throw new GlassboxException(file + ": not a readable checked file list: unknown skip reason '" + s.reason()
                        + "' (expected one of " + java.util.Arrays.toString(SkipLog.Reason.values()) + ")");
            }
            log.skip(Path.of(s.path()), reason, s.detail());
        }
        return Optional.of(new ImageFiles(list.name(), list.classes(), list.files().stream().map(Path::of).toList(),
                list.labels()));
    }
}
