package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

class CudaDeviceCheckTest {
    /** Environment information as ND4J's CUDA executioner reports it, for GPUs given as name, major, minor. */
    private static Properties cuda(Object... gpus) {
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int i = 0; i < gpus.length; i += 3) {
            Map<String, Object> d = new HashMap<>();
            d.put("cuda.deviceName", gpus[i]);
            d.put("cuda.deviceMajor", ((Integer) gpus[i + 1]).longValue());
            d.put("cuda.deviceMinor", ((Integer) gpus[i + 2]).longValue());
            devices.add(d);
        }
        Properties p = new Properties();
        p.put("backend", "CUDA");
        p.put("cuda.devicesInformation", devices);
        return p;
    }

    @Test
    void cpuBackendIsNeverRefused() {
        Properties cpu = new Properties();
        cpu.put("backend", "CPU");
        assertFalse(CudaDeviceCheck.isCuda(cpu));
        assertDoesNotThrow(() -> CudaDeviceCheck.check(cpu, CudaDeviceCheck.RELEASED_TARGETS));
    }

    @Test
    void releasedBuildRunsFromKeplerK80ToAda() {
        for (int[] cc : new int[][] {{3, 7}, {5, 0}, {5, 3}, {6, 1}, {6, 2}, {7, 0}, {7, 2}, {7, 5}, {8, 0}, {8, 6}, {8, 7}, {8, 9}}) {
            assertTrue(CudaDeviceCheck.runs(cc[0], cc[1], CudaDeviceCheck.RELEASED_TARGETS), cc[0] + "." + cc[1]);
        }
        for (int[] cc : new int[][] {{3, 0}, {3, 5}, {9, 0}, {10, 0}, {12, 0}}) {
            assertFalse(CudaDeviceCheck.runs(cc[0], cc[1], CudaDeviceCheck.RELEASED_TARGETS), cc[0] + "." + cc[1]);
        }
        assertDoesNotThrow(() -> CudaDeviceCheck.check(cuda("NVIDIA GeForce RTX 4090", 8, 9, "NVIDIA A100-SXM4-80GB", 8, 0),
                CudaDeviceCheck.RELEASED_TARGETS));
    }

    @Test
    void hopperIsRefusedNamingTheGpuAndTheTargets() {
        GlassboxException e = assertThrows(GlassboxException.class, () -> CudaDeviceCheck.check(
                cuda("NVIDIA A100-SXM4-80GB", 8, 0, "NVIDIA H200", 9, 0), CudaDeviceCheck.RELEASED_TARGETS));
        assertEquals("GPU 1 (NVIDIA H200) has compute capability 9.0, which the ND4J CUDA build on the class path has no "
                + "code for: it was built for compute capabilities 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6 (and runs on "
                + "X.z for a target X.y with z >= y). Run on the CPU backend (build without -P cuda, or set "
                + "BACKEND_PRIORITY_CPU=100 BACKEND_PRIORITY_GPU=0), or build ND4J's native library for this GPU as "
                + "docs/imagenet.md describes.", e.getMessage());
    }

    @Test
    void selfBuiltTargetsAreParsedAndUsed() {
        List<int[]> hopper = CudaDeviceCheck.parseTargets("8.6, 9.0");
        assertEquals("8.6, 9.0", CudaDeviceCheck.format(hopper));
        assertDoesNotThrow(() -> CudaDeviceCheck.check(cuda("NVIDIA H100 80GB HBM3", 9, 0), hopper));
        assertEquals("invalid glassbox.cuda.targets = 90: expected compute capabilities such as 8.6,9.0",
                assertThrows(GlassboxException.class, () -> CudaDeviceCheck.parseTargets("90")).getMessage());
    }
}
