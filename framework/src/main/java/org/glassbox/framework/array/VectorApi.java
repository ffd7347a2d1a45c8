package org.glassbox.framework.array;

/**
 * Whether this JVM has the JDK's vector API ({@code --add-modules jdk.incubator.vector}, which
 * the launcher, the build and the bench JVMs give). Classes that use the API are loaded only when
 * it is present; without it, their plain-Java counterparts compute the same values.
 */
public final class VectorApi {
    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    /** Whether the module {@code jdk.incubator.vector} is in the boot layer. */
    public static boolean present() {
        return PRESENT;
    }
}
