package org.glassbox.framework.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;

/**
 * Writes a folder or a file so that it appears whole or not at all: the content goes to a
 * temporary sibling, which is renamed onto the target when complete. A crash leaves at most a
 * temporary sibling (named {@code .<name>.tmp-<pid>}), never a half-written target.
 */
public final class AtomicFolder {
    /** The name of a temporary sibling this class writes: {@code .<name>.tmp-<pid>} or {@code .<name>.old-<pid>}. */
    private static final Pattern LEFTOVER = Pattern.compile("\\..+\\.(tmp|old)-[0-9]+");

    private AtomicFolder() {
    }

    /** Fills a temporary folder. */
    @FunctionalInterface
    public interface Writer {
        void write(Path folder) throws IOException;
    }

    /** Writes {@code target} (a folder) through {@code writer}, replacing any folder already there. */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteRecursively(tmp);
            Files.createDirectory(tmp);
            writer.write(tmp);
            Path old = null;
            if (Files.exists(abs)) {
                old = parent.resolve("." + abs.getFileName() + ".old-" + ProcessHandle.current().pid());
                deleteRecursively(old);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteRecursively(old);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            throw new GlassboxException(abs + ": cannot write: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Writes the file {@code target} through {@code writer} (given the temporary file's path), then renames. */
    public static void writeFile(Path target, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(abs.getParent());
            writer.write(tmp);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            throw new GlassboxException(abs + ": cannot write: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Deletes the temporary siblings ({@code .<name>.tmp-<pid>}, {@code .<name>.old-<pid>}) that
     * writers killed while writing into {@code dir} left there; call it only where no other process
     * writes into {@code dir}.
     */
    public static void removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (LEFTOVER.matcher(p.getFileName().toString()).matches()) deleteRecursively(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new GlassboxException(dir + ": cannot remove the temporary folders of an interrupted write: "
                    + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteRecursively(p);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    /** Deletes {@code p} and everything below it, if it exists. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
