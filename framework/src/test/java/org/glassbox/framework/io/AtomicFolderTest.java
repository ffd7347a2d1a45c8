package org.glassbox.framework.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed writer leaves and what {@link AtomicFolder#removeLeftovers} removes. */
class AtomicFolderTest {
    @TempDir
    Path tmp;

    @Test
    void onlyTheTemporarySiblingsOfKilledWritesAreRemoved() throws IOException {
        for (String name : List.of(".stages-03.tmp-4711", ".chunk-00002.old-12", ".x.tmp-1")) {
            Files.writeString(Files.createDirectories(tmp.resolve(name)).resolve("half.npy"), "half");
        }
        for (String name : List.of("stages-02", ".hidden", "notes.tmp-1", ".a.tmp-", ".a.tmp-12x", "run.json")) {
            Files.writeString(tmp.resolve(name), "kept");
        }
        AtomicFolder.removeLeftovers(tmp);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(".a.tmp-", ".a.tmp-12x", ".hidden", "notes.tmp-1", "run.json", "stages-02"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
