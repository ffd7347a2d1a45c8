package org.glassbox.framework.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *
 * <p>Why not ND4J's own {@code Nd4j.writeAsNumpy}: it goes through native code that cannot report
 * which file is corrupt, and model files must be readable and checkable (shape, dtype, checksum)
 * before any value reaches the backend.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'([<>|]?[a-z]\\d+)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,"
                    + "\\s*'shape'\\s*:\\s*\\(([^)]*)\\)\\s*,?\\s*}\\s*");

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

    /** Reads the .npy file {@code path}; a malformed file gives a message that names it. */
    public static INDArray read(Path path) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path))) {
            return read(in, path.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GlassboxException(path + ": file not found (expected a .npy array file)");
        } catch (IOException e) {
            throw new GlassboxException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads one .npy array from {@code in}; {@code name} labels errors. */
    public static INDArray read(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !java.util.Arrays.equals(java.util.Arrays.copyOf(magic, 6), MAGIC)) {
            throw new GlassboxException(name + ": not a .npy file (expected the magic bytes \\x93NUMPY)");
        }
        int headerLength;
        if (magic[6] == 1) {
            byte[] len = in.readNBytes(2);
            headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        } else {
            byte[] len = in.readNBytes(4);
            headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new GlassboxException(name + ": unreadable .npy header: " + header.strip());
        }
        if (m.group(2).equals("True")) {
            throw new GlassboxException(name + ": Fortran-ordered .npy arrays are not supported (expected C order)");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(3).split(",")) {
            if (!part.isBlank()) dims.add(Long.parseLong(part.strip()));
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) count *= d;
        String descr = m.group(1);
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.replaceFirst("^[<>|]", "");
        int width = Integer.parseInt(type.substring(1));
        byte[] data = in.readNBytes((int) (count * width));
        if (data.length != count * width) {
            throw new GlassboxException(name + ": truncated .npy file: expected " + count * width
                    + " bytes of data for shape " + dims + " but found " + data.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(order);
        INDArray result = switch (type) {
            case "f4" -> {
                float[] v = new float[(int) count];
                buf.asFloatBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            case "f8" -> {
                double[] v = new double[(int) count];
                buf.asDoubleBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            case "i4" -> {
                int[] v = new int[(int) count];
                buf.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape(shape);
            }
            default -> throw new GlassboxException(name + ": unsupported .npy type " + descr
                    + " (expected <f4, <f8 or <i4)");
        };
        return result;
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
}
