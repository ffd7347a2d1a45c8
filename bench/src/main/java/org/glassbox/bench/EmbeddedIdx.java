package org.glassbox.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFormat;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.data.TrainTest;

/**
 * Writes the embedded digits' 8,000 / 2,000 split ({@link EmbeddedMnist#split}) as an IDX folder,
 * so that the scripts which take one (bench/validation-split.py, bench/stack-variants.py) can hold
 * out part of its training set and choose settings without its test set:
 *
 * <pre>
 *   bench/embedded-idx.sh OUT
 *   python3 bench/validation-split.py OUT VAL --holdout 1000
 * </pre>
 *
 * Each pixel is written as the byte round(255 p); the embedded pixels are byte / 255 rounded to
 * three decimals, so the bytes are MNIST's own and {@code ./glassbox mnist --data OUT} reads each
 * pixel within 0.0005 of the embedded value. OUT must not exist; the files go to OUT.partial, which
 * is renamed to OUT at the end.
 */
public final class EmbeddedIdx {
    private EmbeddedIdx() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: bench/embedded-idx.sh OUT");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path partial = Path.of(args[0] + ".partial");
        if (Files.exists(out)) {
            System.err.println("embedded-idx: " + out + " exists already (nothing is replaced)");
            System.exit(2);
        }
        try {
            Files.createDirectory(partial);
        } catch (FileAlreadyExistsException e) {
            System.err.println("embedded-idx: " + partial + " exists already (nothing is replaced)");
            System.exit(2);
        }
        TrainTest split = EmbeddedMnist.split();
        write(split.train(), partial, "train");
        write(split.test(), partial, "t10k");
        Files.move(partial, out);
        System.out.println("embedded-idx: " + split.train().size() + " training and " + split.test().size()
                + " test digits in " + out);
    }

    private static void write(ImageSet set, Path folder, String prefix) throws IOException {
        float[] values = set.images().dup('c').data().asFloat();
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) pixels[i] = (byte) Math.round(values[i] * 255f);
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) set.labels()[i];
        try (OutputStream images = IdxFormat.create(folder.resolve(prefix + "-images-idx3-ubyte.gz"))) {
            IdxFormat.writeImages(images, set.size(), set.shape().gridH(), set.shape().gridW(), pixels);
        }
        try (OutputStream labelFile = IdxFormat.create(folder.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            IdxFormat.writeLabels(labelFile, labels);
        }
    }
}
