package org.glassbox.mnist.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ArchitecturesTest {
    /** C1 156 + C3 2,416 + F5 400 * 120 + 120 + F6 120 * 84 + 84 + out 84 * 10 + 10 (see {@link Architectures#lenet5}). */
    @Test
    void lenet5HasTheClassicParameterCount() {
        MultiLayerNetwork net = init(Architectures.lenet5(new MapShape(28, 28, 1), 10, 1, 1e-3));
        assertEquals(156 + 2_416 + 48_120 + 10_164 + 850, net.numParams());
        assertArrayEquals(new long[] {6, 1, 5, 5}, net.getLayer(0).getParam("W").shape());
        assertArrayEquals(new long[] {16, 6, 5, 5}, net.getLayer(2).getParam("W").shape());
        assertArrayEquals(new long[] {400, 120}, net.getLayer(4).getParam("W").shape());
        assertArrayEquals(new long[] {3, 10}, net.output(Nd4j.zeros(DataType.FLOAT, 3, 784)).shape());
    }

    /**
     * 32 x 32 x 3 images: C1 6 * (5*5*3 + 1) = 456, C3 2,416, S4 gives 16 x 6 x 6 = 576 inputs to F5:
     * 120 * 577 = 69,240, F6 10,164, out 850.
     */
    @Test
    void lenet5AdaptsToColourImagesOfAnotherSize() {
        MultiLayerNetwork net = init(Architectures.lenet5(new MapShape(32, 32, 3), 10, 1, 1e-3));
        assertEquals(456 + 2_416 + 69_240 + 10_164 + 850, net.numParams());
    }

    @Test
    void mlpHasTheHandCountedParameters() {
        MultiLayerNetwork net = init(Architectures.mlp(new MapShape(28, 28, 1), 10, 1, 1e-3));
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, net.numParams());
    }

    @Test
    void theSameSeedGivesTheSameInitialWeights() {
        MapShape shape = new MapShape(28, 28, 1);
        assertEquals(init(Architectures.lenet5(shape, 10, 5, 1e-3)).params(),
                init(Architectures.lenet5(shape, 10, 5, 1e-3)).params());
    }

    @Test
    void lenet5RejectsTinyImages() {
        assertEquals("LeNet-5 needs images of at least 12 x 12 pixels but got 11 x 28",
                assertThrows(GlassboxException.class,
                        () -> Architectures.lenet5(new MapShape(11, 28, 1), 10, 1, 1e-3)).getMessage());
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
