package org.glassbox.imagenet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.glassbox.framework.error.GlassboxException;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Refuses to start on a GPU that the ND4J CUDA backend in use has no code for, with a message
 * that names the GPU, instead of failing later inside a kernel launch.
 *
 * <p>The released {@code nd4j-cuda-11.6:1.0.0-M2.1} carries GPU machine code (SASS) for compute
 * capabilities 3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6, and no PTX that the driver could
 * compile for a newer GPU (docs/imagenet.md, section 4). Machine code built for compute capability X.y
 * runs on devices of capability X.z with z &gt;= y and on no other major version (CUDA C++
 * Programming Guide, "Binary Compatibility"), so the build runs on capabilities 3.7; 5.0 to 5.3;
 * 6.0 to 6.2; 7.0 to 7.5; 8.0 to 8.9 (Kepler K80, Maxwell, Pascal, Volta, Turing, Ampere, Ada)
 * and not on Hopper (9.0: H100, H200) or Blackwell (10.0, 12.0). docs/imagenet.md gives the
 * build of ND4J's native library for 9.0.
 *
 * <p>A build of ND4J's native library for other GPUs (docs/imagenet.md) states its targets with
 * the system property {@value #TARGETS_PROPERTY}, for example {@code -Dglassbox.cuda.targets=9.0}.
 * On the CPU backend the check does nothing.
 */
public final class CudaDeviceCheck {
    /** The compute capabilities the released ND4J 1.0.0-M2.1 CUDA build has machine code for, as {major, minor}. */
    public static final List<int[]> RELEASED_TARGETS = List.of(new int[] {3, 7}, new int[] {5, 0}, new int[] {5, 2},
            new int[] {6, 0}, new int[] {6, 1}, new int[] {7, 0}, new int[] {7, 5}, new int[] {8, 0}, new int[] {8, 6});

    /** The system property that names the compute capabilities of a self-built ND4J CUDA library, {@code "8.6,9.0"}. */
    public static final String TARGETS_PROPERTY = "glassbox.cuda.targets";

    private CudaDeviceCheck() {
    }

    /** The targets of the ND4J CUDA build: {@value #TARGETS_PROPERTY} if set, else {@link #RELEASED_TARGETS}. */
    public static List<int[]> targets() {
        String property = System.getProperty(TARGETS_PROPERTY);
        return property == null ? RELEASED_TARGETS : parseTargets(property);
    }

    /** Parses {@code "8.6,9.0"} into {major, minor} pairs. */
    static List<int[]> parseTargets(String text) {
        List<int[]> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (!p.matches("[0-9]{1,2}\\.[0-9]")) {
                throw new org.glassbox.framework.error.InvalidParameterException(TARGETS_PROPERTY, text,
                        "compute capabilities such as 8.6,9.0");
            }
            int dot = p.indexOf('.');
            out.add(new int[] {Integer.parseInt(p.substring(0, dot)), Integer.parseInt(p.substring(dot + 1))});
        }
        return out;
    }

    /** Whether ND4J runs on its CUDA backend in this JVM. */
    public static boolean cudaActive() {
        return isCuda(Nd4j.getExecutioner().getEnvironmentInformation());
    }

    /**
     * Checks every GPU the ND4J backend in use sees, at start-up.
     *
     * @throws GlassboxException naming the first GPU the backend has no code for
     */
    public static void requireSupportedDevice() {
        check(Nd4j.getExecutioner().getEnvironmentInformation(), targets());
    }

    /** One GPU as ND4J reports it. */
    public record Gpu(int index, String name, int major, int minor) {
        /** The compute capability as text, {@code "8.6"}. */
        public String capability() {
            return major + "." + minor;
        }
    }

    static boolean isCuda(Properties env) {
        return "CUDA".equals(String.valueOf(env.get(Nd4jEnvironment.BACKEND_KEY)));
    }

    /** The GPUs in ND4J's environment information (empty on the CPU backend). */
    @SuppressWarnings("unchecked")
    static List<Gpu> gpus(Properties env) {
        List<Gpu> out = new ArrayList<>();
        if (!isCuda(env)) return out;
        Object list = env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        if (!(list instanceof List<?> devices)) return out;
        for (int i = 0; i < devices.size(); i++) {
            Map<String, Object> d = (Map<String, Object>) devices.get(i);
            out.add(new Gpu(i, String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)),
                    ((Number) d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY)).intValue(),
                    ((Number) d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY)).intValue()));
        }
        return out;
    }

    /** Whether code built for the {major, minor} {@code targets} runs on a device of capability major.minor. */
    static boolean runs(int major, int minor, List<int[]> targets) {
        for (int[] t : targets) {
            if (t[0] == major && t[1] <= minor) return true;
        }
        return false;
    }

    /** The check of {@link #requireSupportedDevice} on given environment information and targets. */
    static void check(Properties env, List<int[]> targets) {
        for (Gpu gpu : gpus(env)) {
            if (!runs(gpu.major(), gpu.minor(), targets)) {
                throw new GlassboxException("GPU " + gpu.index() + " (" + gpu.name() + ") has compute capability "
                        + gpu.capability() + ", which the ND4J CUDA build on the class path has no code for: it was "
                        + "built for compute capabilities " + format(targets) + " (and runs on X.z for a target X.y "
                        + "with z >= y). Run on the CPU backend (build without -P cuda, or set BACKEND_PRIORITY_CPU=100 "
                        + "BACKEND_PRIORITY_GPU=0), or build ND4J's native library for this GPU as docs/imagenet.md "
                        + "describes.");
            }
        }
    }

    static String format(List<int[]> targets) {
        StringBuilder sb = new StringBuilder();
        for (int[] t : targets) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(t[0]).append('.').append(t[1]);
        }
        return sb.toString();
    }
}
