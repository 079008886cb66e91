package org.alongside.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConformanceResourcesTest {

    /** The source folder at the project root (surefire runs in the project directory). */
    static final Path SOURCE = Paths.get("fhir-profiles");

    private static FhirContext context;
    private static ConformanceResources resources;

    @BeforeAll
    static void load() {
        context = FhirContext.forR4Cached();
        resources = ConformanceResources.load(context, ConformanceResourcesTest.class.getClassLoader());
    }

    static List<String> filesUnder(String folder) throws IOException {
        Path dir = SOURCE.resolve(folder);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(p -> out.add(SOURCE.relativize(p).toString().replace('\\', '/')));
        }
        return out;
    }

    @Test
    void indexListsExactlyTheFilesOfTheResourceFolders() throws IOException {
        Set<String> onDisk = new TreeSet<>();
        for (String folder : ConformanceResources.RESOURCE_FOLDERS) {
            onDisk.addAll(filesUnder(folder));
        }
        Set<String> indexed = new TreeSet<>(ConformanceResources.readIndex(getClass().getClassLoader()));
        assertThat(onDisk).as("files in fhir-profiles/{StructureDefinition,CodeSystem,ValueSet,SearchParameter}")
                .isNotEmpty();
        assertThat(indexed).as("fhir-profiles/index.json \"resources\" (add new files there)")
                .containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(resources.paths()).hasSize(onDisk.size());
    }

    @Test
    void indexListsEveryExample() throws IOException {
        var examples = ConformanceResources.readIndexDocument(getClass().getClassLoader()).get("examples");
        for (String kind : List.of("valid", "invalid")) {
            Set<String> indexed = new TreeSet<>();
            examples.get(kind).forEach(n -> indexed.add(n.asText()));
            Set<String> onDisk = new TreeSet<>(filesUnder("examples/" + kind));
            onDisk.remove("examples/invalid/expected-errors.json");
            assertThat(indexed).as("index.json examples." + kind).containsExactlyInAnyOrderElementsOf(onDisk);
        }
    }

    @Test
    void everyFileParsesStrictly() throws IOException {
        IParser strict = context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<String> all = new ArrayList<>();
        for (String folder : ConformanceResources.RESOURCE_FOLDERS) {
            all.addAll(filesUnder(folder));
        }
        all.addAll(filesUnder("examples/valid"));
        all.addAll(filesUnder("examples/invalid"));
        all.remove("examples/invalid/expected-errors.json");
        for (String file : all) {
            String json = Files.readString(SOURCE.resolve(file), StandardCharsets.UTF_8);
            IBaseResource parsed = strict.parseResource(json);
            assertThat(parsed.getIdElement().getIdPart()).as(file + " has an id").isNotBlank();
        }
    }

    @Test
    void everyResourceHasTheCommonMetadata() {
        assertThat(resources.all()).isNotEmpty();
        for (IBaseResource resource : resources.all()) {
            MetadataResource md = (MetadataResource) resource;
            String id = md.getIdElement().getIdPart();
            String where = md.fhirType() + "/" + id;
            assertThat(md.getUrl()).as(where + " url").isEqualTo(resources.canonicalBase() + "/" + where);
            assertThat(md.getVersion()).as(where + " version").isEqualTo("0.1.0");
            assertThat(md.getStatus()).as(where + " status").isIn(PublicationStatus.ACTIVE, PublicationStatus.DRAFT);
            assertThat(md.getPublisher()).as(where + " publisher").isEqualTo("Alongside");
            assertThat(md.getDescription()).as(where + " description").isNotBlank();
            assertThat(md.getName()).as(where + " name").matches("[A-Z][A-Za-z0-9]*");
            assertThat(resources.findByTypeAndId(md.fhirType(), id)).containsSame(resource);
            assertThat(resources.findByUrl(md.getUrl() + "|0.1.0")).containsSame(resource);
        }
    }

    @Test
    void structureDefinitionsAreDifferentialConstraintsOnBaseR4() {
        assertThat(resources.profiles()).extracting(sd -> sd.getIdElement().getIdPart()).containsExactlyInAnyOrder(
                "peer-specialist-role", "peer-mentor-referral", "peer-mentor-task", "peer-support-team",
                "peer-support-session", "peer-session-note", "encouragement-log", "recovery-goal", "engagement-alert",
                "recovery-capital-response", "recovery-capital-score",
                "session-cosignature", "supervision-session", "next-contact");
        for (StructureDefinition sd : resources.structureDefinitions()) {
            assertThat(sd.hasSnapshot()).as(sd.getId() + " ships without a snapshot").isFalse();
            assertThat(sd.getDifferential().getElement()).as(sd.getId() + " differential").isNotEmpty();
            assertThat(sd.getDerivation()).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
            assertThat(sd.getBaseDefinition()).isEqualTo("http://hl7.org/fhir/StructureDefinition/" + sd.getType());
            assertThat(sd.getFhirVersion().toCode()).isEqualTo("4.0.1");
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                assertThat(ConformanceResources.appliesWhen(sd)).as(sd.getId() + " applies-when").isPresent();
            } else {
                assertThat(sd.getType()).isEqualTo("Extension");
                assertThat(sd.getContext()).as(sd.getId() + " context").isNotEmpty();
            }
        }
        assertThat(resources.findByTypeAndId("StructureDefinition", "applies-when")).isPresent();
    }

    @Test
    void appliesWhenExpressionsParse() throws Exception {
        var fhirPath = context.newFhirPath();
        for (StructureDefinition profile : resources.profiles()) {
            fhirPath.parse(ConformanceResources.appliesWhen(profile).orElseThrow());
        }
    }

    @Test
    void codeSystemsAreCompleteAndEachHasItsValueSet() {
        assertThat(resources.codeSystems()).extracting(cs -> cs.getIdElement().getIdPart()).contains(
                "focus-area", "message-category", "session-modality", "goal-category", "care-team-category",
                "care-team-role", "end-reason");
        for (CodeSystem cs : resources.codeSystems()) {
            assertThat(cs.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
            assertThat(cs.getCaseSensitive()).isTrue();
            assertThat(cs.getConcept()).isNotEmpty();
            assertThat(cs.getCount()).isEqualTo(cs.getConcept().size());
            for (CodeSystem.ConceptDefinitionComponent concept : cs.getConcept()) {
                assertThat(concept.getDisplay()).as(cs.getId() + "#" + concept.getCode()).isNotBlank();
                assertThat(concept.getDefinition()).as(cs.getId() + "#" + concept.getCode()).isNotBlank();
            }
            ValueSet vs = (ValueSet) resources.findByTypeAndId("ValueSet", cs.getIdElement().getIdPart()).orElseThrow();
            assertThat(vs.getCompose().getInclude()).anyMatch(i -> cs.getUrl().equals(i.getSystem()));
            assertThat(cs.getValueSet()).isEqualTo(vs.getUrl());
        }
        CodeSystem focus = (CodeSystem) resources.findByTypeAndId("CodeSystem", "focus-area").orElseThrow();
        assertThat(focus.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode).contains(
                "cravings", "setback-relapse", "goal-setting", "belonging", "relationships", "creative-outlets",
                "practical-advice", "celebrating-progress", "housing-employment", "wellness-self-care",
                "crisis-support");
    }

    @Test
    void searchParametersAreCompleteAndTheirExpressionsParse() throws Exception {
        var fhirPath = context.newFhirPath();
        assertThat(resources.searchParameters()).extracting(sp -> sp.getIdElement().getIdPart()).contains(
                "Communication-about", "Communication-focus-area", "Procedure-focus-area", "Encounter-modality",
                "Goal-expressed-by");
        for (SearchParameter sp : resources.searchParameters()) {
            assertThat(sp.getCode()).isNotBlank();
            assertThat(sp.getBase()).isNotEmpty();
            assertThat(sp.getType()).isNotNull();
            assertThat(sp.getExpression()).startsWith(sp.getBase().get(0).getCode() + ".");
            fhirPath.parse(sp.getExpression());
        }
    }

    @Test
    void searchParameterExpressionsFindValuesInTheExamples() throws IOException {
        var fhirPath = context.newFhirPath();
        IParser parser = context.newJsonParser();
        List<IBaseResource> examples = new ArrayList<>();
        for (String file : filesUnder("examples/valid")) {
            examples.add(parser.parseResource(Files.readString(SOURCE.resolve(file), StandardCharsets.UTF_8)));
        }
        for (SearchParameter sp : resources.searchParameters()) {
            String base = sp.getBase().get(0).getCode();
            boolean found = false;
            for (IBaseResource example : examples) {
                if (example.fhirType().equals(base)) {
                    found |= !fhirPath.evaluate(example, sp.getExpression(), org.hl7.fhir.instance.model.api.IBase.class)
                            .isEmpty();
                }
            }
            assertThat(found).as(sp.getUrl() + " finds a value in some valid " + base + " example").isTrue();
        }
    }
}
