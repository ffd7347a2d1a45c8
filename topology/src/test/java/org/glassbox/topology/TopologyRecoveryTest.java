package org.glassbox.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TopologyRecoveryTest {
    private static final int H = 12;
    private static final int W = 10;

    @Test
    void aScrambledSmoothFieldIsRecoveredExactlyUpToRotationAndFlip() {
        INDArray images = SyntheticField.images(3000, H, W, 0.05, 11);
        int[] p = Scramble.permutation(H * W, 5);
        TopologyRecovery.Result r = TopologyRecovery.recover(Scramble.apply(images, p), "field", 1, Progress.silent());
        LayoutMetrics m = LayoutMetrics.of(p, r.layout().cellOf(), W, r.dependence().varying());
        assertEquals(H * W, m.varying());
        assertEquals(1.0, m.neighbours4());
        assertEquals(1.0, m.neighbours8());
        assertEquals(1.0, m.spearman(), 1e-9);
        // The layout un-scrambles the images: up to the grid's symmetries, every image is back.
        INDArray back = r.layout().apply(Scramble.apply(images, p));
        assertTrue(equalUpToSymmetry(back, images), "the recovered grid is a rotation or flip of the true one");
    }

    @Test
    void theRecoveryIsDeterministic() {
        INDArray images = Scramble.apply(SyntheticField.images(1500, 9, 9, 0.05, 3), Scramble.permutation(81, 2));
        Layout a = TopologyRecovery.recover(images, "field", 7, Progress.silent()).layout();
        Layout b = TopologyRecovery.recover(images, "field", 7, Progress.silent()).layout();
        assertArrayEquals(a.pixelAt(), b.pixelAt());
    }

    @Test
    void constantPixelsAreLeftOutAndPlacedInTheFreeCells() {
        INDArray images = SyntheticField.images(1500, 8, 8, 0.05, 4);
        // The corner pixels never vary.
        for (int[] rc : new int[][] {{0, 0}, {0, 7}, {7, 0}, {7, 7}}) {
            images.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(rc[0]),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(rc[1]), org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0.5);
        }
        TopologyRecovery.Result r = TopologyRecovery.recover(images, "field", 1, Progress.silent());
        assertArrayEquals(new int[] {0, 7, 56, 63}, r.dependence().constant());
        assertArrayEquals(new int[] {0, 7, 56, 63}, r.layout().constant());
        LayoutMetrics m = LayoutMetrics.of(Scramble.identity(64), r.layout().cellOf(), 8, r.dependence().varying());
        assertEquals(60, m.varying());
        assertEquals(4, m.constant());
        assertEquals(1.0, m.neighbours4());
    }

    @Test
    void constantImagesAreRefusedWithOneMessage() {
        INDArray images = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 100, 28, 28, 1).addi(0.3);
        GlassboxException e = assertThrows(GlassboxException.class,
                () -> TopologyRecovery.recover(images, "blank", 1, Progress.silent()));
        assertEquals("blank: only 0 of 784 pixels vary across the 100 training images (standard deviation above 0.02); "
                + "at least 9 must vary to recover a layout (constant images carry no information about which pixels "
                + "are neighbours)", e.getMessage());
    }

    /** Whether {@code a} equals {@code b} rotated and/or flipped (square or not), up to float rounding. */
    static boolean equalUpToSymmetry(INDArray a, INDArray b) {
        int h = (int) b.size(1);
        int w = (int) b.size(2);
        float[] x = a.dup('c').data().asFloat();
        float[] y = b.dup('c').data().asFloat();
        int n = (int) b.size(0);
        for (int t = 0; t < 8; t++) {
            boolean same = true;
            for (int k = 0; k < n && same; k++) {
                for (int r = 0; r < h && same; r++) {
                    for (int c = 0; c < w && same; c++) {
                        int[] rc = transform(t, r, c, h, w);
                        if (rc == null) {
                            same = false;
                            break;
                        }
                        same = Math.abs(x[k * h * w + rc[0] * w + rc[1]] - y[k * h * w + r * w + c]) < 1e-6;
                    }
                }
            }
            if (same) return true;
        }
        return false;
    }

    private static int[] transform(int t, int r, int c, int h, int w) {
        int rr = (t & 1) != 0 ? h - 1 - r : r;
        int cc = (t & 2) != 0 ? w - 1 - c : c;
        if ((t & 4) != 0) {
            if (h != w) return null;
            int s = rr;
            rr = cc;
            cc = s;
        }
        return new int[] {rr, cc};
    }
}
