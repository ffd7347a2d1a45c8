package org.glassbox.imagenet;

import java.nio.file.Path;
import org.glassbox.framework.model.Npy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A separate JVM for {@link CpuGpuAgreementTest}: computes {@link CpuGpuAgreementTest#fit} of a
 * folder on whatever ND4J backend this JVM loaded, writes the result as .npy, and prints the backend
 * ({@code backend CPU} or {@code backend CUDA}).
 */
public final class MomentsChild {
    private MomentsChild() {
    }

    public static void main(String[] args) throws Exception {
        double[] result = CpuGpuAgreementTest.fit(Path.of(args[0]));
        Npy.write(Nd4j.createFromArray(result), Path.of(args[1]));
        System.out.println("backend " + Nd4j.getExecutioner().getEnvironmentInformation().get("backend"));
    }
}
