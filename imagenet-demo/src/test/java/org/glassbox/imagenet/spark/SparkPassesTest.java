package org.glassbox.imagenet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.glassbox.framework.progress.Progress;
import org.glassbox.imagenet.ClassFolderTree;
import org.glassbox.imagenet.ImageFiles;
import org.glassbox.imagenet.ImageStream;
import org.glassbox.imagenet.Preprocess;
import org.glassbox.imagenet.SkipLog;
import org.glassbox.imagenet.StreamOptions;
import org.glassbox.imagenet.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark passes in local mode give what the same passes give on one machine. */
class SparkPassesTest {
    private static JavaSparkContext spark;

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("glassbox-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private ImageFiles messyTree(SkipLog log) {
        for (int i = 0; i < 11; i++) {
            final int k = i;
            TestImages.write(root.resolve("c" + (i % 3) + "/img" + i + ".png"), "png", 20 + 3 * i, 18 + i,
                    (x, y) -> (x * 9 + y * 5 + k * 31) % 256 << 16 | (x * y + k) % 256 << 8 | (k * 17 + x) % 256);
        }
        TestImages.bytes(root.resolve("c1/broken.jpg"), "not a jpeg".getBytes());
        TestImages.truncatedJpeg(root.resolve("c2/cut.jpg"));
        return ClassFolderTree.read(root, log);
    }

    @Test
    void checkKeepsAndLogsTheSameFilesAsOneMachine() {
        List<String> localLines = new ArrayList<>();
        ImageFiles files = messyTree(new SkipLog(s -> { }));
        Preprocess pre = new Preprocess(16, 16, 16, Preprocess.Crop.CENTRE);
        ImageStream local = ImageStream.open(files, pre, StreamOptions.of(2, 1), new SkipLog(localLines::add),
                Progress.silent());

        List<String> sparkLines = new ArrayList<>();
        ImageFiles kept = new SparkPasses(spark, 4, 1).check(files, new SkipLog(sparkLines::add));

        assertEquals(local.files().files(), kept.files());
        assertEquals(java.util.Arrays.toString(local.labels()), java.util.Arrays.toString(kept.labels()));
        assertEquals(localLines, sparkLines);
        assertEquals(2, sparkLines.size());
    }
}
