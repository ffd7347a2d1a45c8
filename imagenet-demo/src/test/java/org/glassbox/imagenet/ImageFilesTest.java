package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

class ImageFilesTest {
    private static ImageFiles files(int n) {
        List<Path> f = new ArrayList<>();
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            f.add(Path.of("d/c" + (i % 3) + "/" + i + ".png"));
            l[i] = i % 3;
        }
        return new ImageFiles("d", List.of("c0", "c1", "c2"), f, l);
    }

    @Test
    void shuffleIsASeededPermutationThatKeepsLabelsWithFiles() {
        ImageFiles a = files(30);
        ImageFiles s = a.shuffled(4);
        assertEquals(new HashSet<>(a.files()), new HashSet<>(s.files()));
        assertNotEquals(a.files(), s.files());
        assertEquals(s.files(), a.shuffled(4).files());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.files().get(i).getParent().getFileName().toString(), s.classes().get(s.label(i)));
        }
    }

    @Test
    void fingerprintFollowsFilesLabelsAndOrder() {
        ImageFiles a = files(6);
        assertEquals(a.fingerprint(), files(6).fingerprint());
        assertNotEquals(a.fingerprint(), a.shuffled(1).fingerprint());
        int[] l = a.labels();
        l[0] = 2;
        assertNotEquals(a.fingerprint(), new ImageFiles("d", a.classes(), a.files(), l).fingerprint());
    }

    @Test
    void mismatchedAndOutOfRangeLabelsAreNamed() {
        assertEquals("d: 1 files but 2 labels (expected one label per file)", assertThrows(GlassboxException.class,
                () -> new ImageFiles("d", List.of("a"), List.of(Path.of("x.png")), new int[] {0, 0})).getMessage());
        assertEquals("d: label 1 of x.png is outside [0, 1)", assertThrows(GlassboxException.class,
                () -> new ImageFiles("d", List.of("a"), List.of(Path.of("x.png")), new int[] {1})).getMessage());
    }
}
