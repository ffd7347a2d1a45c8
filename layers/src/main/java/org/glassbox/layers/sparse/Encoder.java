package org.glassbox.layers.sparse;

/**
 * How a sparse-coding layer turns an input vector x into a code a over its dictionary D
 * {@code [K, d]}. With {@code nonNegative}, every encoder gives codes a &gt;= 0.
 */
public enum Encoder {
    /**
     * The LASSO, min_a 1/2 ||x - a D||^2 + lambda ||a||_1, solved by batched FISTA ({@link Fista};
     * Beck and Teboulle 2009), up to the spec's iterations and tolerance.
     */
    FISTA,
    /**
     * Soft threshold of the correlations x D^T at lambda ({@link CorrelationEncoders#threshold}):
     * one matrix product, no iterations.
     */
    THRESHOLD,
    /**
     * The k correlations of largest magnitude, at their values ({@link CorrelationEncoders#topK};
     * Coates and Ng 2011).
     */
    TOP_K,
    /**
     * 1-sparse vector quantisation: only the correlation of largest magnitude, at its value
     * ({@link AtomSearch}, an exact search that skips most correlations; Coates and Ng 2011; the sparse manifold transform's
     * encoder).
     */
    ONE_SPARSE,
    /**
     * Binary codes of every atom whose cosine with the vector is at least lambda
     * ({@link CorrelationEncoders#cosineThreshold}; the general sparse code of the sparse manifold
     * transform, Chen et al., ICLR 2023).
     */
    COSINE_THRESHOLD,
    /**
     * The LASSO, min_a 1/2 ||x - a D||^2 + lambda ||a||_1 (lambda &gt; 0), solved exactly by
     * coordinate descent on a growing working set of atoms with the Gram matrix D D^T, each row
     * until its duality gap is at most the spec's tolerance times its objective
     * ({@link WorkingSetLasso}; Friedman, Hastie and Tibshirani 2010; Massias, Gramfort and Salmon
     * 2018). The same codes as {@link #FISTA} at a small fraction of its work; the default.
     */
    COORDINATE_DESCENT
}
