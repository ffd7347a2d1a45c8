package org.glassbox.cli;

import org.glassbox.framework.model.Provenance;
import picocli.CommandLine.IVersionProvider;

/** {@code ./glassbox --version}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"glassbox " + Provenance.GLASSBOX_VERSION, "Java " + Runtime.version()};
    }
}
