package org.glassbox.framework.data;

import java.util.Arrays;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.ShiftedCopies;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.io.Sha256;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled images held in memory: {@code images [samples, height, width, channels]} float32 in
 * [0, 1], and one class label per image.
 *
 * @param name where the images come from, for messages and provenance
 * @param images {@code [samples, height, width, channels]}
 * @param labels {@code [samples]}, each in [0, classes)
 * @param classes the number of classes
 */
public record ImageSet(String name, INDArray images, int[] labels, int classes) {
    public ImageSet {
        if (images.rank() != 4) {
            throw new GlassboxException(name + ": expected images of rank 4 [samples, height, width, channels] but got "
                    + Arrays.toString(images.shape()));
        }
        if (images.size(0) != labels.length) {
            throw new GlassboxException(name + ": " + images.size(0) + " images but " + labels.length
                    + " labels (expected one label per image)");
        }
        if (labels.length == 0) {
            throw new GlassboxException(name + ": no images (expected at least one)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new GlassboxException(name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    /**
     * Images from plain Java arrays: {@code pixels} holds {@code labels.length} images of shape
     * {@code shape} one after the other, each row by row with its channels innermost (the order of
     * {@code [samples, height, width, channels]}), values in [0, 1].
     *
     * @throws GlassboxException naming {@code name} when the number of pixels is not
     *     {@code labels.length * shape.size()}
     */
    public static ImageSet of(String name, float[] pixels, MapShape shape, int[] labels, int classes) {
        if (pixels.length != (long) labels.length * shape.size()) {
            throw new GlassboxException(name + ": " + pixels.length + " pixels but " + labels.length + " images of shape "
                    + shape + " need " + (long) labels.length * shape.size());
        }
        return new ImageSet(name, Nd4j.create(pixels, shape.batchShape(labels.length), 'c'), labels.clone(), classes);
    }

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    /** The shape of one image as a map. */
    public MapShape shape() {
        return new MapShape((int) images.size(1), (int) images.size(2), (int) images.size(3));
    }

    /** The images as a streamable source. */
    public MapSource source() {
        return MapSource.of(images);
    }

    /** The images and labels at {@code indices}, in that order. */
    public ImageSet select(String newName, int[] indices) {
        INDArray picked = Nd4j.pullRows(images.reshape(images.size(0), -1), 1, indices)
                .reshape(indices.length, images.size(1), images.size(2), images.size(3));
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) l[i] = labels[indices[i]];
        return new ImageSet(newName, picked, l, classes);
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /** SHA-256 over the shape, the float32 pixels in C order and the labels: the data's identity in provenance. */
    public String fingerprint() {
        Sha256 sha = new Sha256();
        sha.update(Arrays.stream(images.shape()).mapToInt(d -> (int) d).toArray());
        sha.update(images.dup('c').data().asFloat());
        sha.update(labels);
        return sha.hex();
    }

    /**
     * The same images moved {@code dy} pixels down and {@code dx} pixels right (negative: up, left),
     * with the same labels: pixels moved out of the frame are dropped, the vacated ones are 0 (the
     * background of MNIST-like images). A classic augmentation for learning small translations
     * (Simard, Steinkraus, Platt, ICDAR 2003, used shifted and distorted copies of MNIST digits).
     *
     * @throws GlassboxException if a shift is as large as the image
     */
    public ImageSet shifted(int dy, int dx) {
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int c = (int) images.size(3);
        if (Math.abs(dy) >= h || Math.abs(dx) >= w) {
            throw new GlassboxException(name + ": a shift of (" + dy + ", " + dx + ") pixels moves " + h + " x " + w
                    + " images out of their frame (expected shifts smaller than the image)");
        }
        float[] out = ShiftedCopies.move(FloatArrays.values(images), new MapShape(h, w, c), dy, dx, null);
        return new ImageSet(name + " shifted (" + dy + ", " + dx + ")", FloatArrays.of(out, images.shape()), labels,
                classes);
    }

    /**
     * These images followed by their copies moved by 1 to {@code shifts} pixels down, up, right and
     * left ({@link #shifted}), in the order of {@link ShiftedCopies#moves}, all with their labels; this set
     * itself when {@code shifts} is 0. The readouts of {@code mnist --shifts} and the baselines'
     * recipes learn from the same copies this way.
     */
    public ImageSet withShiftedCopies(int shifts) {
        if (shifts == 0) return this;
        java.util.List<INDArray> copies = new java.util.ArrayList<>();
        for (int[] move : ShiftedCopies.moves(shifts)) {
            copies.add(move[0] == 0 && move[1] == 0 ? images : shifted(move[0], move[1]).images());
        }
        int[] all = ShiftedCopies.labels(labels, shifts);
        return new ImageSet(name + " with " + (copies.size() - 1) + " shifted copies",
                Nd4j.concat(0, copies.toArray(new INDArray[0])), all, classes);
    }
}
