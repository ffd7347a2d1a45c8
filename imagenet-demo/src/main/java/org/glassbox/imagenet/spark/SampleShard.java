package org.glassbox.imagenet.spark;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One partition's share of a sample of position vectors: the vectors with sample indices
 * [first, first + count), {@code [count, d]} float32 row-major, kept in executor memory for the
 * rounds of a dictionary fit.
 */
record SampleShard(int first, int count, int dimension, float[] values) implements Serializable {
    /** The shard of the rows {@code rows} {@code [count, d]} that start at sample index {@code first}. */
    static SampleShard of(int first, INDArray rows) {
        return new SampleShard(first, (int) rows.size(0), (int) rows.size(1), rows.dup('c').data().asFloat());
    }

    /** Whether sample index {@code i} is in this shard. */
    boolean holds(int i) {
        return i >= first && i < first + count;
    }

    /** The rows {@code [count, d]} as a new array. */
    INDArray rows() {
        return Nd4j.create(values.clone(), new long[] {count, dimension}, 'c');
    }

    /** Sample index {@code i}'s vector, {@code [d]}. */
    float[] row(int i) {
        float[] out = new float[dimension];
        System.arraycopy(values, (i - first) * dimension, out, 0, dimension);
        return out;
    }
}
