package org.glassbox.imagenet.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.glassbox.framework.error.InvalidParameterException;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.SkipLog;
import scala.Tuple3;

/**
 * The passes over an image list, run on Apache Spark: the list is cut into {@code partitions}
 * fixed, contiguous index ranges, each decoded by one task on the executor that runs it (the files
 * must be readable at the same path on every executor), and the per-partition results are
 * combined with {@code treeReduce} or collected in index order. Each pass gives what the same pass
 * on one machine gives: the check keeps and logs the same files in the same order; moments agree
 * to float64 rounding.
 */
public final class SparkPasses {
    private static final java.util.concurrent.atomic.AtomicBoolean PLUGINS_SCANNED = new java.util.concurrent.atomic.AtomicBoolean();

    private final JavaSparkContext spark;
    private final int partitions;
    private final int threadsPerTask;

    /**
     * @param partitions how many index ranges (tasks) a pass has, at least 1
     * @param threadsPerTask decoding threads inside each task, at least 1
     */
    public SparkPasses(JavaSparkContext spark, int partitions, int threadsPerTask) {
        if (partitions < 1) throw new InvalidParameterException("partitions", partitions, "at least 1");
        if (threadsPerTask < 1) throw new InvalidParameterException("threadsPerTask", threadsPerTask, "at least 1");
        this.spark = spark;
        this.partitions = partitions;
        this.threadsPerTask = threadsPerTask;
    }

    /** The first index of range {@code p} of {@code n} items cut into {@code parts}: floor(p n / parts). */
    static int start(int p, int n, int parts) {
        return (int) ((long) p * n / parts);
    }

    /**
     * Registers the ImageIO plug-ins of the task's class loader, once per executor JVM. ImageIO finds
     * plug-ins when it is first used, through the class loader of that moment; jars that Spark adds
     * to an executor later (such as TwelveMonkeys' CMYK-capable JPEG reader) are found only by a new
     * scan, without which an executor would decode CMYK JPEGs differently from one machine.
     */
    static void scanImagePlugins() {
        if (PLUGINS_SCANNED.compareAndSet(false, true)) javax.imageio.ImageIO.scanForPlugins();
    }

    private JavaRDD<Integer> ranges() {
        return ranges(spark, partitions);
    }

    /** The partition numbers 0..partitions-1, one per Spark partition, in order. */
    static JavaRDD<Integer> ranges(JavaSparkContext spark, int partitions) {
        List<Integer> ids = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) ids.add(p);
        return spark.parallelize(ids, partitions);
    }

    /**
     * The check pass ({@link ImageStream#open}) on the cluster: decodes every file once, logs the
     * ones that fail to {@code log} in file order, and returns the rest.
     */
    public ImageFiles check(ImageFiles files, SkipLog log) {
        int n = files.size();
        int parts = partitions;
        String[] paths = files.files().stream().map(Path::toString).toArray(String[]::new);
        Broadcast<String[]> shared = spark.broadcast(paths);
        List<Tuple3<Integer, String, String>> failed = new ArrayList<>(ranges().flatMap(p -> {
            scanImagePlugins();
            String[] all = shared.value();
            List<Tuple3<Integer, String, String>> out = new ArrayList<>();
            for (int i = start(p, n, parts); i < start(p + 1, n, parts); i++) {
                String[] error = ImageStream.checkFile(Path.of(all[i]));
                if (error != null) out.add(new Tuple3<>(i, error[0], error[1]));
            }
            return out.iterator();
        }).collect());
        failed.sort(Comparator.comparing(Tuple3::_1));
        boolean[] bad = new boolean[n];
        for (Tuple3<Integer, String, String> f : failed) {
            bad[f._1()] = true;
            log.skip(files.files().get(f._1()), SkipLog.Reason.valueOf(f._2()), f._3());
        }
        int[] keep = new int[n - failed.size()];
        int k = 0;
        for (int i = 0; i < n; i++) if (!bad[i]) keep[k++] = i;
        return files.select(files.name(), keep);
    }
}
