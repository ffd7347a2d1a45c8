package org.glassbox.bench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The bench's packages and those it measures form no cycle. The programs that measure
 * package-private solvers live in the solvers' packages ({@code org.glassbox.layers.sparse},
 * {@code org.glassbox.layers.manifold}) and share only {@code org.glassbox.bench.common}, which
 * depends on none of them; the command line's package-cycle test does not see this module.
 */
class BenchPackageCycleTest {
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glassbox");

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.glassbox.(**)").should().beFreeOfCycles().check(MAIN_CLASSES);
    }
}
