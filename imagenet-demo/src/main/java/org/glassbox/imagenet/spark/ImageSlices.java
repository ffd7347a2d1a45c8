package org.glassbox.imagenet.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.Preprocess;
import org.glassbox.imagenet.StreamOptions;

/**
 * A list of checked image files cut into {@code partitions} fixed, contiguous index ranges
 * (partition p holds images [floor(p n / P), floor((p + 1) n / P))), with the decoding settings, as
 * a value that travels to Spark tasks: each task opens its range as an {@link ImageStream} on its
 * executor. Decoding depends only on the file, the preprocessing and the crop seed, so the images
 * of a range are those the same indices give in one stream over the whole list.
 */
final class ImageSlices implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] paths;
    private final int shorterSide;
    private final int height;
    private final int width;
    private final String crop;
    private final long seed;
    private final int partitions;
    private final int threads;

    /**
     * @param files checked files (decodable)
     * @param seed the crop seed of the stream ({@link StreamOptions#seed()})
     * @param threads decoding threads inside each task
     */
    ImageSlices(ImageFiles files, Preprocess preprocess, long seed, int partitions, int threads) {
        this.paths = files.files().stream().map(Path::toString).toArray(String[]::new);
        this.shorterSide = preprocess.shorterSide();
        this.height = preprocess.height();
        this.width = preprocess.width();
        this.crop = preprocess.crop().name();
        this.seed = seed;
        this.partitions = partitions;
        this.threads = threads;
    }

    /** n, the number of images. */
    int images() {
        return paths.length;
    }

    /** P, the number of ranges. */
    int partitions() {
        return partitions;
    }

    /** The first image of range {@code p} (for p = P: n). */
    int start(int p) {
        return SparkPasses.start(p, paths.length, partitions);
    }

    /** The shape of one decoded image, {@code [height, width, 3]}. */
    MapShape shape() {
        return new MapShape(height, width, 3);
    }

    /** The images of range {@code p}, decoded on the calling executor in index order. */
    MapSource slice(int p) {
        SparkPasses.scanImagePlugins();
        List<Path> slice = new ArrayList<>();
        for (int i = start(p); i < start(p + 1); i++) slice.add(Path.of(paths[i]));
        if (slice.isEmpty()) return new EmptySource(shape());
        ImageFiles part = new ImageFiles("partition " + p, List.of("all"), slice, new int[slice.size()]);
        return ImageStream.ofChecked(part, new Preprocess(shorterSide, height, width, Preprocess.Crop.valueOf(crop)),
                new StreamOptions(threads, Math.max(4, 2 * threads), seed), Progress.silent());
    }

    /** A source of no maps of one shape (the range of a partition beyond the last image). */
    private record EmptySource(MapShape shape) implements MapSource {
        @Override
        public long samples() {
            return 0;
        }

        @Override
        public void forEachBatch(int batchSize, BatchVisitor visitor) {
        }
    }
}
