package org.glassbox.imagenet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled image files streamed as float32 RGB maps {@code [n, height, width, 3]} in [0, 1]: a
 * {@link MapSource}, so a pipeline fits and encodes data sets far larger than memory.
 *
 * <p>{@link #open} first decodes every file once (the check; decoding is the only step that can
 * fail because of a file, so the check does not scale or crop): files that cannot be decoded are
 * named in the {@link SkipLog}, counted and left out, so {@link #samples()} is exact and labels
 * stay aligned with images. Every pass then decodes the files again on
 * {@link StreamOptions#threads()} threads through a bounded queue ({@link OrderedWorkers}): at
 * most {@link StreamOptions#capacity()} decoded images wait at once, and they are delivered in
 * file order, so every pass gives identical batches whatever the thread count or timing. Each pass
 * shows a progress bar in images per second.
 */
public final class ImageStream implements MapSource {
    /** The most values {@link #load} holds: all its images are one array. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private final ImageFiles files;
    private final Preprocess preprocess;
    private final StreamOptions options;
    private final Progress progress;
    private final OrderedWorkers workers;

    private ImageStream(ImageFiles files, Preprocess preprocess, StreamOptions options, Progress progress) {
        this.files = files;
        this.preprocess = preprocess;
        this.options = options;
        this.progress = progress;
        this.workers = new OrderedWorkers(options.threads(), options.capacity());
    }

    /**
     * Checks {@code files} by decoding each once, logs and drops those that fail, and returns a
     * stream over the rest.
     *
     * @throws GlassboxException if no file decodes
     */
    public static ImageStream open(ImageFiles files, Preprocess preprocess, StreamOptions options, SkipLog log,
            Progress progress) {
        ImageStream all = new ImageStream(files, preprocess, options, progress);
        List<Integer> good = new ArrayList<>(files.size());
        try (Progress.Task task = progress.task("check images", files.size())) {
            all.workers.run(files.size(), i -> check(files.files().get(i)), (i, error) -> {
                if (error == null) good.add(i);
                else log.skip(files.files().get(i), error.reason, error.getMessage());
                task.step(1);
            });
        }
        if (good.isEmpty()) {
            throw new GlassboxException(files.name() + ": none of its " + files.size()
                    + " image files could be decoded (expected JPEG or PNG images)");
        }
        int[] keep = good.stream().mapToInt(Integer::intValue).toArray();
        return new ImageStream(files.select(files.name(), keep), preprocess, options, progress);
    }

    /**
     * A stream over files already checked elsewhere (for example by a distributed check pass),
     * without checking them again; a file that fails to decode in a pass stops that pass.
     */
    public static ImageStream ofChecked(ImageFiles files, Preprocess preprocess, StreamOptions options,
            Progress progress) {
        return new ImageStream(files, preprocess, options, progress);
    }

    /**
     * Decodes {@code file} without scaling it, as the check pass does.
     *
     * @return null if it decodes, else the skip reason and detail as {@code {reason name, detail}}
     */
    public static String[] checkFile(Path file) {
        ImageDecoder.DecodeException e = check(file);
        return e == null ? null : new String[] {e.reason.name(), e.getMessage()};
    }

    /** The files this stream decodes (all of them decoded when checked), in stream order. */
    public ImageFiles files() {
        return files;
    }

    /** The class label of each sample, {@code [samples]}. */
    public int[] labels() {
        return files.labels();
    }

    /** How each image is scaled and cropped. */
    public Preprocess preprocess() {
        return preprocess;
    }

    /** The same checked files with other preprocessing (for example a centre crop for testing). */
    public ImageStream withPreprocess(Preprocess other) {
        return new ImageStream(files, other, options, progress);
    }

    /** The samples at {@code indices} of this stream, in that order, without checking them again. */
    public ImageStream select(String name, int[] indices) {
        return new ImageStream(files.select(name, indices), preprocess, options, progress);
    }

    @Override
    public MapShape shape() {
        return preprocess.shape();
    }

    @Override
    public long samples() {
        return files.size();
    }

    @Override
    public void forEachBatch(int batchSize, BatchVisitor visitor) {
        if (batchSize < 1) throw new org.glassbox.framework.error.InvalidParameterException("batchSize", batchSize, "at least 1");
        int n = files.size();
        int values = preprocess.values();
        float[] buffer = new float[Math.min(batchSize, n) * values];
        int[] filled = {0};
        try (Progress.Task task = progress.task("decode images", n)) {
            workers.run(n, this::tryDecode, (i, outcome) -> {
                if (outcome.error() != null) {
                    Path f = files.files().get(i);
                    throw new GlassboxException(f + ": decoded when the data was checked but not now ("
                            + outcome.error().reason.text() + (outcome.error().getMessage() == null ? ""
                            : ": " + outcome.error().getMessage()) + "); was the file changed during the run?");
                }
                System.arraycopy(outcome.pixels(), 0, buffer, filled[0] * values, values);
                filled[0]++;
                task.step(1);
                if (filled[0] * values == buffer.length || i == n - 1) {
                    int count = filled[0];
                    float[] data = count * values == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, count * values);
                    INDArray batch = Nd4j.create(data, shape().batchShape(count), 'c');
                    visitor.visit(batch, i + 1L - count);
                    filled[0] = 0;
                }
            });
        }
    }

    /**
     * Decodes every sample into memory as an {@link ImageSet} with this stream's labels and classes.
     *
     * @throws GlassboxException if the images do not fit in one array
     */
    public ImageSet load() {
        long total = samples() * preprocess.values();
        if (total > MAX_VALUES) {
            throw new GlassboxException(files.name() + ": " + samples() + " images of " + shape()
                    + " are too many to hold in one array (stream them instead)");
        }
        INDArray all = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape().batchShape(samples()));
        forEachBatch(256, (batch, offset) -> all.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + batch.size(0)),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(batch));
        return new ImageSet(files.name(), all, files.labels(), files.classes().size());
    }

    /** The largest number of decoded images that waited at once in any pass so far (at most the capacity). */
    int peakQueued() {
        return workers.peakQueued();
    }

    /** A decoded image or the reason it could not be decoded. */
    private record Outcome(float[] pixels, ImageDecoder.DecodeException error) {
    }

    /** Decodes {@code file} without scaling it (the only step that can fail for a file's sake); null if it decodes. */
    private static ImageDecoder.DecodeException check(Path file) {
        try {
            ImageDecoder.read(file);
            return null;
        } catch (ImageDecoder.DecodeException e) {
            return e;
        }
    }

    private Outcome tryDecode(int i) {
        float[] out = new float[preprocess.values()];
        try {
            ImageDecoder.decode(files.files().get(i), preprocess, options.seed(), out);
            return new Outcome(out, null);
        } catch (ImageDecoder.DecodeException e) {
            return new Outcome(null, e);
        }
    }
}
