package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.layer.Pipeline;

/**
 * A separate JVM for {@link FeatureChunksTest}: encodes a class tree into chunks, prints
 * {@code stored <chunk>} after each chunk, and after chunk {@code args[2]} stops making progress so
 * the test can kill it at a known point.
 */
public final class EncodeChild {
    private EncodeChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int stopAfter = Integer.parseInt(args[2]);
        ImageStream stream = FeatureChunksTest.stream(data);
        FeatureChunks.encode(stream, new Pipeline(stream.shape(), List.of()), out, FeatureChunksTest.CHUNK, 2,
                (chunk, chunks, computed) -> {
                    System.out.println("stored " + chunk);
                    System.out.flush();
                    if (chunk == stopAfter) {
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
    }
}
