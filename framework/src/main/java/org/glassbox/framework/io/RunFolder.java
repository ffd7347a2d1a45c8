package org.glassbox.framework.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.glassbox.framework.error.GlassboxException;

/**
 * The output folder of a command ({@code --out}), kept whole: the one rule by which every command
 * writes its results (docs/reliability.md).
 *
 * <ul>
 *   <li>{@link #open} checks {@code --out} before any work: it refuses a path that is a file, a folder
 *       that contains one of the command's inputs, and a folder that holds anything Glassbox did not
 *       write (a Glassbox run folder carries the marker file {@value #MARKER}) unless {@code force};
 *       it fails at once on a place it cannot write.</li>
 *   <li>The command writes everything into {@link #staging()}, the folder {@code .<name>.partial}
 *       beside {@code --out}; {@link #commit} swaps it in by rename. A failure or a kill at any point
 *       before the swap leaves the earlier run in {@code --out} complete and untouched.</li>
 *   <li>The swap moves the earlier run aside to {@code .<name>.replaced}, moves the new one in and
 *       then deletes the earlier one. A process killed between the two renames leaves the earlier
 *       run under {@code .<name>.replaced}; the next {@link #open} moves it back.</li>
 *   <li>A partial folder whose owner (process id and start time in its marker) is no longer running
 *       is removed by the next {@link #open}, unless the command resumes it ({@link #openResumable}).</li>
 * </ul>
 *
 * Nothing is ever deleted that does not carry the marker, except with {@code force}, and then only
 * the {@code --out} folder itself, by the swap, after the new run is complete.
 */
public final class RunFolder implements AutoCloseable {
    /** The marker file of every run folder and partial folder Glassbox writes. */
    public static final String MARKER = "glassbox-run.json";
    /** The {@code format} of the marker file. */
    public static final String FORMAT = "glassbox-run";
    /** The help text of the {@code --force} option of every command that writes a run folder. */
    public static final String FORCE_HELP = "Replace --out even if it holds files Glassbox did not write "
            + "(never a folder that holds the command's inputs); the new run replaces it whole once complete.";

    /** The marker's content: the command that wrote the folder and the process that owns a partial folder. */
    record Marker(String format, String command, long pid, String started) {
    }

    /** The process id in the marker of a partial folder that no process owns any more. */
    private static final long NO_OWNER = 0;

    private final Path target;
    private final Path staging;
    private final String command;
    private final boolean resumable;
    private boolean committed;

    private RunFolder(Path target, Path staging, String command, boolean resumable) {
        this.target = target;
        this.staging = staging;
        this.command = command;
        this.resumable = resumable;
    }

    /**
     * Checks {@code out} and starts a new partial folder beside it, removing a partial folder that a
     * killed run left there.
     *
     * @param out the command's {@code --out}
     * @param command the command's name, stored in the marker
     * @param force replace {@code out} even when it holds files Glassbox did not write
     * @param inputs the files and folders the command reads; {@code out} may not contain any of them
     * @throws GlassboxException naming {@code --out} and the reason, before anything is written
     */
    public static RunFolder open(Path out, String command, boolean force, Collection<Path> inputs) {
        Path target = check(out, force, inputs);
        Path partial = sibling(target, "partial");
        Optional<Marker> owner = markerOf(partial);
        if (owner.isPresent() && running(owner.get())) throw inUse(out, partial, owner.get());
        deleteOwned(partial, out);
        return start(target, partial, command, false);
    }

    /**
     * As {@link #open}, for a command that can continue an interrupted run: with {@code resume} it
     * continues the partial folder a killed run left beside {@code out}; without, it refuses to
     * discard such a folder unless {@code force}. A run that fails keeps its partial folder for a later
     * {@code --resume}.
     *
     * @throws GlassboxException when resuming with no partial folder, or when not resuming over one
     *     without {@code force}
     */
    public static RunFolder openResumable(Path out, String command, boolean force, boolean resume,
            Collection<Path> inputs) {
        Path target = check(out, force, inputs);
        Path partial = sibling(target, "partial");
        Optional<Marker> owner = markerOf(partial);
        if (owner.isPresent() && running(owner.get())) throw inUse(out, partial, owner.get());
        if (resume) {
            if (owner.isEmpty()) {
                throw new GlassboxException(out + ": no interrupted run to resume (expected its partial folder "
                        + partial + "; start again without --resume)");
            }
            writeMarker(partial, command);
            return new RunFolder(target, partial, command, true);
        }
        if (owner.isPresent() && !force) {
            throw new GlassboxException(out + ": an interrupted run is kept in " + partial
                    + " (pass --resume to continue it, or --force to discard it and start again)");
        }
        deleteOwned(partial, out);
        return start(target, partial, command, true);
    }

    /** The folder the command writes into; it becomes {@code --out} at {@link #commit}. */
    public Path staging() {
        return staging;
    }

    /** Where the run appears at {@link #commit}: {@code --out} as an absolute path. */
    public Path target() {
        return target;
    }

    /** Swaps the complete run in for whatever {@code --out} held. */
    public void commit() {
        Path replaced = sibling(target, "replaced");
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFolder.deleteRecursively(replaced);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
            committed = true;
        } catch (IOException e) {
            throw new GlassboxException(target + ": cannot put the new run in place: " + reason(e), e);
        }
    }

    /**
     * Ends the run: a run that was not committed leaves {@code --out} as it was, and its partial
     * folder is removed, or kept for {@code --resume} (its marker names no owner any more) when the
     * folder was opened by {@link #openResumable} and the run wrote anything into it.
     */
    @Override
    public void close() {
        if (committed) return;
        try {
            if (resumable && !holdsOnlyTheMarker(staging)) {
                Json.MAPPER.writeValue(staging.resolve(MARKER).toFile(), new Marker(FORMAT, command, NO_OWNER, ""));
            } else {
                AtomicFolder.deleteRecursively(staging);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // the failure that ended the run is the one to report; the next run removes or resumes the folder
        }
    }

    /**
     * Checks {@code out} against the rule, moves back an earlier run that a kill left aside, and
     * returns the absolute target.
     */
    private static Path check(Path out, boolean force, Collection<Path> inputs) {
        Path target = canonical(out);
        if (target.getParent() == null) {
            throw new GlassboxException(out + ": --out cannot be the root folder");
        }
        for (Path input : inputs) {
            if (input == null) continue;
            Path in = canonical(input);
            if (in.startsWith(target)) {
                throw new GlassboxException(out + ": --out contains the input " + input
                        + " (choose an output folder that holds none of the command's inputs)");
            }
        }
        recoverReplaced(target);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new GlassboxException(out + ": --out is a file (expected a folder to write the run into)");
            }
            if (!force && markerOf(target).isEmpty() && !isEmpty(target)) {
                throw new GlassboxException(out + ": --out holds files that Glassbox did not write (no " + MARKER
                        + "); choose a new or empty folder, or pass --force to replace it whole");
            }
        }
        return target;
    }

    /**
     * The absolute path of {@code p} with every symbolic link of its existing part resolved, so that
     * two spellings of one folder compare equal.
     */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    private static RunFolder start(Path target, Path partial, String command, boolean resumable) {
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectory(partial);
        } catch (IOException e) {
            throw new GlassboxException(target + ": cannot write --out here: " + reason(e), e);
        }
        writeMarker(partial, command);
        return new RunFolder(target, partial, command, resumable);
    }

    private static void writeMarker(Path folder, String command) {
        ProcessHandle self = ProcessHandle.current();
        Marker marker = new Marker(FORMAT, command, self.pid(), started(self));
        try {
            Json.MAPPER.writeValue(folder.resolve(MARKER).toFile(), marker);
        } catch (IOException e) {
            throw new GlassboxException(folder + ": cannot write " + MARKER + ": " + reason(e), e);
        }
    }

    /** Whether {@code folder} is a run folder Glassbox wrote: a folder holding the marker file. */
    public static boolean isRunFolder(Path folder) {
        return markerOf(folder).isPresent();
    }

    /** The marker of {@code folder}, if it is a folder (not a link) holding a readable one. */
    static Optional<Marker> markerOf(Path folder) {
        Path file = folder.resolve(MARKER);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > 4096) return Optional.empty();
            Marker m = Json.MAPPER.readValue(file.toFile(), Marker.class);
            return FORMAT.equals(m.format()) ? Optional.of(m) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the process that wrote {@code marker} is still running (the same process id and start time). */
    static boolean running(Marker marker) {
        return marker.pid() != NO_OWNER && ProcessHandle.of(marker.pid()).filter(ProcessHandle::isAlive)
                .map(p -> started(p).equals(marker.started())).orElse(false);
    }

    private static String started(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toString).orElse("unknown");
    }

    /** Moves an earlier run back into place when a kill between the swap's two renames left it aside. */
    private static void recoverReplaced(Path target) {
        Path replaced = sibling(target, "replaced");
        if (markerOf(replaced).isEmpty()) return;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                AtomicFolder.deleteRecursively(replaced);
            } else {
                Files.move(replaced, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new GlassboxException(replaced + ": cannot tidy up after an interrupted run: " + reason(e), e);
        }
    }

    /** Deletes a partial folder only if it carries the marker; refuses to touch anything else there. */
    private static void deleteOwned(Path partial, Path out) {
        if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) return;
        if (markerOf(partial).isEmpty()) {
            throw new GlassboxException(partial + ": is in the way of --out " + out + " and was not written by "
                    + "Glassbox (no " + MARKER + "); move it away");
        }
        try {
            AtomicFolder.deleteRecursively(partial);
        } catch (IOException e) {
            throw new GlassboxException(partial + ": cannot remove the folder of an interrupted run: " + reason(e), e);
        }
    }

    private static GlassboxException inUse(Path out, Path partial, Marker owner) {
        return new GlassboxException(out + ": another Glassbox process (pid " + owner.pid() + ", " + owner.command()
                + ") is writing it (" + partial + ")");
    }

    private static Path sibling(Path target, String role) {
        return target.resolveSibling("." + target.getFileName() + "." + role);
    }

    private static boolean holdsOnlyTheMarker(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals(MARKER)) return false;
            }
            return true;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new GlassboxException(dir + ": cannot read --out: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }
}
