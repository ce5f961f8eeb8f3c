package dev.gantry.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN §9, checked on the compiled main classes: dependencies point one way, nothing
 * but the CLI depends on the SDK, the service never on endpoint code, the worker (which starts on compute
 * nodes with a tiny classpath) on the protocol alone.
 */
class ModuleRulesTest {
    static JavaClasses main;

    @BeforeAll
    static void load() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gantry");
    }

    @Test
    void theProtocolDependsOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.gantry.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.gantry.client..",
                        "dev.gantry.broker..",
                        "dev.gantry.service..",
                        "dev.gantry.worker..",
                        "dev.gantry.engines..",
                        "dev.gantry.endpoint..",
                        "dev.gantry.sdk..",
                        "dev.gantry.cli..",
                        "dev.gantry.bench..")
                .check(main);
    }

    @Test
    void nothingButTheCliAndTheBenchmarksDependsOnTheSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.gantry.sdk..", "dev.gantry.cli..", "dev.gantry.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.gantry.sdk..")
                .check(main);
    }

    @Test
    void theServiceNeverDependsOnEndpointCode() {
        noClasses()
                .that()
                .resideInAPackage("dev.gantry.service..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.gantry.endpoint..",
                        "dev.gantry.engines..",
                        "dev.gantry.worker..",
                        "dev.gantry.client..",
                        "dev.gantry.cli..")
                .check(main);
    }

    @Test
    void theWorkerDependsOnTheProtocolAlone() {
        noClasses()
                .that()
                .resideInAPackage("dev.gantry.worker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.gantry.client..",
                        "dev.gantry.broker..",
                        "dev.gantry.service..",
                        "dev.gantry.engines..",
                        "dev.gantry.endpoint..",
                        "dev.gantry.cli..")
                .check(main);
    }

    @Test
    void enginesAndEndpointsKnowNothingOfTheServiceOrTheCli() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.gantry.engines..", "dev.gantry.endpoint..", "dev.gantry.broker..", "dev.gantry.client..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.gantry.service..", "dev.gantry.cli..")
                .check(main);
        noClasses()
                .that()
                .resideInAPackage("dev.gantry.engines..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.gantry.endpoint..")
                .check(main);
    }
}
