package org.glassbox.imagenet;

import java.nio.file.Path;
import org.glassbox.framework.model.ModelFile;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A separate JVM for {@link CpuGpuAgreementTest}: fits {@link CpuGpuAgreementTest#fit} on a folder
 * on whatever ND4J backend this JVM loaded, writes the model folder, and prints the backend
 * ({@code backend CPU} or {@code backend CUDA}).
 */
public final class FitChild {
    private FitChild() {
    }

    public static void main(String[] args) {
        ModelFile.write(CpuGpuAgreementTest.fit(Path.of(args[0])), Path.of(args[1]));
        System.out.println("backend " + Nd4j.getExecutioner().getEnvironmentInformation().get("backend"));
    }
}
