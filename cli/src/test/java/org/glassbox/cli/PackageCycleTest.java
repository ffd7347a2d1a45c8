package org.glassbox.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No two packages of Glassbox depend on each other, directly or through others: every package of
 * every module (the command line sees them all) is one slice, and the slices form no cycle.
 */
class PackageCycleTest {
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.glassbox");

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.glassbox.(**)").should().beFreeOfCycles().check(MAIN_CLASSES);
    }
}
