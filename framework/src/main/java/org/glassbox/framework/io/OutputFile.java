package org.glassbox.framework.io;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import org.glassbox.framework.error.GlassboxException;

/**
 * The output rule of a command whose {@code --out} is one file rather than a run folder
 * ({@link RunFolder}): {@link #check} refuses, before any work, a path that is a folder, a file
 * inside one of the command's inputs (even with {@code force}), and a file that exists already
 * unless {@code force} (a single file carries no marker that says Glassbox wrote it). The file is
 * then written with {@link AtomicFolder#writeFile}: it appears whole once complete, and a failure
 * leaves what was there before.
 */
public final class OutputFile {
    /** The help text of the {@code --force} option of a command that writes one file. */
    public static final String FORCE_HELP = "Replace --out if it exists (never a file inside the command's inputs); "
            + "the new file replaces it once complete.";

    private OutputFile() {
    }

    /**
     * Checks {@code out} against the rule and returns it as an absolute path with the symbolic
     * links of its existing part resolved.
     *
     * @param out the command's {@code --out}
     * @param force replace a file that exists
     * @param inputs the files and folders the command reads (null entries are ignored)
     * @throws GlassboxException naming {@code --out} and the reason
     */
    public static Path check(Path out, boolean force, Collection<Path> inputs) {
        Path target = RunFolder.canonical(out);
        if (Files.isDirectory(target)) {
            throw new GlassboxException(out + ": --out is a folder (expected a file to write)");
        }
        for (Path input : inputs) {
            if (input != null && target.startsWith(RunFolder.canonical(input))) {
                throw new GlassboxException(out + ": --out is inside the input " + input
                        + " (choose a file outside the command's inputs)");
            }
        }
        if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new GlassboxException(out + ": --out exists; choose a new file name, or pass --force to replace it");
        }
        return target;
    }
}
