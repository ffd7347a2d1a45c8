package org.glassbox.layers.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Statistics of parts of the chosen maps add to those of all of them; the fit is the solve of the sums. */
class CoOccurrencePlusTest {
    private static final MapShape SHAPE = new MapShape(5, 6, 12);

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = from; i < to; i++) r[i - from] = i;
        return r;
    }

    @Test
    void statisticsOfPartsSumToTheStatisticsOfTheWhole() {
        INDArray maps = CoOccurrenceTest.sparseMaps(30, SHAPE, 2, 11);
        for (ManifoldSpec.Difference difference : ManifoldSpec.Difference.values()) {
            ManifoldSpec spec = ManifoldSpec.defaults().withWindow(3).withDifference(difference);
            CoOccurrence whole = spec.statistics(SHAPE);
            whole.add(maps, range(0, 30));
            CoOccurrence first = spec.statistics(SHAPE);
            first.add(maps, range(0, 7));
            CoOccurrence second = spec.statistics(SHAPE);
            second.add(maps, range(7, 30));
            CoOccurrence sum = first.plus(second);
            assertEquals(whole.positions(), sum.positions());
            double[] v = whole.v();
            double[] s = whole.s();
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], sum.v()[i], 1e-12 * Math.abs(v[i]), difference + " V " + i);
                assertEquals(s[i], sum.s()[i], 1e-12 * Math.abs(s[i]), difference + " S " + i);
            }
        }
    }

    @Test
    void fitSolvesTheStatisticsOfTheChosenMaps() {
        INDArray maps = CoOccurrenceTest.sparseMaps(40, SHAPE, 2, 12);
        ManifoldSpec spec = ManifoldSpec.defaults().withWindow(3).withDims(4).withSampleMaps(25);
        FitContext context = FitContext.silent(3);
        ManifoldLayer fitted = spec.fit("L1.embed", MapSource.of(maps), context);
        int[] chosen = spec.chosenMaps("L1.embed", 40, context);
        assertEquals(25, chosen.length);
        CoOccurrence stats = spec.statistics(SHAPE);
        stats.add(maps, chosen);
        ManifoldLayer solved = spec.fromStatistics("L1.embed", SHAPE, stats);
        assertEquals(fitted.projection(), solved.projection());
        assertEquals(fitted.mu(), solved.mu());
    }

    @Test
    void statisticsOfOtherShapesDoNotAdd() {
        ManifoldSpec spec = ManifoldSpec.defaults().withWindow(3);
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> spec.statistics(SHAPE).plus(spec.statistics(new MapShape(5, 6, 8))));
        assertEquals("manifold: cannot add statistics of maps " + new MapShape(5, 6, 8) + " (window 3, "
                + spec.difference() + ") to statistics of maps " + SHAPE + " (window 3, " + spec.difference() + ")",
                e.getMessage());
    }
}
