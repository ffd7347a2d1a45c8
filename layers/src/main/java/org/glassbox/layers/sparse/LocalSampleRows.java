package org.glassbox.layers.sparse;

/** {@link SampleRows} held in one float32 array {@code [n, d]} of this JVM. */
final class LocalSampleRows implements SampleRows {
    private final NativeRows data;

    LocalSampleRows(NativeRows data) {
        this.data = data;
    }

    @Override
    public int count() {
        return data.rows;
    }

    @Override
    public int dimension() {
        return data.cols;
    }

    @Override
    public float[][] rows(int[] indices) {
        float[][] out = new float[indices.length][data.cols];
        for (int i = 0; i < indices.length; i++) data.get(indices[i], out[i], 0);
        return out;
    }

    @Override
    public MiniBatchStatistics statistics(int[] batch, CodingRound round) {
        NativeRows rows = NativeRows.zeros(batch.length, data.cols);
        float[] row = new float[data.cols];
        int[] positions = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            data.get(batch[i], row, 0);
            rows.put(i, row, 0);
            positions[i] = i;
        }
        return round.statistics(rows.array, positions);
    }

    @Override
    public long[] activeCounts(CodingRound round) {
        return round.activeCounts(data.array);
    }
}
