package org.glassbox.framework.array;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stage's pass over a batch one sample at a time in plain Java: each sample of a float32 batch
 * in ND4J's native memory is copied into a Java array, turned into its output there, and the
 * output copied into a new native batch, the samples in chunks of consecutive samples on the
 * common fork-join pool ({@link RowChunks}), each chunk with its own arrays.
 */
public final class SampleMaps {
    private SampleMaps() {
    }

    /** What a stage computes for one sample. */
    @FunctionalInterface
    public interface Step {
        /** Writes the output of {@code sample} (C order) into {@code result} (C order, every entry). */
        void apply(float[] sample, float[] result);
    }

    /**
     * A new C-ordered batch {@code [n, output]} whose sample s is {@code step} applied to sample s of
     * {@code input} {@code [n, ...]}; {@code chunk} samples per task. Does not modify {@code input}.
     */
    public static INDArray map(INDArray input, MapShape output, int chunk, Step step) {
        long n = input.size(0);
        if (n == 0) return Nd4j.create(DataType.FLOAT, output.batchShape(0));
        INDArray src = FloatArrays.contiguous(input);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, output.batchShape(n), 'c');
        int inSize = Math.toIntExact(src.length() / n);
        int outSize = Math.toIntExact(output.size());
        RowChunks.forEach(Math.toIntExact(n), chunk, (first, last) -> {
            float[] sample = new float[inSize];
            float[] result = new float[outSize];
            FloatPointer in = new FloatPointer(src.data().addressPointer());
            FloatPointer dst = new FloatPointer(out.data().addressPointer());
            for (long s = first; s < last; s++) {
                in.position(s * inSize).get(sample, 0, inSize);
                step.apply(sample, result);
                dst.position(s * outSize).put(result, 0, outSize);
            }
        });
        OffHeap.free(src, input);
        return out;
    }
}
