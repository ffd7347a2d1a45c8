package org.glassbox.framework.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;

/**
 * The one rule for names that become part of a file name, and the one way to find a file inside a
 * folder without leaving it.
 *
 * <p>A safe name (a stage or readout id, an array name, an array file named in a manifest) is 1 to
 * {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . - _} and does not start with a dot. So it
 * is a single path component, never {@code .} or {@code ..}, never hidden, and
 * {@code <id>.<array>.npy} stays within every file system's name limit.
 */
public final class SafeName {
    /** The most characters a safe name has. */
    public static final int MAX_LENGTH = 100;

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");
    private static final String EXPECTED = "1 to " + MAX_LENGTH
            + " characters from A-Z, a-z, 0-9, '.', '-' and '_', not starting with '.'";

    private SafeName() {
    }

    /**
     * Returns {@code name} if it is a safe name.
     *
     * @param field what the name is, for the message, such as {@code id}
     * @throws InvalidParameterException naming the field and the name (cut to its first
     *     {@value #MAX_LENGTH} characters) when it is null or not safe
     */
    public static String check(String field, String name) {
        if (name == null || !PATTERN.matcher(name).matches()) {
            String shown = name == null ? "null"
                    : name.length() > MAX_LENGTH ? "'" + name.substring(0, MAX_LENGTH) + "...' (" + name.length() + " characters)"
                    : "'" + name + "'";
            throw new InvalidParameterException(field, shown, EXPECTED);
        }
        return name;
    }

    /**
     * {@code folder.resolve(name)}, checked to stay inside {@code folder}: when it exists, its real
     * path (every symbolic link followed, {@code .} and {@code ..} resolved) must lie inside the
     * folder's real path. Comparing real paths makes relative folders such as {@code .} work and
     * refuses a symbolic link, or a name with {@code ..}, that leads out of the folder. A path that
     * does not exist is returned as is, for the caller to report.
     *
     * @throws GlassboxException naming the path and where it leads when it leaves the folder, or when
     *     the folder or the path cannot be resolved
     */
    public static Path inside(Path folder, String name) {
        Path path = folder.resolve(name);
        if (!Files.exists(path)) return path;
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new GlassboxException(path + ": leads outside the folder " + folder + " (to " + real
                        + "): a symbolic link or '..' must not leave it");
            }
        } catch (IOException e) {
            throw new GlassboxException(path + ": cannot resolve: " + e.getMessage(), e);
        }
        return path;
    }
}
