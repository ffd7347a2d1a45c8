package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.inspect.Explainer;
import org.glassbox.framework.inspect.Explanation;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.Test;

/** Explanations trace every sparse-coding layer: active atoms, residual, and pixels where the stages below map back. */
class ExplainerTest {
    @Test
    void everySparseLayerIsTracedWithResidual() {
        SmallModel m = SmallModel.get();
        Explanation e = Explainer.explain(m.model.pipeline(), m.model.linearReadout(), m.split.test(), 3);
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
