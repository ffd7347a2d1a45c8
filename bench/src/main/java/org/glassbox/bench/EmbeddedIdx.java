package org.glassbox.bench;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.EmbeddedMnist;
import org.glassbox.framework.data.IdxFolder;
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
        IdxFolder.write(split, partial);
        Files.move(partial, out);
        System.out.println("embedded-idx: " + split.train().size() + " training and " + split.test().size()
                + " test digits in " + out);
    }
}
