package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ActiveAtomsTest {
    @Test
    void dropsInactiveAtomsAndAddsTheRidgeOverTheActiveOnes() {
        // atom 1 is never active: zero row and column in V and S
        double[] v = {
            2, 0, 1,
            0, 0, 0,
            1, 0, 4};
        double[] s = {
            5, 0, 6,
            0, 0, 0,
            6, 0, 7};
        ActiveAtoms problem = ActiveAtoms.of(s, v, 3, 0.5);
        assertArrayEquals(new int[] {0, 2}, problem.active());
        assertEquals(2, problem.size());
        // ridge 0.5 * (2 + 4) / 2 = 1.5 on the diagonal of V only
        assertArrayEquals(new double[] {3.5, 1, 1, 5.5}, problem.v());
        assertArrayEquals(new double[] {5, 6, 6, 7}, problem.s());
    }

    @Test
    void whenEveryAtomIsActiveTheArraysAreRestrictedInPlace() {
        double[] v = {2, 1, 1, 4};
        double[] s = {5, 6, 6, 7};
        ActiveAtoms problem = ActiveAtoms.of(s, v, 2, 0.5);
        assertSame(v, problem.v());
        assertSame(s, problem.s());
        // ridge 0.5 * (2 + 4) / 2 = 1.5
        assertArrayEquals(new double[] {3.5, 1, 1, 5.5}, v);
        assertArrayEquals(new double[] {5, 6, 6, 7}, s);
    }

    @Test
    void noActiveAtomLeavesAnEmptyProblem() {
        ActiveAtoms problem = ActiveAtoms.of(new double[4], new double[4], 2, 1e-3);
        assertEquals(0, problem.size());
        assertEquals(0, problem.v().length);
    }
}
