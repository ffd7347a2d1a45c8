package org.glassbox.mnist.baseline;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The two Deeplearning4j network configurations. Both take flat rows of pixels in channel-major
 * (NCHW) order, {@code [samples, channels * height * width]}, use ReLU hidden units with He
 * initialisation (He et al. 2015), a softmax output with cross-entropy loss, float32, and Adam.
 */
final class Architectures {
    /** LeNet-5's two convolutions need at least this many pixels per side (see {@link #lenet5}). */
    static final int LENET_MIN_SIDE = 12;

    private Architectures() {
    }

    /**
     * LeNet-5 (LeCun, Bottou, Bengio, Haffner 1998, "Gradient-based learning applied to document
     * recognition", Proc. IEEE 86(11):2278-2324) in its classic shapes, with ReLU and max pooling in
     * place of the paper's scaled tanh and trainable sub-sampling. For 28 x 28 x 1 images:
     *
     * <pre>
     *   C1 conv 5x5, 6 maps, padding 2   [6, 28, 28]    6 * (5*5*1 + 1)  =    156
     *   S2 max pool 2x2, stride 2        [6, 14, 14]
     *   C3 conv 5x5, 16 maps             [16, 10, 10]  16 * (5*5*6 + 1)  =  2,416
     *   S4 max pool 2x2, stride 2        [16, 5, 5]
     *   F5 dense 120                     [120]        120 * (400 + 1)    = 48,120
     *   F6 dense 84                      [84]          84 * (120 + 1)    = 10,164
     *   out softmax 10                   [10]          10 * (84 + 1)     =    850
     *                                                              total   61,706
     * </pre>
     *
     * C3 is fully connected to S2's maps (the paper's sparse connection table is not used).
     *
     * @throws GlassboxException if the images are smaller than {@value #LENET_MIN_SIDE} pixels on a side
     */
    static MultiLayerConfiguration lenet5(MapShape image, int classes, long seed, double learningRate) {
        if (image.gridH() < LENET_MIN_SIDE || image.gridW() < LENET_MIN_SIDE) {
            throw new GlassboxException("LeNet-5 needs images of at least " + LENET_MIN_SIDE + " x " + LENET_MIN_SIDE
                    + " pixels but got " + image.gridH() + " x " + image.gridW());
        }
        return base(seed, learningRate)
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).padding(2, 2).stride(1, 1)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(output(classes))
                .setInputType(InputType.convolutionalFlat(image.gridH(), image.gridW(), image.channels()))
                .build();
    }

    /**
     * A multilayer perceptron with two hidden layers of 300 and 100 ReLU units, the sizes of LeCun
     * et al. (1998)'s 300-100 network. For 28 x 28 x 1 images:
     * {@code 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10 = 266,610} parameters.
     */
    static MultiLayerConfiguration mlp(MapShape image, int classes, long seed, double learningRate) {
        return base(seed, learningRate)
                .layer(new DenseLayer.Builder().nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(100).activation(Activation.RELU).build())
                .layer(output(classes))
                .setInputType(InputType.feedForward(image.size()))
                .build();
    }

    private static NeuralNetConfiguration.ListBuilder base(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(learningRate))
                .list();
    }

    private static OutputLayer output(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build();
    }
}
