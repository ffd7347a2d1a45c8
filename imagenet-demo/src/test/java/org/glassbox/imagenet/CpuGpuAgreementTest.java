package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.model.Npy;
import org.glassbox.framework.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code -P cuda} on a host with a supported NVIDIA GPU: the same fit on the GPU (this JVM)
 * and on the CPU (a child JVM told to prefer the CPU backend by {@code BACKEND_PRIORITY_CPU=100
 * BACKEND_PRIORITY_GPU=0}) agree within float tolerance. Reported as skipped, with the reason,
 * where ND4J's CUDA backend is not active or the GPU is one the ND4J build has no code for.
 */
class CpuGpuAgreementTest {
    @TempDir
    Path root;

    /**
     * The fit compared: the mean and covariance of the RGB position vectors (the whitening
     * statistics) of a folder's images, decoded with a seeded random crop, computed by ND4J products.
     */
    static double[] fit(Path data) {
        SkipLog quiet = new SkipLog(s -> { });
        ImageStream stream = ImageStream.open(ClassFolderTree.read(data, quiet), new Preprocess(36, 32, 32,
                Preprocess.Crop.RANDOM), StreamOptions.of(2, 11), quiet, Progress.silent());
        Moments m = Moments.of(stream, 8);
        double[] out = new double[3 + 9];
        System.arraycopy(m.mean(), 0, out, 0, 3);
        System.arraycopy(m.covariance(), 0, out, 3, 9);
        return out;
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
        for (int i = 0; i < 12; i++) {
            final int k = i;
            TestImages.write(data.resolve("c" + (i % 3) + "/img" + i + ".png"), "png", 40 + i, 36 + 2 * i,
                    (x, y) -> (x * 5 + k * 19) % 256 << 16 | (y * 7 + x) % 256 << 8 | (x * y + k * 3) % 256);
        }
        double[] gpu = fit(data);

        Path cpuFile = root.resolve("cpu.npy");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                MomentsChild.class.getName(), data.toString(), cpuFile.toString()).redirectErrorStream(true);
        pb.environment().put("BACKEND_PRIORITY_CPU", "100");
        pb.environment().put("BACKEND_PRIORITY_GPU", "0");
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the CPU child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("backend CPU"), "the child JVM did not run on the CPU backend: " + output);
        double[] cpu = Npy.read(cpuFile).toDoubleVector();

        for (int i = 0; i < gpu.length; i++) {
            assertEquals(cpu[i], gpu[i], 1e-6 * (1 + Math.abs(cpu[i])), "value " + i);
        }
    }
}
