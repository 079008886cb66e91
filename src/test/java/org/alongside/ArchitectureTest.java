package org.alongside;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.alongside.interaction.WriteCheck;
import org.alongside.interaction.WriteChecks;
import org.alongside.platform.WriteCheckOrder;
import org.alongside.security.CallerRecordAccess;
import org.alongside.store.RecordAccess;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;

/**
 * The packages of {@code org.alongside} and what each may use, checked on the compiled classes with no server.
 * {@link #MAY_USE} is the dependency table of docs/architecture.md ("Packages and their dependencies"): the two are
 * compared here, so a change to either that is not made to the other fails the build. The table says what the code
 * does, no more: a dependency that is added must be added to a row, and one that disappears must leave its row.
 */
@AnalyzeClasses(packages = "org.alongside", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "org.alongside";

    /**
     * Each package (relative to {@code org.alongside}) and the other Alongside packages its classes may use. A
     * package's sub-packages belong to it unless they have a row of their own ({@code sync.export} and
     * {@code sync.subscription} have; {@code persistence.index} and {@code persistence.audit} are part of
     * {@code persistence}).
     */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            uses("fhir", "interaction", "security", "audit", "mentorship", "billing", "report", "sync", "sync.export",
                    "sync.subscription", "conformance", "patch", "search", "store", "config", "health"),
            uses("interaction", "store", "search", "index", "config"),
            uses("mentorship", "interaction", "conformance", "store", "search", "config"),
            uses("billing", "interaction", "security", "mentorship", "search", "config"),
            uses("sync", "interaction", "patch", "store", "search", "config"),
            uses("sync.export", "store", "search", "index", "config"),
            uses("sync.subscription", "interaction", "security", "store", "search", "config", "outbound"),
            uses("security", "interaction", "store", "search", "index", "outbound", "supervision"),
            uses("supervision", "interaction"),
            uses("report", "interaction", "security", "mentorship", "supervision", "billing", "search"),
            uses("audit", "interaction", "security", "store"),
            uses("conformance", "interaction"),
            uses("persistence", "store", "audit", "sync.export", "sync.subscription", "cds", "search", "index",
                    "config"),
            uses("store", "search"),
            uses("index", "search"),
            uses("search"),
            uses("patch"),
            uses("config"),
            uses("outbound"),
            uses("health", "persistence", "store"),
            uses("app", "config"),
            uses("cds", "interaction", "mentorship", "security", "search", "outbound", "config"),
            uses("platform", "interaction", "security", "mentorship", "sync.subscription", "conformance", "config",
                    "search", "index", "supervision"));

    /** The one dependency that closes a cycle today (config → conformance → interaction → config); see below. */

    // --- the table ---------------------------------------------------------------------------------------------

    @ArchTest
    static void every_package_uses_only_the_packages_its_row_allows(JavaClasses classes) {
        String violations = new TreeMap<>(MAY_USE).entrySet().stream()
                .map(row -> rowRule(row.getKey(), row.getValue()).evaluate(classes))
                .filter(EvaluationResult::hasViolation)
                .map(result -> result.getFailureReport().toString())
                .collect(Collectors.joining("\n"));
        if (!violations.isEmpty()) {
            throw new AssertionError("A package uses a package that its row in the dependency table does not list "
                    + "(add it to ArchitectureTest.MAY_USE and docs/architecture.md only if the design wants it):\n"
                    + violations);
        }
    }

    @ArchTest
    static final ArchRule every_package_has_a_row_in_the_table = classes()
            .should().resideInAnyPackage(MAY_USE.keySet().stream().map(ArchitectureTest::packageOf)
                    .toArray(String[]::new))
            .as("every class is in a package that has a row in the dependency table")
            .because("a new package gets a row in ArchitectureTest.MAY_USE and in docs/architecture.md");

    @ArchTest
    static void every_dependency_the_table_allows_is_one_the_code_has(JavaClasses classes) {
        Map<String, Set<String>> used = usedPackages(classes);
        List<String> unused = new ArrayList<>();
        MAY_USE.forEach((from, allowed) -> allowed.stream()
                .filter(to -> !used.getOrDefault(from, Set.of()).contains(to))
                .forEach(to -> unused.add(from + " → " + to)));
        if (!unused.isEmpty()) {
            throw new AssertionError("The dependency table allows what no class uses any more; remove it from "
                    + "ArchitectureTest.MAY_USE and docs/architecture.md: " + new TreeSet<>(unused));
        }
    }

    @ArchTest
    static void the_table_in_docs_architecture_md_is_this_table(JavaClasses classes) {
        Map<String, Set<String>> documented =
                documentedTable(Path.of(System.getProperty("basedir", "."), "docs", "architecture.md"));
        Set<String> rows = new TreeSet<>(documented.keySet());
        rows.addAll(MAY_USE.keySet());
        String differences = rows.stream()
                .filter(row -> !Objects.equals(documented.get(row), MAY_USE.get(row)))
                .map(row -> "\n  " + row + ": documented " + documented.get(row) + ", pinned "
                        + (MAY_USE.containsKey(row) ? new TreeSet<>(MAY_USE.get(row)) : null))
                .collect(Collectors.joining());
        if (!differences.isEmpty()) {
            throw new AssertionError("docs/architecture.md's dependency table differs from ArchitectureTest.MAY_USE:"
                    + differences);
        }
    }

    // --- cycles ------------------------------------------------------------------------------------------------

    @ArchTest
    static final ArchRule top_level_packages_are_free_of_cycles = slices()
            .matching(ROOT + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule packages_are_free_of_cycles_sub_packages_included = slices()
            .matching(ROOT + ".(**)").should().beFreeOfCycles();

    // --- rules of the design -----------------------------------------------------------------------------------

    @ArchTest
    static final ArchRule the_store_is_called_only_by_interaction_persistence_security_mentorship_and_subscriptions =
            noClasses().that().resideOutsideOfPackages(packages("interaction", "persistence", "security",
                            "mentorship", "sync.subscription", "store"))
                    .should().dependOnClassesThat().areAssignableTo(ResourceStore.class)
                    .orShould().dependOnClassesThat().areAssignableTo(StoreQueries.class)
                    .as("only interaction, persistence, security, mentorship and sync.subscription call the "
                            + "ResourceStore")
                    .because("every caller's read and write passes the InteractionPipeline; the others are its "
                            + "implementation, the policy's own reads, rule evaluation and background delivery");

    @ArchTest
    static final ArchRule nothing_in_fhir_depends_on_the_store_record_access_or_persistence = noClasses()
            .that().resideInAPackage(packageOf("fhir"))
            .should().dependOnClassesThat().areAssignableTo(ResourceStore.class)
            .orShould().dependOnClassesThat().areAssignableTo(StoreQueries.class)
            .orShould().dependOnClassesThat().areAssignableTo(RecordAccess.class)
            .orShould().dependOnClassesThat().resideInAPackage(packageOf("persistence"))
            .because("the REST edge reaches records only through the InteractionPipeline");

    @ArchTest
    static final ArchRule bundle_processing_reaches_records_only_through_the_pipeline = noClasses()
            .that().resideInAPackage(packageOf("sync"))
            .should().dependOnClassesThat().areAssignableTo(ResourceStore.class)
            .orShould().dependOnClassesThat().areAssignableTo(StoreQueries.class)
            .orShould().dependOnClassesThat().areAssignableTo(RecordAccess.class)
            .orShould().dependOnClassesThat().resideInAPackage(packageOf("persistence"))
            .because("a batch or transaction entry is the same interaction as its REST request");

    @ArchTest
    static final ArchRule search_and_index_depend_on_no_alongside_package_but_search = classes()
            .that().resideInAnyPackage(packages("search", "index"))
            .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                    .or(resideInAnyPackage(packages("search", "index"))))
            .because("they are pure (no database, no I/O) and unit-tested without a server");

    @ArchTest
    static final ArchRule search_depends_on_no_other_alongside_package = classes()
            .that().resideInAPackage(packageOf("search"))
            .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                    .or(resideInAnyPackage(packageOf("search"))));

    @ArchTest
    static final ArchRule nothing_outside_platform_depends_on_platform = noClasses()
            .that().resideOutsideOfPackage(packageOf("platform"))
            .should().dependOnClassesThat().resideInAPackage(packageOf("platform"))
            .because("platform is the composition root: CDI finds its beans, no class names them");

    @ArchTest
    static final ArchRule record_access_is_used_only_by_the_interaction_pipeline = noClasses()
            .that().resideOutsideOfPackage(packageOf("interaction"))
            .and().doNotHaveFullyQualifiedName(CallerRecordAccess.class.getName())
            .should().dependOnClassesThat().areAssignableTo(RecordAccess.class)
            .as("RecordAccess (and security.CallerRecordAccess, its implementation) is used only by interaction")
            .because("scope, reach, consent, the read filter and the label are asked only by the pipeline");

    @ArchTest
    static final ArchRule only_the_pipeline_runs_write_checks = noClasses()
            .that().resideOutsideOfPackage(packageOf("interaction"))
            .should().callMethodWhere(describe("a write check's check or WriteChecks.apply",
                    (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(WriteCheck.class)
                            && call.getName().equals("check")
                            || call.getTargetOwner().isEquivalentTo(WriteChecks.class)
                            && call.getName().equals("apply")))
            .because("write checks run in the declared order, after the access checks, inside the pipeline");

    @ArchTest
    static final ArchRule every_write_check_is_named_in_the_declared_order = classes()
            .that().implement(WriteCheck.class)
            .should(new ArchCondition<JavaClass>("be named in " + WriteCheckOrder.class.getName()) {
                @Override
                public void check(JavaClass check, ConditionEvents events) {
                    boolean named = check.getDirectDependenciesToSelf().stream()
                            .anyMatch(d -> d.getOriginClass().isEquivalentTo(WriteCheckOrder.class));
                    events.add(new SimpleConditionEvent(check, named, check.getName()
                            + (named ? " is" : " is not") + " named in WriteCheckOrder"));
                }
            })
            .because("a write check missing from the order stops the deployment (WriteChecks)");

    // --- helpers -----------------------------------------------------------------------------------------------

    private static Map.Entry<String, Set<String>> uses(String pkg, String... others) {
        return entry(pkg, Set.of(others));
    }

    private static ArchRule rowRule(String pkg, Set<String> allowed) {
        List<String> mayUse = new ArrayList<>(allowed);
        mayUse.add(pkg);
        return classes().that().resideInAPackage(packageOf(pkg))
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                        .or(resideInAnyPackage(packages(mayUse.toArray(String[]::new)))))
                .as(pkg + " uses no other Alongside package" + (allowed.isEmpty() ? ""
                        : " than " + String.join(", ", new TreeSet<>(allowed))));
    }

    /**
     * The ArchUnit package pattern of a row: the package and its sub-packages, or the package alone when one of its
     * sub-packages has a row of its own.
     */
    static String packageOf(String pkg) {
        boolean hasOwnSubRows = MAY_USE.keySet().stream().anyMatch(other -> other.startsWith(pkg + "."));
        return ROOT + "." + pkg + (hasOwnSubRows ? "" : "..");
    }

    private static String[] packages(String... pkgs) {
        return Arrays.stream(pkgs).map(ArchitectureTest::packageOf).toArray(String[]::new);
    }

    /** The row a class belongs to: the longest row name its package starts with. */
    private static Optional<String> rowOf(JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        String relative = name.substring(ROOT.length() + 1);
        return MAY_USE.keySet().stream().filter(row -> relative.equals(row) || relative.startsWith(row + "."))
                .max(Comparator.comparingInt(String::length));
    }

    /** Which rows the classes of each row use today (the cycle exception included: it is a real dependency). */
    private static Map<String, Set<String>> usedPackages(JavaClasses classes) {
        Map<String, Set<String>> used = new TreeMap<>();
        for (JavaClass c : classes) {
            Optional<String> from = rowOf(c);
            if (from.isEmpty()) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                rowOf(d.getTargetClass()).filter(to -> !to.equals(from.get()))
                        .ifPresent(to -> used.computeIfAbsent(from.get(), k -> new TreeSet<>()).add(to));
            }
        }
        return used;
    }

    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([a-z.]+)`\\s*\\|([^|]*)\\|");
    private static final Pattern NAME = Pattern.compile("`([a-z.]+)`");

    /**
     * The table under the heading "Packages and their dependencies": a row per package, first column the package,
     * second the packages it may use, each in backticks ("nothing" when none).
     */
    private static Map<String, Set<String>> documentedTable(Path doc) {
        List<String> lines;
        try {
            lines = Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf("## Packages and their dependencies");
        if (start < 0) {
            throw new AssertionError(doc + " has no section \"## Packages and their dependencies\"");
        }
        Map<String, Set<String>> table = new TreeMap<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("| Package | May use |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            Matcher row = TABLE_ROW.matcher(line);
            if (inTable && row.find()) {
                Matcher names = NAME.matcher(row.group(2));
                Set<String> uses = new TreeSet<>();
                while (names.find()) {
                    uses.add(names.group(1));
                }
                table.put(row.group(1), uses);
            }
        }
        return table;
    }
}
