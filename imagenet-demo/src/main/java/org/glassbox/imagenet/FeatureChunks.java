package org.glassbox.imagenet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The outputs of a frozen pipeline for every image of a stream, stored on disk in fixed chunks so
 * that a pass over a large data set survives being killed: chunk c holds stream samples
 * [c s, min(n, (c + 1) s)) for chunk size s, as {@code chunk-<c>/features.npy} (the pipeline's output
 * maps, {@code [images, gridH, gridW, channels]} float32) and {@code chunk-<c>/labels.npy}
 * ({@code [images]} int32). Each chunk folder is written whole or not at all ({@link AtomicFolder}),
 * so a folder that exists is complete; {@link #encode} computes only the chunks that are missing,
 * and since decoding and encoding are deterministic, a resumed pass stores exactly what an
 * uninterrupted one stores.
 */
public final class FeatureChunks {
    private FeatureChunks() {
    }

    /** Told after each chunk is stored (progress, logs). */
    @FunctionalInterface
    public interface Listener {
        /** Chunk {@code chunk} of {@code chunks} is on disk; {@code computed} is false if it was already there. */
        void stored(int chunk, int chunks, boolean computed);
    }

    /** The folder of chunk {@code c}. */
    static Path chunkDir(Path dir, int c) {
        return dir.resolve(String.format("chunk-%05d", c));
    }

    /** How many chunks of {@code chunkSize} samples {@code samples} samples make. */
    static int chunks(long samples, int chunkSize) {
        return (int) ((samples + chunkSize - 1) / chunkSize);
    }

    /**
     * Stores {@code prefix}'s outputs for every sample of {@code stream} in {@code dir}, computing only
     * the chunks not already there. Leftover temporary folders of a killed writer are removed first.
     *
     * @param chunkSize samples per chunk, at least 1
     * @param batchSize samples per batch through the pipeline
     */
    public static void encode(ImageStream stream, Pipeline prefix, Path dir, int chunkSize, int batchSize,
            Listener listener) {
        if (chunkSize < 1) throw new InvalidParameterException("chunkSize", chunkSize, "at least 1");
        AtomicFolder.removeLeftovers(dir);
        int n = (int) stream.samples();
        int chunks = chunks(n, chunkSize);
        int[] labels = stream.labels();
        MapShape out = prefix.outputShape();
        for (int c = 0; c < chunks; c++) {
            Path target = chunkDir(dir, c);
            if (Files.isDirectory(target)) {
                listener.stored(c, chunks, false);
                continue;
            }
            int from = c * chunkSize;
            int to = Math.min(n, from + chunkSize);
            int[] indices = new int[to - from];
            int[] chunkLabels = new int[to - from];
            for (int i = from; i < to; i++) {
                indices[i - from] = i;
                chunkLabels[i - from] = labels[i];
            }
            ImageStream part = stream.select(stream.files().name() + " chunk " + c, indices);
            INDArray features = Nd4j.create(DataType.FLOAT, out.batchShape(to - from));
            prefix.over(part).forEachBatch(batchSize, (batch, offset) -> features.get(
                    NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(batch));
            INDArray labelArray = Nd4j.createFromArray(chunkLabels);
            AtomicFolder.write(target, tmp -> {
                Npy.write(features, tmp.resolve("features.npy"));
                Npy.write(labelArray, tmp.resolve("labels.npy"));
            });
            listener.stored(c, chunks, true);
        }
    }

    /**
     * The stored outputs as a {@link MapSource}, read one chunk at a time, and their labels.
     *
     * @throws GlassboxException if a chunk of the {@code chunks} expected is missing or malformed
     */
    public static Stored read(Path dir, int chunks) {
        List<int[]> labelParts = new ArrayList<>();
        MapShape shape = null;
        for (int c = 0; c < chunks; c++) {
            Path chunk = chunkDir(dir, c);
            if (!Files.isDirectory(chunk)) {
                throw new GlassboxException(chunk + ": chunk not found (expected " + chunks + " chunks in " + dir + ")");
            }
            int[] l = Npy.read(chunk.resolve("labels.npy")).toIntVector();
            labelParts.add(l);
            if (shape == null) {
                INDArray first = Npy.read(chunk.resolve("features.npy"));
                shape = new MapShape((int) first.size(1), (int) first.size(2), (int) first.size(3));
            }
        }
        if (shape == null) throw new GlassboxException(dir + ": no chunks (expected at least one)");
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < chunks; c++) files.add(chunkDir(dir, c).resolve("features.npy"));
        return new Stored(files, shape, concat(labelParts));
    }

    private static int[] concat(List<int[]> parts) {
        int[] all = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, k, p.length);
            k += p.length;
        }
        return all;
    }

    /** Stored pipeline outputs: a source over the chunks in order, and the label of each sample. */
    public static final class Stored implements MapSource {
        private final List<Path> files;
        private final MapShape shape;
        private final int[] labels;

        private Stored(List<Path> files, MapShape shape, int[] labels) {
            this.files = files;
            this.shape = shape;
            this.labels = labels;
        }

        /**
         * These outputs followed by {@code more}'s, as one source (the readouts' training set of
         * several crops of each image).
         *
         * @throws GlassboxException if the two hold maps of different shapes
         */
        public Stored then(Stored more) {
            if (!more.shape.equals(shape)) {
                throw new GlassboxException(more.files.get(0) + ": features of shape " + more.shape + " after features of shape "
                        + shape + " (expected one shape)");
            }
            List<Path> all = new ArrayList<>(files);
            all.addAll(more.files);
            return new Stored(all, shape, concat(List.of(labels, more.labels)));
        }

        /** The label of each sample, {@code [samples]}. */
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public MapShape shape() {
            return shape;
        }

        @Override
        public long samples() {
            return labels.length;
        }

        @Override
        public void forEachBatch(int batchSize, BatchVisitor visitor) {
            long offset = 0;
            for (Path file : files) {
                INDArray f = Npy.read(file);
                if (f.rank() != 4 || f.size(1) != shape.gridH() || f.size(2) != shape.gridW() || f.size(3) != shape.channels()) {
                    throw new GlassboxException(file + ": expected features of shape [*, " + shape.gridH() + ", "
                            + shape.gridW() + ", " + shape.channels() + "] but got " + java.util.Arrays.toString(f.shape()));
                }
                for (long s = 0; s < f.size(0); s += batchSize) {
                    long e = Math.min(f.size(0), s + batchSize);
                    visitor.visit(f.get(NDArrayIndex.interval(s, e), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()), offset + s);
                }
                offset += f.size(0);
            }
        }
    }
}
