package org.glassbox.framework.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.glassbox.framework.io.AtomicFolder;

/** Writes PNG files with {@code javax.imageio}, to a temporary name renamed when complete ({@link AtomicFolder#writeFile}). */
public final class Png {
    private Png() {
    }

    /** Writes {@code picture} to {@code file} as PNG; a failure throws a GlassboxException naming the file. */
    public static void write(Path file, BufferedImage picture) {
        AtomicFolder.writeFile(file, tmp -> {
            if (!ImageIO.write(picture, "png", tmp.toFile())) {
                throw new IOException("no PNG writer is installed in this Java runtime");
            }
        });
    }
}
