package org.glassbox.framework.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, as lower-case hex, of files and byte streams. */
public final class Sha256 {
    private final MessageDigest digest;

    /** A fresh incremental digest. */
    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Adds {@code bytes} to the digest. */
    public Sha256 update(byte[] bytes) {
        digest.update(bytes);
        return this;
    }

    /** Adds {@code values} to the digest, each as 4 little-endian bytes of its IEEE bits. */
    public Sha256 update(float[] values) {
        byte[] b = new byte[values.length * 4];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return update(b);
    }

    /** Adds {@code values} to the digest, each as 4 little-endian bytes. */
    public Sha256 update(int[] values) {
        byte[] b = new byte[values.length * 4];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values);
        return update(b);
    }

    /** The digest as 64 hex digits; the digest is reset. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of a file's contents. */
    public static String of(Path file) throws IOException {
        Sha256 sha = new Sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.digest.update(buf, 0, n);
            }
        }
        return sha.hex();
    }

    /** The SHA-256 of {@code bytes}. */
    public static String of(byte[] bytes) {
        return new Sha256().update(bytes).hex();
    }
}
