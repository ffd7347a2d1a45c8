package org.glassbox.topology;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One fixed permutation of the pixels of every image. A permutation {@code p} of length
 * {@code height * width} says which pixel each position shows: the scrambled image's pixel
 * {@code j} (row-major) is the original image's pixel {@code p[j]}.
 */
public final class Scramble {
    private Scramble() {
    }

    /** The uniformly random permutation of {@code size} pixels drawn from {@code seed} (Fisher-Yates). */
    public static int[] permutation(int size, long seed) {
        int[] p = identity(size);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** 0, 1, ..., size - 1. */
    public static int[] identity(int size) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) p[i] = i;
        return p;
    }

    /** {@code p[p2[j]]}: the permutation that applies {@code second} to images already scrambled by {@code first}. */
    public static int[] compose(int[] first, int[] second) {
        int[] r = new int[second.length];
        for (int j = 0; j < r.length; j++) r[j] = first[second[j]];
        return r;
    }

    /** The inverse permutation. */
    public static int[] inverse(int[] p) {
        int[] r = new int[p.length];
        for (int j = 0; j < p.length; j++) r[p[j]] = j;
        return r;
    }

    /**
     * Images {@code [n, height, width, channels]} with their pixels rearranged: pixel {@code j} of
     * each result image is pixel {@code p[j]} of the input image (all channels together).
     */
    public static INDArray apply(INDArray images, int[] p) {
        long n = images.size(0);
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int c = (int) images.size(3);
        requirePermutation(p, h * w, "the permutation");
        float[] in = images.dup('c').castTo(DataType.FLOAT).data().asFloat();
        float[] out = new float[in.length];
        int stride = h * w * c;
        for (long i = 0; i < n; i++) {
            int base = (int) (i * stride);
            for (int j = 0; j < h * w; j++) {
                System.arraycopy(in, base + p[j] * c, out, base + j * c, c);
            }
        }
        return Nd4j.create(out, new long[] {n, h, w, c}, 'c');
    }

    /** Throws a {@link GlassboxException} unless {@code p} holds each of 0..size-1 exactly once. */
    public static void requirePermutation(int[] p, int size, String name) {
        if (p.length != size) {
            throw new GlassboxException(name + ": " + p.length + " entries, but the images have " + size
                    + " pixels (expected a permutation of 0.." + (size - 1) + ")");
        }
        boolean[] seen = new boolean[size];
        for (int j = 0; j < size; j++) {
            if (p[j] < 0 || p[j] >= size) {
                throw new GlassboxException(name + ": entry " + j + " is " + p[j] + ", outside 0.." + (size - 1)
                        + " (expected a permutation)");
            }
            if (seen[p[j]]) {
                throw new GlassboxException(name + ": " + p[j] + " appears twice (expected a permutation of 0.."
                        + (size - 1) + ")");
            }
            seen[p[j]] = true;
        }
    }

    /** Reads a permutation from a .npy file of integers (any shape; flattened row-major) and checks it. */
    public static int[] read(Path file, int size) {
        INDArray a = Npy.read(file);
        double[] values = a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        int[] p = new int[values.length];
        for (int j = 0; j < values.length; j++) {
            if (values[j] != Math.rint(values[j])) {
                throw new GlassboxException(file + ": entry " + j + " is " + values[j] + " (expected whole numbers)");
            }
            p[j] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, values[j]));
        }
        requirePermutation(p, size, file.toString());
        return p;
    }

    /** A permutation as an int32 array of shape {@code [height, width]}, for a .npy file. */
    public static INDArray toArray(int[] p, int height, int width) {
        return Nd4j.createFromArray(p).reshape(height, width).castTo(DataType.INT);
    }
}
