package org.glassbox.framework.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model folder (docs/model-format.md). Read strictly: an unknown
 * field is an error.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion the version of this layout; readers reject a newer one
 * @param provenance where the model came from
 * @param inputShape one input sample, {@code [gridH, gridW, channels]}
 * @param stages the pipeline's stages in order
 * @param branches the pipeline's branches, each its stages in order, the first reading the input
 *     or the output of a stage (version 2; absent, and empty, in version 1)
 * @param branchReads for each branch, how many of the stages come before it: it reads their
 *     output, the input when 0 (version 3; absent, and empty, in versions 1 and 2, where every
 *     branch reads the input)
 * @param readouts the readouts over the pipeline's output
 * @param info descriptive fields
 */
public record Manifest(String format, int formatVersion, Provenance provenance, List<Integer> inputShape,
                       List<Component> stages,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<Component>> branches,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> branchReads,
                       List<Component> readouts, Map<String, String> info) {
    /** The value of {@code format}. */
    public static final String FORMAT = "glassbox-model";
    /** The newest format version this code reads: 3, which adds {@code branchReads}. */
    public static final int VERSION = 3;
    /** The version that adds {@code branches}, each reading the input. */
    public static final int VERSION_WITH_BRANCHES = 2;
    /** The version written for a pipeline without branches, which readers of version 1 read too. */
    public static final int VERSION_WITHOUT_BRANCHES = 1;

    /**
     * The version to write for a model whose pipeline's branches read the outputs of
     * {@code branchReads} stages: 1 without branches, 2 when every branch reads the input (so that
     * readers of version 2 read it), else 3.
     */
    public static int versionFor(List<Integer> branchReads) {
        if (branchReads.isEmpty()) return VERSION_WITHOUT_BRANCHES;
        return branchReads.stream().allMatch(r -> r == 0) ? VERSION_WITH_BRANCHES : VERSION;
    }

    /**
     * One stage or readout.
     *
     * @param id its id, such as {@code L1.code}
     * @param kind its layer kind
     * @param spec its hyperparameters, as the kind's spec record
     * @param inputShape one input sample
     * @param outputShape one output sample
     * @param arrays its learned arrays by name, in order
     */
    public record Component(String id, String kind, JsonNode spec, List<Integer> inputShape,
                            List<Integer> outputShape, Map<String, ArrayEntry> arrays) {
    }

    /**
     * One array file.
     *
     * @param file its name inside the model folder
     * @param shape its shape
     * @param dtype its .npy type, such as {@code <f4}
     * @param sha256 SHA-256 of the whole file
     */
    public record ArrayEntry(String file, List<Long> shape, String dtype, String sha256) {
    }
}
