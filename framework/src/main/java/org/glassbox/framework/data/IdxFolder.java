package org.glassbox.framework.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folder holding the four standard IDX files of MNIST, Fashion-MNIST or any other set in that
 * format: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally gzipped
 * ({@code .gz}); the spelling with a dot before {@code idx} is accepted too. Pixels are scaled
 * to [0, 1] as {@code byte / 255}.
 */
public final class IdxFolder {
    private static final int CLASSES = 10;

    private IdxFolder() {
    }

    /**
     * Whether {@code folder} is a folder holding IDX image files ({@code train-images...} or
     * {@code t10k-images...}, gzipped or not), the layout {@link #read} reads.
     */
    public static boolean holdsIdxImages(Path folder) {
        if (!Files.isDirectory(folder)) return false;
        try (Stream<Path> s = Files.list(folder)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && (p.getFileName().toString().startsWith("train-images")
                    || p.getFileName().toString().startsWith("t10k-images")));
        } catch (IOException | UncheckedIOException e) {
            throw new GlassboxException(folder + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    /** Reads the training and test sets of {@code folder}. */
    public static TrainTest read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new GlassboxException(folder + ": folder not found (expected a folder with the four IDX files "
                    + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, "
                    + "each optionally .gz)");
        }
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        ImageSet train = readSet(folder, "train", name + "/train");
        ImageSet test = readSet(folder, "t10k", name + "/test");
        if (!train.shape().equals(test.shape())) {
            throw new GlassboxException(folder + ": training images are " + train.shape() + " but test images are "
                    + test.shape() + " (expected the same size)");
        }
        return new TrainTest(train, test);
    }

    /**
     * Writes {@code data} into the existing folder {@code folder} as the four gzipped IDX files that
     * {@link #read} reads ({@code train-images-idx3-ubyte.gz} and so on), each pixel p as the byte
     * round(255 p), so that {@link #read} gives back every pixel that is a multiple of 1/255 exactly.
     * Replaces nothing: a file of that name in {@code folder} is an error. Throws a
     * {@link GlassboxException} before writing anything when an image set has more than one channel,
     * a pixel outside [0, 1] or a label outside 0..255.
     */
    public static void write(TrainTest data, Path folder) throws IOException {
        byte[][] train = bytes(data.train());
        byte[][] test = bytes(data.test());
        for (String prefix : List.of("train", "t10k")) {
            for (Path file : List.of(imagesFile(folder, prefix), labelsFile(folder, prefix))) {
                if (Files.exists(file)) throw new GlassboxException(file + ": exists already (nothing is replaced)");
            }
        }
        writeSet(data.train(), train, folder, "train");
        writeSet(data.test(), test, folder, "t10k");
    }

    /** The pixels and the labels of {@code set} as unsigned bytes. */
    private static byte[][] bytes(ImageSet set) {
        if (set.shape().channels() != 1) {
            throw new GlassboxException(set.name() + ": IDX files hold one channel, but the images have "
                    + set.shape().channels());
        }
        float[] values = set.images().dup('c').data().asFloat();
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new GlassboxException(set.name() + ": pixel " + i + " is " + values[i]
                        + " (IDX files hold pixels in [0, 1] as bytes)");
            }
            pixels[i] = (byte) Math.round(values[i] * 255f);
        }
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < labels.length; i++) {
            if (set.labels()[i] > 255) {
                throw new GlassboxException(set.name() + ": label " + set.labels()[i] + " at position " + i
                        + " does not fit a byte");
            }
            labels[i] = (byte) set.labels()[i];
        }
        return new byte[][] {pixels, labels};
    }

    private static void writeSet(ImageSet set, byte[][] bytes, Path folder, String prefix) throws IOException {
        try (OutputStream out = IdxFormat.createNew(imagesFile(folder, prefix))) {
            IdxFormat.writeImages(out, set.size(), set.shape().gridH(), set.shape().gridW(), bytes[0]);
        }
        try (OutputStream out = IdxFormat.createNew(labelsFile(folder, prefix))) {
            IdxFormat.writeLabels(out, bytes[1]);
        }
    }

    /** The gzipped image file that {@link #write} writes for part {@code prefix} ({@code train} or {@code t10k}). */
    private static Path imagesFile(Path folder, String prefix) {
        return folder.resolve(prefix + "-images-idx3-ubyte.gz");
    }

    /** The gzipped label file that {@link #write} writes for part {@code prefix}. */
    private static Path labelsFile(Path folder, String prefix) {
        return folder.resolve(prefix + "-labels-idx1-ubyte.gz");
    }

    private static ImageSet readSet(Path folder, String prefix, String name) {
        Path imagesFile = find(folder, prefix, "images", "idx3");
        Path labelsFile = find(folder, prefix, "labels", "idx1");
        IdxFormat.Images images = IdxFormat.readImages(imagesFile);
        byte[] labelBytes = IdxFormat.readLabels(labelsFile);
        if (labelBytes.length != images.count()) {
            throw new GlassboxException(labelsFile + ": " + labelBytes.length + " labels but " + imagesFile.getFileName()
                    + " holds " + images.count() + " images (expected one label per image)");
        }
        int[] labels = new int[labelBytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xff;
            if (labels[i] >= CLASSES) {
                throw new GlassboxException(labelsFile + ": label " + labels[i] + " at position " + i
                        + " is outside 0.." + (CLASSES - 1));
            }
        }
        return new ImageSet(name, toFloat(images), labels, CLASSES);
    }

    /**
     * Scales unsigned bytes to float32 in [0, 1], shape {@code [count, rows, cols, 1]}. The copy is
     * 4 bytes per pixel: at most 2 GiB, since {@link IdxFormat} reads at most
     * {@link IdxFormat#MAX_DATA_BYTES} pixels from one file.
     */
    static org.nd4j.linalg.api.ndarray.INDArray toFloat(IdxFormat.Images images) {
        float[] v = new float[images.pixels().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (images.pixels()[i] & 0xff) / 255f;
        }
        return Nd4j.create(v, new long[] {images.count(), images.rows(), images.cols(), 1}, 'c');
    }

    private static Path find(Path folder, String prefix, String kind, String idx) {
        List<String> names = List.of(prefix + "-" + kind + "-" + idx + "-ubyte", prefix + "-" + kind + "." + idx + "-ubyte");
        for (String n : names) {
            for (String candidate : List.of(n, n + ".gz")) {
                Path p = folder.resolve(candidate);
                if (Files.isRegularFile(p)) return p;
            }
        }
        throw new GlassboxException(folder.resolve(names.get(0)) + ": file not found (expected " + names.get(0)
                + " or " + names.get(0) + ".gz in " + folder + ")");
    }
}
