package org.glassbox.layers.sparse;

import org.glassbox.framework.array.OffHeap;
import org.glassbox.framework.array.SparseRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder a {@link SparseCodingSpec} names, bound to one dictionary D {@code [K, d]}: rows
 * {@code [n, d]} to codes {@code [n, K]}. For {@link Encoder#FISTA} and
 * {@link Encoder#COORDINATE_DESCENT} it holds the solver (with its G = D D^T, and FISTA's step
 * size), for {@link Encoder#ONE_SPARSE} the {@link AtomSearch} (the atoms' principal axes), each
 * computed once per dictionary.
 */
final class DictionaryEncoder {
    private final SparseCodingSpec spec;
    private final INDArray dictionary;
    private final Fista fista;
    private final WorkingSetLasso lasso;
    private final AtomSearch search;

    /**
     * @param dictionary {@code [K, d]} float32, not copied: the caller must not modify it
     * @param eigenStart a warm start for FISTA's power iteration (the previous dictionary's), or null
     */
    DictionaryEncoder(SparseCodingSpec spec, INDArray dictionary, double[] eigenStart) {
        this.spec = spec;
        this.dictionary = dictionary;
        this.fista = spec.encoder() == Encoder.FISTA
                ? new Fista(dictionary, spec.lambda(), spec.nonNegative(), spec.iterations(), spec.tolerance(), eigenStart)
                : null;
        this.lasso = spec.encoder() == Encoder.COORDINATE_DESCENT
                ? new WorkingSetLasso(dictionary, spec.lambda(), spec.nonNegative(), spec.iterations(), spec.tolerance())
                : null;
        this.search = spec.encoder() == Encoder.ONE_SPARSE ? new AtomSearch(dictionary, spec.nonNegative()) : null;
    }

    /** Codes {@code [n, K]} of {@code rows} {@code [n, d]}. */
    INDArray encode(INDArray rows) {
        return switch (spec.encoder()) {
            case FISTA -> fista.encode(rows);
            case COORDINATE_DESCENT -> lasso.encode(rows);
            case THRESHOLD -> CorrelationEncoders.threshold(rows, dictionary, spec.lambda(), spec.nonNegative());
            case TOP_K -> CorrelationEncoders.topK(rows, dictionary, spec.k(), spec.nonNegative());
            case ONE_SPARSE -> search.encode(rows).dense();
            case COSINE_THRESHOLD -> CorrelationEncoders.cosineThreshold(rows, dictionary, spec.lambda());
        };
    }

    /**
     * The codes of {@code rows} {@code [n, d]} as their non-zeros: {@link Encoder#COSINE_THRESHOLD} and
     * {@link Encoder#ONE_SPARSE} never make the dense codes ({@link CorrelationEncoders#cosineThresholdSparse},
     * {@link AtomSearch#encode}); the others are encoded densely first.
     */
    SparseRows encodeSparse(INDArray rows) {
        return switch (spec.encoder()) {
            case COSINE_THRESHOLD -> CorrelationEncoders.cosineThresholdSparse(rows, dictionary, spec.lambda());
            case ONE_SPARSE -> search.encode(rows);
            default -> {
                INDArray codes = encode(rows);
                SparseRows sparse = SparseRows.of(codes);
                OffHeap.free(codes, rows);
                yield sparse;
            }
        };
    }

    /** FISTA's last power-iteration vector (to warm-start the next dictionary's), or null for the other encoders. */
    double[] eigenvector() {
        return fista == null ? null : fista.eigenvector();
    }
}
