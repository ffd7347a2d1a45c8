package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScrambleTest {
    @TempDir
    Path dir;

    @Test
    void aSeedGivesOneFixedPermutationAndApplyMovesPixels() {
        int[] p = Scramble.permutation(16, 9);
        assertArrayEquals(p, Scramble.permutation(16, 9));
        Scramble.requirePermutation(p, 16, "p");
        INDArray image = Nd4j.arange(16).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(1, 4, 4, 1);
        INDArray s = Scramble.apply(image, p);
        for (int j = 0; j < 16; j++) assertEquals(p[j], s.getFloat(0, j / 4, j % 4, 0));
        assertArrayEquals(Scramble.identity(16), Scramble.compose(p, Scramble.inverse(p)));
    }

    @Test
    void aPermutationFileIsReadBackAndBadOnesAreRefusedWithOneMessage() throws Exception {
        int[] p = Scramble.permutation(784, 1);
        Path good = dir.resolve("good.npy");
        Npy.write(Scramble.toArray(p, 28, 28), good);
        assertArrayEquals(p, Scramble.read(good, 784));

        Path shorter = dir.resolve("short.npy");
        Npy.write(Nd4j.createFromArray(Scramble.permutation(100, 1)), shorter);
        GlassboxException e = assertThrows(GlassboxException.class, () -> Scramble.read(shorter, 784));
        assertEquals(shorter + ": 100 entries, but the images have 784 pixels (expected a permutation of 0..783)",
                e.getMessage());

        int[] twice = p.clone();
        twice[5] = twice[6];
        Path repeated = dir.resolve("repeated.npy");
        Npy.write(Nd4j.createFromArray(twice), repeated);
        e = assertThrows(GlassboxException.class, () -> Scramble.read(repeated, 784));
        assertEquals(repeated + ": " + twice[6] + " appears twice (expected a permutation of 0..783)", e.getMessage());

        Path fractional = dir.resolve("fractional.npy");
        Npy.write(Nd4j.createFromArray(new double[] {0, 1.5, 2}), fractional);
        assertThrows(GlassboxException.class, () -> Scramble.read(fractional, 3));

        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "not an array");
        assertThrows(GlassboxException.class, () -> Scramble.read(garbage, 784));
    }
}
