package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.FitContext;
import org.glassbox.framework.layer.Layer;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.model.ModelFile;
import org.glassbox.framework.model.Provenance;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Under {@code -P cuda} on a host with a supported NVIDIA GPU: the same fit of a small convolutional
 * stack ({@link SmallStack}: patches, whitening, two sparse-coding layers with dictionary learning,
 * pooling) on the GPU (this JVM) and on the CPU (a child JVM told to prefer the CPU backend by
 * {@code BACKEND_PRIORITY_CPU=100 BACKEND_PRIORITY_GPU=0}) agree within float tolerance: every
 * learned array, and the stack's output on the training images. Reported as skipped, with the
 * reason, where ND4J's CUDA backend is not active or the GPU is one the ND4J build has no code for.
 *
 * <p>Tolerance: 1e-3 relative to each array's largest magnitude. Both backends compute in float32
 * but sum products in different orders (cuBLAS against OpenBLAS), about 1e-6 relative per product;
 * FISTA's iterations and the dictionary updates carry such differences forward, so a bound near
 * float32 rounding would be too tight, and a real divergence (a different atom, a wrong kernel) moves
 * values by far more than 1e-3.
 */
class CpuGpuAgreementTest {
    static final double TOLERANCE = 1e-3;

    @TempDir
    Path root;

    /** The fit compared: {@link SmallStack}'s stages on a generated class tree, seed 11. */
    static Model fit(Path data) {
        SkipLog quiet = new SkipLog(s -> { });
        ImageStream stream = ImageStream.open(ClassFolderTree.read(data, quiet), new Preprocess(22, 20, 20,
                Preprocess.Crop.RANDOM), StreamOptions.of(2, 11), quiet, Progress.silent());
        Pipeline pipeline = Pipeline.fit(stream, SmallStack.of(3).stages(), new FitContext(11, Progress.silent()));
        return new Model(Provenance.now(11, data.toString(), stream.files().fingerprint(), stream.samples()), pipeline,
                List.of(), Map.of());
    }

    @Test
    void gpuAndCpuFitsAgree() throws IOException, InterruptedException {
        assumeTrue(CudaDeviceCheck.cudaActive(), "ND4J's CUDA backend is not active here (build with -P cuda on a host "
                + "with an NVIDIA GPU and driver)");
        try {
            CudaDeviceCheck.requireSupportedDevice();
        } catch (GlassboxException e) {
            assumeTrue(false, e.getMessage());
        }
        Path data = root.resolve("data");
        TestImages.stripes(data, 3, 8, 7);
        Model gpu = fit(data);

        Path cpuDir = root.resolve("cpu-model");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                FitChild.class.getName(), data.toString(), cpuDir.toString()).redirectErrorStream(true);
        pb.environment().put("BACKEND_PRIORITY_CPU", "100");
        pb.environment().put("BACKEND_PRIORITY_GPU", "0");
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the CPU child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("backend CPU"), "the child JVM did not run on the CPU backend: " + output);
        Model cpu = ModelFile.read(cpuDir);

        List<Layer> g = gpu.pipeline().stages();
        List<Layer> c = cpu.pipeline().stages();
        assertEquals(c.size(), g.size());
        for (int s = 0; s < g.size(); s++) {
            for (Map.Entry<String, INDArray> e : g.get(s).parameters().entrySet()) {
                close(c.get(s).parameters().get(e.getKey()), e.getValue(), g.get(s).id() + " " + e.getKey());
            }
        }
        ImageStream images = ImageStream.open(ClassFolderTree.read(data, new SkipLog(s -> { })), new Preprocess(22, 20, 20,
                Preprocess.Crop.CENTRE), StreamOptions.of(2, 11), new SkipLog(s -> { }), Progress.silent());
        close(cpu.pipeline().transformAll(images), gpu.pipeline().transformAll(images), "the stack's output");
    }

    private static void close(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOLERANCE * Math.max(scale, 1e-12), what + " value " + i);
        }
    }
}
