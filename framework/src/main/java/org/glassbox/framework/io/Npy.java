package org.glassbox.framework.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files, format version 1.0: the magic {@code \x93NUMPY}, a little-endian
 * header length, a Python dict literal ({@code descr}, {@code fortran_order}, {@code shape}) padded
 * to 64 bytes, then the values in C order. Glassbox writes float32 ({@code <f4}), float64
 * ({@code <f8}) and int32 ({@code <i4}) arrays, and reads them back; {@code numpy.load} reads them.
 * The reader also takes versions 2.0 and 3.0 (a 4-byte header length) and big-endian values, and
 * refuses a malformed or oversized file before allocating its data ({@link #read(Path)}).
 *
 * <p>Why not ND4J's own {@code Nd4j.writeAsNumpy}: it goes through native code that cannot report
 * which file is corrupt, and model files must be readable and checkable (shape, dtype, checksum)
 * before any value reaches the backend.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'([^']*)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,"
                    + "\\s*'shape'\\s*:\\s*\\(([^)]*)\\)\\s*,?\\s*}\\s*");
    /** One size of a shape tuple: at most 18 digits, so that it fits a long. */
    private static final Pattern SIZE = Pattern.compile("\\s*[0-9]{1,18}\\s*");
    /** The types read: float32, float64 and int32, little or big endian. */
    static final List<String> SUPPORTED = List.of("<f4", "<f8", "<i4", ">f4", ">f8", ">i4");
    /** The longest header read, in bytes: NumPy's own default limit ({@code max_header_size}, NumPy 1.24). */
    static final int MAX_HEADER_BYTES = 10_000;
    /** The most data bytes read from one file: the largest Java array, 2^31 - 9 bytes. */
    static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private Npy() {
    }

    /** The {@code descr} string of a data type, for example {@code <f4} for float32. */
    public static String descr(DataType type) {
        return switch (type) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            default -> throw new IllegalArgumentException("no .npy type for " + type);
        };
    }

    /** Writes {@code array} to {@code out} in .npy format (C order, little endian). */
    public static void write(INDArray array, OutputStream out) throws IOException {
        StringBuilder shape = new StringBuilder();
        long[] dims = array.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]).append(dims.length == 1 || i < dims.length - 1 ? "," : "");
            if (i < dims.length - 1) shape.append(' ');
        }
        String dict = "{'descr': '" + descr(array.dataType()) + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        out.write(new byte[] {(byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(8, c.length() * c.dataType().width())))
                .order(ByteOrder.LITTLE_ENDIAN);
        long n = c.length();
        switch (c.dataType()) {
            case FLOAT -> {
                float[] v = c.data().asFloat();
                for (int i = 0; i < n; i++) {
                    if (bytes.remaining() < 4) flush(bytes, out);
                    bytes.putFloat(v[i]);
                }
            }
            case DOUBLE -> {
                double[] v = c.data().asDouble();
                for (int i = 0; i < n; i++) {
                    if (bytes.remaining() < 8) flush(bytes, out);
                    bytes.putDouble(v[i]);
                }
            }
            case INT -> {
                int[] v = c.data().asInt();
                for (int i = 0; i < n; i++) {
                    if (bytes.remaining() < 4) flush(bytes, out);
                    bytes.putInt(v[i]);
                }
            }
            default -> throw new IllegalArgumentException("no .npy type for " + c.dataType());
        }
        flush(bytes, out);
    }

    private static void flush(ByteBuffer bytes, OutputStream out) throws IOException {
        out.write(bytes.array(), 0, bytes.position());
        bytes.clear();
    }

    /** Writes {@code array} to the file {@code path}. */
    public static void write(INDArray array, Path path) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(path))) {
            write(array, out);
        }
    }

    /**
     * Reads the .npy file {@code path}; a malformed file gives a message that names it. Everything
     * is checked before the data is allocated: the magic, the version (1.0, 2.0 or 3.0), the header's
     * length (at most {@link #MAX_HEADER_BYTES}) and dict ({@code descr}, {@code fortran_order},
     * {@code shape}, in the order NumPy writes them), the type (those {@link #SUPPORTED} lists), C
     * order, the shape (a tuple of non-negative integers whose product does not overflow), the data
     * size (at most {@link #MAX_DATA_BYTES}) and that the data is exactly the rest of the file.
     */
    public static INDArray read(Path path) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path))) {
            return read(in, Files.size(path), path.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GlassboxException(path + ": file not found (expected a .npy array file)");
        } catch (IOException e) {
            throw new GlassboxException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the .npy array {@code bytes}, as {@link #read(Path)} reads a file; {@code name} labels errors. */
    public static INDArray fromBytes(byte[] bytes, String name) {
        try {
            return read(new ByteArrayInputStream(bytes), bytes.length, name);
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
    }

    /** Reads one .npy array from {@code in}, which holds {@code length} bytes; {@code name} labels errors. */
    private static INDArray read(InputStream in, long length, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 6 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new GlassboxException(name + ": not a .npy file (expected the magic bytes \\x93NUMPY)");
        }
        if (magic.length < 8) {
            throw headerIncomplete(name);
        }
        int major = magic[6] & 0xff;
        int minor = magic[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new GlassboxException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (expected 1.0, 2.0 or 3.0)");
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) {
            throw headerIncomplete(name);
        }
        long headerLength = major == 1 ? (len[0] & 0xff) | (len[1] & 0xff) << 8
                : Integer.toUnsignedLong(ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (headerLength > MAX_HEADER_BYTES) {
            throw new GlassboxException(name + ": .npy header of " + headerLength + " bytes (expected at most "
                    + MAX_HEADER_BYTES + ")");
        }
        long dataLength = length - magic.length - len.length - headerLength;
        if (dataLength < 0) {
            throw headerIncomplete(name);
        }
        String header = new String(in.readNBytes((int) headerLength), StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            String shown = header.strip();
            throw new GlassboxException(name + ": unreadable .npy header: "
                    + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown));
        }
        String descr = m.group(1);
        if (!SUPPORTED.contains(descr)) {
            throw new GlassboxException(name + ": unsupported .npy type " + descr + " (expected one of "
                    + String.join(", ", SUPPORTED) + ")");
        }
        if (m.group(2).equals("True")) {
            throw new GlassboxException(name + ": Fortran-ordered .npy arrays are not supported (expected C order)");
        }
        long[] shape = shape(m.group(3), name);
        List<Long> dims = Arrays.stream(shape).boxed().toList();
        int width = descr.charAt(2) - '0';
        long bytes = dataBytes(shape, width, name);
        if (bytes > dataLength) {
            throw truncated(name, bytes, dims, dataLength);
        }
        if (bytes < dataLength) {
            throw new GlassboxException(name + ": " + (dataLength - bytes) + " more bytes than the " + bytes
                    + " bytes of data for shape " + dims + " (expected the file to end there)");
        }
        if (bytes > MAX_DATA_BYTES) {
            throw new GlassboxException(name + ": shape " + dims + " needs " + bytes + " bytes of data, more than the "
                    + MAX_DATA_BYTES + " bytes Glassbox reads from one .npy file");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length != bytes) {
            throw truncated(name, bytes, dims, data.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int count = (int) (bytes / width);
        return switch (descr.substring(1)) {
            case "f4" -> {
                float[] v = new float[count];
                buf.asFloatBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            case "f8" -> {
                double[] v = new double[count];
                buf.asDoubleBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            default -> {
                int[] v = new int[count];
                buf.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape(shape);
            }
        };
    }

    /** The sizes of the shape tuple's text {@code tuple}, such as {@code "3, 4"} or {@code "5,"}. */
    private static long[] shape(String tuple, String name) {
        String t = tuple.strip();
        if (t.isEmpty()) return new long[0];
        String[] parts = (t.endsWith(",") ? t.substring(0, t.length() - 1) : t).split(",", -1);
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!SIZE.matcher(parts[i]).matches()) {
                throw new GlassboxException(name + ": .npy shape (" + tuple + ") has the entry '" + parts[i].strip()
                        + "' (expected a non-negative integer below 10^18)");
            }
            shape[i] = Long.parseLong(parts[i].strip());
        }
        return shape;
    }

    /** The product of {@code shape} and {@code width}, refused when it overflows a long. */
    private static long dataBytes(long[] shape, int width, String name) {
        long bytes = width;
        for (long d : shape) {
            if (d == 0) return 0;
        }
        for (long d : shape) {
            if (bytes > Long.MAX_VALUE / d) {
                throw new GlassboxException(name + ": .npy shape " + Arrays.toString(shape) + " holds more than "
                        + Long.MAX_VALUE + " bytes of data");
            }
            bytes *= d;
        }
        return bytes;
    }

    private static GlassboxException truncated(String name, long expected, List<Long> dims, long found) {
        return new GlassboxException(name + ": truncated .npy file: expected " + expected + " bytes of data for shape "
                + dims + " but found " + found);
    }

    private static GlassboxException headerIncomplete(String name) {
        return new GlassboxException(name + ": truncated .npy file (the header is incomplete)");
    }

    /** Serialises {@code array} to bytes in .npy format. */
    public static byte[] toBytes(INDArray array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(array, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * The file name of the array {@code array} of the component {@code id}: {@code <id>.<array>.npy}.
     *
     * @throws GlassboxException when the id or the array name is not a {@link SafeName}
     */
    public static String arrayFile(String id, String array) {
        return SafeName.check("id", id) + "." + SafeName.check("array name", array) + ".npy";
    }

}
