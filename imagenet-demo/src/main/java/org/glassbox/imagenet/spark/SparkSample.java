package org.glassbox.imagenet.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.glassbox.layers.sparse.CodingRound;
import org.glassbox.layers.sparse.MiniBatchStatistics;
import org.glassbox.layers.sparse.SampleRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The sample of a dictionary fit held by the partitions of a cached RDD of {@link SampleShard}s:
 * each request of the learner is one Spark job. For a mini-batch the driver broadcasts the round
 * (dictionary, FISTA warm start) and the batch's sample indices; each partition encodes the batch
 * vectors it holds and returns their {@link MiniBatchStatistics}, which {@code treeReduce} sums;
 * usage counts are summed the same way.
 */
final class SparkSample implements SampleRows {
    private final JavaSparkContext spark;
    private final JavaRDD<SampleShard> shards;
    private final int count;
    private final int dimension;

    SparkSample(JavaSparkContext spark, JavaRDD<SampleShard> shards, int count, int dimension) {
        this.spark = spark;
        this.shards = shards;
        this.count = count;
        this.dimension = dimension;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] rows(int[] indices) {
        Broadcast<int[]> wanted = spark.broadcast(indices);
        List<Tuple2<Integer, float[]>> found = shards.flatMap(shard -> {
            List<Tuple2<Integer, float[]>> out = new ArrayList<>();
            for (int i : wanted.value()) if (shard.holds(i)) out.add(new Tuple2<>(i, shard.row(i)));
            return out.iterator();
        }).collect();
        wanted.destroy();
        Map<Integer, float[]> byIndex = new HashMap<>();
        for (Tuple2<Integer, float[]> t : found) byIndex.put(t._1(), t._2());
        float[][] out = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) out[i] = byIndex.get(indices[i]).clone();
        return out;
    }

    @Override
    public MiniBatchStatistics statistics(int[] batch, CodingRound round) {
        Broadcast<CodingRound> sharedRound = spark.broadcast(round);
        Broadcast<int[]> sharedBatch = spark.broadcast(batch);
        MiniBatchStatistics sum = shards.map(shard -> {
            int[] all = sharedBatch.value();
            int mine = 0;
            for (int i : all) if (shard.holds(i)) mine++;
            int[] positions = new int[mine];
            float[] values = new float[mine * shard.dimension()];
            int at = 0;
            for (int b = 0; b < all.length; b++) {
                if (!shard.holds(all[b])) continue;
                positions[at] = b;
                System.arraycopy(shard.values(), (all[b] - shard.first()) * shard.dimension(), values,
                        at * shard.dimension(), shard.dimension());
                at++;
            }
            return sharedRound.value().statistics(mine == 0 ? Nd4j.create(DataType.FLOAT, 0, shard.dimension())
                    : Nd4j.create(values, new long[] {mine, shard.dimension()}, 'c'), positions);
        }).treeReduce(MiniBatchStatistics::plus);
        sharedRound.destroy();
        sharedBatch.destroy();
        return sum;
    }

    @Override
    public long[] activeCounts(CodingRound round) {
        Broadcast<CodingRound> shared = spark.broadcast(round);
        long[] counts = shards.map(shard -> shard.count() == 0 ? new long[shared.value().atoms()]
                : shared.value().activeCounts(shard.rows())).treeReduce((a, b) -> {
                    long[] s = new long[a.length];
                    for (int k = 0; k < s.length; k++) s[k] = a[k] + b[k];
                    return s;
                });
        shared.destroy();
        return counts;
    }
}
