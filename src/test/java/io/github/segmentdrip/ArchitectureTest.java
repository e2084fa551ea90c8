package io.github.segmentdrip;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The service's packages by concern, and which may use which. A package is a concern (the Segment
 * intake, the mapping, delivery to Drip, the outbox…); the arrows below are the only imports allowed
 * between them, so the build fails on a cycle or on an import against the direction:
 *
 * <pre>
 * config ──► everything (thin Quarkus wiring)
 * admin ──► operate, drip, outbox, http        operate ──► segment, drip, reverse, outbox
 * segment ──► mapping, ecommerce, outbox, http reverse ──► mapping, outbox, http
 * drip ──► mapping, ecommerce, outbox          ecommerce ──► mapping
 * mapping, outbox, http ──► nothing of the service's own
 * </pre>
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.segmentdrip";

    /** Each package and the service packages it may import; a package not listed here may not exist. */
    private static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

    static {
        // Pure Segment → Drip records and what a Segment message is: what the drip-sink Kamelet depends on.
        ALLOWED.put("mapping", List.of());
        // Storage only: transactions, the leased queues of both outboxes, dead letters, the group commit.
        ALLOWED.put("outbox", List.of());
        // What every HTTP door shares: a refused request and its JSON answer.
        ALLOWED.put("http", List.of());
        ALLOWED.put("ecommerce", List.of("mapping"));
        ALLOWED.put("segment", List.of("mapping", "ecommerce", "outbox", "http"));
        // The drip-sink Kamelet's requests use the e-commerce transformers too.
        ALLOWED.put("drip", List.of("mapping", "ecommerce", "outbox"));
        ALLOWED.put("reverse", List.of("mapping", "outbox", "http"));
        ALLOWED.put("operate", List.of("segment", "drip", "reverse", "outbox"));
        ALLOWED.put("admin", List.of("operate", "drip", "outbox", "http"));
        ALLOWED.put("config", List.of("mapping", "outbox", "http", "ecommerce", "segment", "drip", "reverse",
                "operate", "admin"));
    }

    private static JavaClasses service;

    @BeforeAll
    static void importTheServiceClasses() {
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(service);
    }

    @Test
    void packagesImportOnlyInTheAllowedDirections() {
        List<String> known = new ArrayList<>();
        ALLOWED.keySet().forEach(name -> known.add(ROOT + "." + name + ".."));
        List<ArchRule> rules = new ArrayList<>();
        rules.add(classes().should().resideInAnyPackage(known.toArray(String[]::new))
                .because("every package of the service has its place in ALLOWED"));
        for (Map.Entry<String, List<String>> entry : ALLOWED.entrySet()) {
            List<String> allowed = new ArrayList<>();
            allowed.add(ROOT + "." + entry.getKey() + "..");
            entry.getValue().forEach(name -> allowed.add(ROOT + "." + name + ".."));
            List<String> forbidden = new ArrayList<>(known);
            forbidden.removeAll(allowed);
            if (!forbidden.isEmpty()) {
                rules.add(noClasses().that().resideInAPackage(ROOT + "." + entry.getKey() + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                        .because(entry.getKey() + " may import only " + entry.getValue())
                        // A package may be empty while code moves.
                        .allowEmptyShould(true));
            }
        }
        // One report listing every violation, not only the first package's.
        CompositeArchRule.of(rules).check(service);
    }

    @Test
    void theMappingIsPureJava() {
        noClasses().that().resideInAnyPackage(ROOT + ".mapping..", ROOT + ".ecommerce..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "java.sql..", "javax.sql..")
                .because("the mapping is plain Segment → Drip records, used by the Kamelet without a database")
                .check(service);
    }

    @Test
    void onlyConfigKnowsQuarkus() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..",
                        "org.eclipse.microprofile..", "io.vertx..")
                .because("the beans the routes call are plain Java, so the same routes run on Camel Main")
                .check(service);
    }
}
