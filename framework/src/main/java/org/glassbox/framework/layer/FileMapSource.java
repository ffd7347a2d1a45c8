package org.glassbox.framework.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Maps on disk, for data whose maps do not fit in memory: the samples of another source written
 * once into chunk files of {@link #chunkSamples()} samples each (the last may hold fewer), then
 * read back one chunk at a time, so a pass holds one chunk. Chunk c is {@code chunk-<c>.f32} in the
 * source's folder, its samples' float32 values in C order and the machine's byte order: files
 * for this process to read back, not an exchange format. The folder and its files belong to this
 * source; {@link #close} deletes them.
 */
public final class FileMapSource implements MapSource, AutoCloseable {
    private final Path dir;
    private final MapShape shape;
    private final long samples;
    private final int chunkSamples;

    private FileMapSource(Path dir, MapShape shape, long samples, int chunkSamples) {
        this.dir = dir;
        this.shape = shape;
        this.samples = samples;
        this.chunkSamples = chunkSamples;
    }

    /**
     * Writes every sample of {@code source} (float32 maps) into chunk files of {@code chunkSamples}
     * samples in the new folder {@code dir} (which must not exist: nothing is replaced), visiting
     * {@code source} in batches of {@code batchSize} and telling {@code written} each batch's
     * samples, and returns the source over them. On failure the files written so far are deleted.
     */
    public static FileMapSource write(Path dir, MapSource source, int chunkSamples, int batchSize, LongConsumer written) {
        if (chunkSamples < 1 || batchSize < 1) {
            throw new IllegalArgumentException("chunks of " + chunkSamples + " samples, batches of " + batchSize);
        }
        if (Files.exists(dir)) {
            throw new GlassboxException(dir + ": exists; the chunk files of a map source go into a new folder");
        }
        FileMapSource files = new FileMapSource(dir, source.shape(), source.samples(), chunkSamples);
        try {
            Files.createDirectories(dir);
            source.forEachBatch(batchSize, (batch, offset) -> {
                files.append(batch, offset);
                written.accept(batch.size(0));
            });
        } catch (IOException e) {
            files.close();
            throw new UncheckedIOException(dir + ": cannot write the chunk files", e);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
        return files;
    }

    /** Appends the samples of {@code batch}, the first at index {@code offset}, to the chunks they belong to. */
    private void append(INDArray batch, long offset) {
        Shapes.requireMap("map source " + dir, batch, shape);
        if (batch.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("chunk files hold float32 maps; got " + batch.dataType());
        }
        long n = batch.size(0);
        for (long from = 0; from < n; ) {
            long at = offset + from;
            long to = Math.min(n, from + chunkSamples - at % chunkSamples);
            INDArray part = FloatArrays.contiguous(batch.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()));
            ByteBuffer bytes = part.data().asNio();
            bytes.limit(Math.toIntExact(part.length() * Float.BYTES));
            try (FileChannel out = FileChannel.open(chunk((int) (at / chunkSamples)), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                while (bytes.hasRemaining()) out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": cannot write a chunk file", e);
            }
            OffHeap.free(part, batch);
            from = to;
        }
    }

    private Path chunk(int c) {
        return dir.resolve("chunk-" + c + ".f32");
    }

    /** Samples per chunk file (the last may hold fewer). */
    public int chunkSamples() {
        return chunkSamples;
    }

    @Override
    public MapShape shape() {
        return shape;
    }

    @Override
    public long samples() {
        return samples;
    }

    /**
     * Reads one chunk at a time into an array of its own and visits it in batches of at most
     * {@code batchSize} samples (views of that array, freed after the chunk's last batch).
     */
    @Override
    public void forEachBatch(int batchSize, BatchVisitor visitor) {
        for (long first = 0; first < samples; first += chunkSamples) {
            long count = Math.min(chunkSamples, samples - first);
            INDArray chunk = read((int) (first / chunkSamples), count);
            for (long from = 0; from < count; from += batchSize) {
                long to = Math.min(count, from + batchSize);
                INDArray batch = from == 0 && to == count ? chunk : chunk.get(NDArrayIndex.interval(from, to),
                        NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                visitor.visit(batch, first + from);
            }
            OffHeap.free(chunk);
        }
    }

    /** Chunk {@code c}, {@code count} samples, into a new array; the file must hold exactly that many. */
    private INDArray read(int c, long count) {
        long expected = count * shape.size() * Float.BYTES;
        try (FileChannel in = FileChannel.open(chunk(c), StandardOpenOption.READ)) {
            if (in.size() != expected) {
                throw new GlassboxException(chunk(c) + ": " + in.size() + " bytes, expected " + expected + " ("
                        + count + " samples of " + shape + ")");
            }
            INDArray chunk = Nd4j.createUninitialized(DataType.FLOAT, shape.batchShape(count), 'c');
            ByteBuffer bytes = chunk.data().asNio();
            bytes.limit(Math.toIntExact(expected));
            while (bytes.hasRemaining()) {
                if (in.read(bytes) < 0) {
                    OffHeap.free(chunk);
                    throw new GlassboxException(chunk(c) + ": ended early");
                }
            }
            return chunk;
        } catch (IOException e) {
            throw new UncheckedIOException(chunk(c) + ": cannot read the chunk file", e);
        }
    }

    /** Deletes the chunk files and the folder, which this source wrote. */
    @Override
    public void close() {
        long chunks = (samples + chunkSamples - 1) / chunkSamples;
        try {
            for (int c = 0; c < chunks; c++) Files.deleteIfExists(chunk(c));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot delete the chunk files", e);
        }
    }
}
