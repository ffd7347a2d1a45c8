package org.glassbox.layers.whiten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.MapSource;
import org.glassbox.framework.layer.PositionSampler;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Moments add over parts of a sample, and give the two-pass covariance of the definition. */
class PositionMomentsTest {
    private static INDArray rows(int n, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, d).muli(3).addi(0.5);
    }

    @Test
    void momentsOfPartsSumToTheMomentsOfTheWhole() {
        INDArray x = rows(500, 7, 3);
        Covariance whole = new PositionMoments(7, true).add(x).covariance();
        PositionMoments parts = new PositionMoments(7, true).add(x.get(NDArrayIndex.interval(0, 123), NDArrayIndex.all()))
                .plus(new PositionMoments(7, true).add(x.get(NDArrayIndex.interval(123, 400), NDArrayIndex.all())))
                .plus(new PositionMoments(7, true).add(x.get(NDArrayIndex.interval(400, 500), NDArrayIndex.all())));
        Covariance summed = parts.covariance();
        assertEquals(500, summed.count());
        for (int i = 0; i < 7; i++) assertEquals(whole.mean()[i], summed.mean()[i], 1e-12 * Math.abs(whole.mean()[i]));
        for (int i = 0; i < 49; i++) {
            assertEquals(whole.matrix()[i], summed.matrix()[i], 1e-12 * Math.abs(whole.matrix()[0]), "C " + i);
        }
    }

    @Test
    void covarianceIsTheCentredSecondMoment() {
        INDArray x = rows(300, 5, 4);
        double[] v = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mu = new double[5];
        for (int i = 0; i < 300; i++) for (int j = 0; j < 5; j++) mu[j] += v[i * 5 + j] / 300;
        Covariance c = new PositionMoments(5, false).add(x).covariance();
        for (int p = 0; p < 5; p++) {
            for (int q = 0; q < 5; q++) {
                double sum = 0;
                for (int i = 0; i < 300; i++) sum += (v[i * 5 + p] - mu[p]) * (v[i * 5 + q] - mu[q]);
                assertEquals(sum / 300, c.matrix()[p * 5 + q], 1e-12, "C " + p + "," + q);
            }
        }
    }

    @Test
    void fitIsFromMomentsOfTheSampledPositions() {
        INDArray maps = rows(40 * 9, 4, 5).reshape('c', 40, 3, 3, 4);
        WhiteningSpec spec = WhiteningSpec.defaults().withSamples(100);
        FitContext context = FitContext.silent(9);
        WhiteningLayer fitted = spec.fit("L1.whiten", MapSource.of(maps), context);
        INDArray sample = PositionSampler.sample(MapSource.of(maps), 100, context.random("L1.whiten"));
        WhiteningLayer direct = spec.fromMoments("L1.whiten", new MapShape(3, 3, 4), spec.moments(new MapShape(3, 3, 4))
                .add(sample));
        assertEquals(fitted.whitening(), direct.whitening());
        assertEquals(fitted.mean(), direct.mean());
    }

    @Test
    void partsOfOtherDimensionsDoNotAdd() {
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> new PositionMoments(3, true).plus(new PositionMoments(4, true)));
        assertEquals("cannot add moments of 4-dimensional vectors (mean removal true, emptyNorm 0.0) to moments of "
                + "3-dimensional ones (mean removal true, emptyNorm 0.0)", e.getMessage());
        GlassboxException empty = assertThrows(GlassboxException.class,
                () -> new PositionMoments(3, true).plus(new PositionMoments(3, true, 0.1)));
        assertEquals("cannot add moments of 3-dimensional vectors (mean removal true, emptyNorm 0.1) to moments of "
                + "3-dimensional ones (mean removal true, emptyNorm 0.0)", empty.getMessage());
    }
}
