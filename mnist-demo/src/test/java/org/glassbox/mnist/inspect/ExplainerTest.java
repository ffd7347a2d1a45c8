package org.glassbox.mnist.inspect;

import org.glassbox.layers.inspect.StackAnatomy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.junit.jupiter.api.Test;

/** {@link Explainer}: per-layer traces with their residuals. */
class ExplainerTest {
    @Test
    void everySparseLayerIsTracedWithResidual() {
        SmallModel m = SmallModel.get();
        StackAnatomy anatomy = new StackAnatomy();
        Explanation e = Explainer.explain(m.model, anatomy, Explainer.linearReadout(m.model, anatomy), m.split.test(), 3);
        assertEquals(2, e.layers().size());
        Explanation.LayerTrace l1 = e.layers().get(0);
        assertEquals("L1", l1.prefix());
        assertNotNull(l1.input(), "layer 1 maps back to pixels");
        assertEquals(28, l1.reconstruction().size(0));
        assertTrue(l1.relativeError() > 0 && l1.relativeError() < 1, "relative residual " + l1.relativeError());
        assertTrue(!l1.active().isEmpty() && l1.meanActive() > 0);
        double previous = Double.POSITIVE_INFINITY;
        for (Explanation.ActiveAtom a : l1.active()) {
            assertTrue(Math.abs(a.total()) <= previous);
            previous = Math.abs(a.total());
        }
        Explanation.LayerTrace l2 = e.layers().get(1);
        assertEquals("L2", l2.prefix());
        assertEquals(null, l2.input(), "layer 2's input space has no pixel mapping");
        assertTrue(l2.relativeError() < 1);
    }
}
