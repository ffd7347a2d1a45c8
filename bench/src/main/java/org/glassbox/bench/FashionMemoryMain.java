package org.glassbox.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.glassbox.framework.data.IdxFolder;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.progress.LineProgress;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.sparse.SparseCodingLayer;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * Fits layer 1 (8 x 8 patches at stride 1, whitening with its defaults, sparse coding with
 * {@code ATOMS} atoms, FISTA, non-negative codes) on the 60,000 Fashion-MNIST training images of
 * an IDX folder. The 60,000 x 21 x 21 = 26.5 million patch vectors (6.8 GB as float32) are never
 * held at once: the pipeline streams the images through the patch and whitening stages in batches
 * of {@link Pipeline#BATCH}, and each fitter keeps only its uniform sample of positions. Run it
 * under a capped heap and off-heap limit ({@code bench/fashion-memory.sh}); it prints the fit
 * time, the largest heap in use it saw and JavaCPP's peak of physical memory.
 *
 * <pre>
 *   FashionMemoryMain FOLDER ATOMS LAMBDA MAX_SAMPLES EPOCHS
 * </pre>
 */
public final class FashionMemoryMain {
    private FashionMemoryMain() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        int atoms = Integer.parseInt(args[1]);
        double lambda = Double.parseDouble(args[2]);
        long maxSamples = Long.parseLong(args[3]);
        int epochs = Integer.parseInt(args[4]);
        long t0 = System.nanoTime();
        ImageSet train = IdxFolder.read(folder).train();
        long[] peakHeap = {0};
        Runtime rt = Runtime.getRuntime();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap[0] = Math.max(peakHeap[0], rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        SparseCodingSpec code = SparseCodingSpec.of("L1", atoms, lambda).withNonNegative(true).withEpochs(epochs)
                .withMaxSamples(maxSamples);
        Pipeline p = Pipeline.fit(train.source(), List.of(new Pipeline.Stage("L1.patches", new PatchSpec(8, 1)),
                new Pipeline.Stage("L1.whiten", WhiteningSpec.defaults()), new Pipeline.Stage("L1.code", code)),
                new FitContext(20261128L, new LineProgress(System.err)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        SparseCodingLayer layer = (SparseCodingLayer) p.stage("L1.code");
        System.out.printf(Locale.ROOT, "fashion-mnist layer 1: %d training images, %d atoms, dictionary %s, %.1f s "
                        + "(read + fit)%n", train.size(), atoms, java.util.Arrays.toString(layer.dictionary().shape()),
                seconds);
        System.out.printf(Locale.ROOT, "heap: max %d MiB, largest in use seen %d MiB; JavaCPP off-heap: limit %d MiB, "
                        + "physical limit %d MiB, physical now %d MiB%n", rt.maxMemory() >> 20, peakHeap[0] >> 20,
                Pointer.maxBytes() >> 20, Pointer.maxPhysicalBytes() >> 20, Pointer.physicalBytes() >> 20);
    }
}
