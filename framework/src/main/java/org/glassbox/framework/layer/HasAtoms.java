package org.glassbox.framework.layer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer with a learned dictionary. Its atoms are canonical: unit L2 norm, largest-magnitude entry
 * positive, ordered by usage (most used first), with stable ids {@code <prefix>/a<k>}.
 */
public interface HasAtoms {
    /** The level name that prefixes atom ids, for example {@code "L1"}. */
    String atomPrefix();

    /** The dictionary {@code [atoms, inputDim]}: row k is atom k in this layer's input space. */
    INDArray dictionary();

    /** {@code [atoms]}: the fraction of training inputs in which each atom is active. */
    INDArray usage();

    /** The number of atoms. */
    default int atomCount() {
        return (int) dictionary().size(0);
    }

    /** The stable id of atom {@code k}, such as {@code L2/a17}. */
    default String atomId(int k) {
        return atomPrefix() + "/a" + k;
    }
}
