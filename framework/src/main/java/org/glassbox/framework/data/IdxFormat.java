package org.glassbox.framework.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.error.GlassboxException;

/**
 * The IDX format of LeCun's MNIST files: a big-endian magic number {@code 0x00000803} (images,
 * unsigned bytes, 3 dimensions) or {@code 0x00000801} (labels, 1 dimension), the dimension sizes as
 * big-endian int32, then the bytes. Files may be gzipped; gzip is detected from its magic bytes.
 */
public final class IdxFormat {
    /** Magic number of an unsigned-byte image file with dimensions [count, rows, cols]. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte label file with dimension [count]. */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFormat() {
    }

    /** Images as bytes, {@code [count][rows * cols]}. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Reads an image file; every defect is reported with the file's name and what was expected. */
    public static Images readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new GlassboxException(file + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x00000803 for an image file)");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count <= 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE) {
                throw new GlassboxException(file + ": invalid IDX image dimensions " + count + " x " + rows + " x " + cols);
            }
            byte[] pixels = new byte[count * rows * cols];
            readFully(in, pixels, file, "image");
            return new Images(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new GlassboxException(file + ": truncated IDX file (the header is incomplete)");
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a label file. */
    public static byte[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new GlassboxException(file + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x00000801 for a label file)");
            }
            int count = in.readInt();
            if (count <= 0) {
                throw new GlassboxException(file + ": invalid IDX label count " + count);
            }
            byte[] labels = new byte[count];
            readFully(in, labels, file, "label");
            return labels;
        } catch (EOFException e) {
            throw new GlassboxException(file + ": truncated IDX file (the header is incomplete)");
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFully(InputStream in, byte[] into, Path file, String what) throws IOException {
        int read = in.readNBytes(into, 0, into.length);
        if (read < into.length) {
            throw new GlassboxException(file + ": truncated IDX file: expected " + into.length + " bytes of " + what
                    + " data but found " + read);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
        return new DataInputStream(in);
    }

    /** Writes an image file ({@code pixels} is {@code count * rows * cols} bytes), gzipped when {@code gzip}. */
    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        out.write(header.array());
        out.write(pixels);
    }

    /** Writes a label file. */
    public static void writeLabels(OutputStream out, byte[] labels) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8).putInt(LABELS_MAGIC).putInt(labels.length);
        out.write(header.array());
        out.write(labels);
    }

    /** Opens {@code file} for writing, through gzip when its name ends in {@code .gz}. */
    public static OutputStream create(Path file) throws IOException {
        OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }
}
