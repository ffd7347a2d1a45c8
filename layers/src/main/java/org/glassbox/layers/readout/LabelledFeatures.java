package org.glassbox.layers.readout;

import org.glassbox.framework.array.FloatArrays;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.Shapes;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.MapSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training features flattened to rows and checked against their labels: {@code features [N, F]}
 * with F = gridH * gridW * channels in C order (position-major, channel fastest), so entry
 * {@code pos * channels + k} of a row is channel k at grid position pos. {@code own} says whether the
 * rows are this record's copy ({@link #read}) or a view of the source's own maps ({@link #view}).
 */
record LabelledFeatures(INDArray features, int[] labels, MapShape shape, boolean own) {
    /** Reads every sample of {@code source} into rows of its own and checks {@code labels}: one per sample, each in [0, classes). */
    static LabelledFeatures read(String id, MapSource source, int[] labels, int classes) {
        checkLabels(id, source, labels, classes);
        MapShape shape = source.shape();
        INDArray all = Nd4j.create(DataType.FLOAT, source.samples(), shape.size());
        source.forEachBatch(256, (batch, offset) -> {
            INDArray rows = flatten(batch);
            all.get(NDArrayIndex.interval(offset, offset + batch.size(0)), NDArrayIndex.all()).assign(rows);
            OffHeap.free(rows, batch); // the C-ordered copy flatten made of a view, if it made one
        });
        Shapes.requireFinite(id + " features", all);
        return new LabelledFeatures(all, labels.clone(), shape, true);
    }

    /**
     * As {@link #read}, but for float32 maps {@linkplain MapSource#inMemory held in memory} the rows
     * are a view of them when they are one whole C-ordered buffer, otherwise one C-ordered copy
     * ({@link FloatArrays#contiguous}): for a readout that only reads its training features while it
     * is fitted.
     */
    static LabelledFeatures view(String id, MapSource source, int[] labels, int classes) {
        INDArray maps = source.inMemory().orElse(null);
        if (maps == null || maps.dataType() != DataType.FLOAT) return read(id, source, labels, classes);
        checkLabels(id, source, labels, classes);
        INDArray whole = FloatArrays.contiguous(maps);
        INDArray rows = whole.reshape('c', whole.size(0), source.shape().size());
        Shapes.requireFinite(id + " features", rows);
        return new LabelledFeatures(rows, labels.clone(), source.shape(), whole != maps);
    }

    /** Frees the rows when they are this record's copy. */
    void release() {
        if (own) OffHeap.free(features);
    }

    /** Checks {@code labels} against {@code source}: one per sample, each in [0, classes). */
    static void checkLabels(String id, MapSource source, int[] labels, int classes) {
        long n = source.samples();
        if (n == 0) {
            throw new GlassboxException(id + ": cannot fit on empty data: the source has no samples");
        }
        if (labels.length != n) {
            throw new GlassboxException(id + ": " + labels.length + " labels but the features have " + n
                    + " samples (expected one label per sample)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new GlassboxException(id + ": label " + labels[i] + " of sample " + i + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    /** {@code [n, gridH, gridW, channels]} to {@code [n, gridH * gridW * channels]}. */
    static INDArray flatten(INDArray maps) {
        INDArray c = maps.ordering() == 'c' && !maps.isView() ? maps : maps.dup('c');
        return c.reshape('c', c.size(0), c.length() / c.size(0));
    }
}
