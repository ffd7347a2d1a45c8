package org.glassbox.framework.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.glassbox.framework.error.GlassboxException;

/**
 * The IDX format of LeCun's MNIST files: a big-endian magic number {@code 0x00000803} (images,
 * unsigned bytes, 3 dimensions) or {@code 0x00000801} (labels, 1 dimension), the dimension sizes as
 * big-endian int32, then the bytes. Files may be gzipped; gzip is detected from its magic bytes.
 *
 * <p>Limits, checked before the data is allocated: the data a header declares is at most
 * {@link #MAX_DATA_BYTES}; a plain file must hold exactly the declared data after its header,
 * which its size shows before anything is read. A gzipped file's size says nothing about its
 * content, so its data is allocated in chunks of {@link #CHUNK} bytes as they are decompressed:
 * a header that declares more than the stream holds costs at most what the stream holds plus one
 * chunk (a complete stream's chunks are then copied into one array). Bytes after the declared data are an error, not ignored: they mean the header's count is
 * wrong or another file was appended, and reading on could not tell which.
 */
public final class IdxFormat {
    /** Magic number of an unsigned-byte image file with dimensions [count, rows, cols]. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte label file with dimension [count]. */
    public static final int LABELS_MAGIC = 0x00000801;
    /**
     * The most data bytes read from one IDX file: 2^29 = 536,870,912, that is 684,784 images of
     * 28 x 28 (MNIST's training set is 47,040,000 bytes, EMNIST Digits' 188,160,000). The float32
     * copy that {@link IdxFolder} makes of the largest file is 2 GiB, which the launcher's default
     * 6 GiB heap holds beside the bytes.
     */
    public static final int MAX_DATA_BYTES = 1 << 29;
    /** The unit in which gzipped data is allocated as it is decompressed: 1 MiB. */
    static final int CHUNK = 1 << 20;

    private IdxFormat() {
    }

    /** Images as bytes, {@code [count][rows * cols]}. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Reads an image file; every defect is reported with the file's name and what was expected. */
    public static Images readImages(Path file) {
        try (Source in = Source.open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new GlassboxException(file + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x00000803 for an image file)");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count <= 0 || rows <= 0 || cols <= 0 || (long) rows * cols > Long.MAX_VALUE / count) {
                throw new GlassboxException(file + ": invalid IDX image dimensions " + count + " x " + rows + " x " + cols);
            }
            byte[] pixels = in.data((long) count * rows * cols, "image");
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a label file. */
    public static byte[] readLabels(Path file) {
        try (Source in = Source.open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new GlassboxException(file + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x00000801 for a label file)");
            }
            int count = in.readInt();
            if (count <= 0) {
                throw new GlassboxException(file + ": invalid IDX label count " + count);
            }
            return in.data(count, "label");
        } catch (IOException e) {
            throw new GlassboxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** An open IDX file: its header fields, then its data, read within the limits of the class comment. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        /** The file's size when it is plain, -1 when it is gzipped. */
        private final long plainSize;
        private long headerBytes;

        private Source(Path file, DataInputStream in, long plainSize) {
            this.file = file;
            this.in = in;
            this.plainSize = plainSize;
        }

        static Source open(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new GlassboxException(file + ": file not found");
            }
            long size = Files.size(file);
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                raw.mark(2);
                int b0 = raw.read();
                int b1 = raw.read();
                raw.reset();
                if (b0 == 0x1f && b1 == 0x8b) {
                    // Unbuffered above the inflater, so that a stream cut inside its data reports every byte it gave.
                    return new Source(file, new DataInputStream(new GZIPInputStream(raw, 1 << 16)), -1);
                }
                return new Source(file, new DataInputStream(raw), size);
            } catch (EOFException e) {
                raw.close();
                throw headerIncomplete(file);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** The next big-endian int32 of the header. */
        int readInt() throws IOException {
            try {
                int v = in.readInt();
                headerBytes += 4;
                return v;
            } catch (EOFException e) {
                throw headerIncomplete(file);
            }
        }

        /** The {@code declared} bytes of {@code what} data that follow the header, and nothing after them. */
        byte[] data(long declared, String what) throws IOException {
            if (plainSize >= 0) {
                long found = plainSize - headerBytes;
                if (found < declared) {
                    throw truncated(declared, found, what);
                }
                if (found > declared) {
                    throw new GlassboxException(file + ": " + (found - declared) + " more bytes than the " + declared
                            + " bytes of " + what + " data the header declares (expected the file to end there)");
                }
            }
            if (declared > MAX_DATA_BYTES) {
                throw new GlassboxException(file + ": the header declares " + declared + " bytes of " + what
                        + " data, more than the " + MAX_DATA_BYTES + " bytes Glassbox reads from one IDX file");
            }
            // A plain file was seen to hold the data: one allocation. A gzip stream has not been.
            byte[] data = readArriving((int) declared, plainSize >= 0 ? (int) declared : CHUNK, what);
            if (plainSize < 0 && in.read() >= 0) {
                throw new GlassboxException(file + ": more bytes than the " + declared + " bytes of " + what
                        + " data the header declares (expected the file to end there)");
            }
            return data;
        }

        /** Reads {@code length} bytes, allocating them in chunks of at most {@code chunkSize} as they arrive. */
        private byte[] readArriving(int length, int chunkSize, String what) throws IOException {
            List<byte[]> chunks = new ArrayList<>();
            int found = 0;
            while (found < length) {
                byte[] chunk = new byte[Math.min(chunkSize, length - found)];
                int n = 0;
                while (n < chunk.length) {
                    int r = readSome(chunk, n);
                    if (r < 0) throw truncated(length, found + n, what);
                    n += r;
                }
                found += n;
                chunks.add(chunk);
            }
            if (chunks.size() == 1) return chunks.get(0);
            byte[] data = new byte[length];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, data, at, c.length);
                at += c.length;
            }
            return data;
        }

        /** Reads into {@code chunk} from {@code at}; -1 at the end of the file or of a gzip stream cut inside its data. */
        private int readSome(byte[] chunk, int at) throws IOException {
            try {
                return in.read(chunk, at, chunk.length - at);
            } catch (EOFException e) {
                return -1;
            }
        }

        private GlassboxException truncated(long declared, long found, String what) {
            return new GlassboxException(file + ": truncated IDX file: expected " + declared + " bytes of " + what
                    + " data but found " + found);
        }

        private static GlassboxException headerIncomplete(Path file) {
            return new GlassboxException(file + ": truncated IDX file (the header is incomplete)");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Writes an image file ({@code pixels} is {@code count * rows * cols} bytes) to {@code out}. */
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
        return through(file, Files.newOutputStream(file));
    }

    /**
     * {@link #create}, for a file that does not exist yet: throws a {@link GlassboxException} naming
     * the file when it does, and replaces nothing.
     */
    static OutputStream createNew(Path file) throws IOException {
        try {
            return through(file, Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (FileAlreadyExistsException e) {
            throw new GlassboxException(file + ": exists already (nothing is replaced)");
        }
    }

    private static OutputStream through(Path file, OutputStream raw) throws IOException {
        OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }
}
