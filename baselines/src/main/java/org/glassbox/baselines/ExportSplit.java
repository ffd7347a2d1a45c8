package org.glassbox.baselines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.StratifiedSplit;
import org.glassbox.framework.data.TrainTest;
import org.glassbox.framework.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes the embedded 8,000 / 2,000 split as NumPy files, with the indices of the validation tenth
 * the baselines hold out (seed 1), for an independent check in another framework
 * ({@code bench/lenet5-pytorch.py}): {@code train_x.npy} [8000, 28, 28, 1] float32 in [0, 1],
 * {@code train_y.npy}, {@code test_x.npy}, {@code test_y.npy} (int32), {@code val_idx.npy} (int32).
 *
 * <pre>
 *   java -cp "cli/target/classes:$(cat cli/target/classpath.txt)" org.glassbox.baselines.ExportSplit DIR
 * </pre>
 */
public final class ExportSplit {
    private ExportSplit() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        TrainTest split = EmbeddedMnist.split();
        Npy.write(split.train().images(), dir.resolve("train_x.npy"));
        Npy.write(Nd4j.createFromArray(split.train().labels()).castTo(DataType.INT), dir.resolve("train_y.npy"));
        Npy.write(split.test().images(), dir.resolve("test_x.npy"));
        Npy.write(Nd4j.createFromArray(split.test().labels()).castTo(DataType.INT), dir.resolve("test_y.npy"));
        Recipe recipe = Recipes.lenet5(10, 1);
        boolean[] held = StratifiedSplit.testMask(split.train().labels(), split.train().classes(),
                recipe.validationFraction(), recipe.seed());
        int[] idx = java.util.stream.IntStream.range(0, held.length).filter(i -> held[i]).toArray();
        Npy.write(Nd4j.createFromArray(idx).castTo(DataType.INT), dir.resolve("val_idx.npy"));
        System.out.println("wrote " + dir + ": 8,000 train, 2,000 test, " + idx.length + " validation indices");
    }
}
