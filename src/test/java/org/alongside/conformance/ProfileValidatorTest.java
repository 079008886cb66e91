package org.alongside.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileValidatorTest {

    private static final String SD = ConformanceResources.CANONICAL_BASE + "/StructureDefinition/";
    private static final Path EXAMPLES = ConformanceResourcesTest.SOURCE.resolve("examples");

    private static FhirContext context;
    private static IParser parser;
    private static ProfileValidator validator;

    @BeforeAll
    static void buildOnce() throws IOException {
        // like the server's context (platform.FhirSetup): strict parsing
        context = FhirContext.forR4();
        context.setParserErrorHandler(new StrictErrorHandler());
        parser = context.newJsonParser();
        long t0 = System.nanoTime();
        validator = ProfileValidator.create(context);
        long t1 = System.nanoTime();
        ValidationResult first = validator.validate(example("valid/peer-support-session-1.json"));
        long t2 = System.nanoTime();
        long warm = validator.warmUp();
        System.out.printf("[timing] ProfileValidator construction (load + snapshots): %d ms%n", (t1 - t0) / 1_000_000);
        System.out.printf("[timing] first validation: %d ms%n", (t2 - t1) / 1_000_000);
        System.out.printf("[timing] warmUp() after it: %d ms%n", warm);
        assertThat(first.isValid()).as(first.describe()).isTrue();
    }

    static Resource example(String relative) throws IOException {
        return (Resource) parser.parseResource(Files.readString(EXAMPLES.resolve(relative), StandardCharsets.UTF_8));
    }

    static Stream<String> validExamples() throws IOException {
        return ConformanceResourcesTest.filesUnder("examples/valid").stream().sorted()
                .map(f -> f.substring("examples/".length()));
    }

    static Stream<String> invalidExamples() throws IOException {
        return ConformanceResourcesTest.filesUnder("examples/invalid").stream().sorted()
                .filter(f -> !f.endsWith("expected-errors.json"))
                .map(f -> f.substring("examples/".length()));
    }

    static JsonNode expectedErrors() throws IOException {
        return new ObjectMapper().readTree(EXAMPLES.resolve("invalid/expected-errors.json").toFile());
    }

    @Test
    void thereIsAValidAndAnInvalidExampleForEveryProfile() throws IOException {
        for (String profile : validator.knownProfiles()) {
            String id = profile.substring(SD.length());
            assertThat(validExamples()).as("valid example of " + id).anyMatch(f -> f.startsWith("valid/" + id + "-"));
            assertThat(invalidExamples()).as("invalid example of " + id)
                    .anyMatch(f -> f.startsWith("invalid/" + id + "-"));
        }
        JsonNode expected = expectedErrors();
        for (String file : invalidExamples().toList()) {
            assertThat(expected.has(file.substring("invalid/".length())))
                    .as("expected-errors.json has an entry for " + file).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExamplesHaveNoErrors(String file) throws IOException {
        Resource resource = example(file);
        assertThat(resource.getMeta().getProfile()).as("declares a profile").isNotEmpty();
        String declared = resource.getMeta().getProfile().get(0).getValue();
        assertThat(file).startsWith("valid/" + declared.substring(SD.length()) + "-");

        ValidationResult result = validator.validate(resource);
        assertThat(result.profiles()).contains(declared);
        assertThat(result.isValid()).as(file + "\n" + result.describe()).isTrue();

        ValidationResult explicit = validator.validate(resource, declared);
        assertThat(explicit.isValid()).as(file + "\n" + explicit.describe()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void appliesWhenRecognisesEveryValidExampleWithoutMetaProfile(String file) throws IOException {
        Resource resource = example(file);
        String declared = resource.getMeta().getProfile().get(0).getValue();
        resource.getMeta().getProfile().clear();
        assertThat(validator.applicableProfiles(resource)).containsExactly(declared);
        ValidationResult result = validator.validate(resource);
        assertThat(result.profiles()).containsExactly(declared);
        assertThat(result.isValid()).as(file + "\n" + result.describe()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExamplesFailWithTheExpectedError(String file) throws IOException {
        String expected = expectedErrors().get(file.substring("invalid/".length())).asText();
        Resource resource = example(file);
        ValidationResult result = validator.validate(resource);
        assertThat(result.isValid()).as(file + " must be invalid\n" + result.describe()).isFalse();
        assertThat(result.errors()).as(file + " errors mention '" + expected + "'\n" + result.describe())
                .anyMatch(m -> contains(m, expected));

        // the role is recognised without meta.profile too, so the same error is found (unless the defect
        // removes what marks the role, e.g. a PractitionerRole without the NUCC peer code)
        resource.getMeta().getProfile().clear();
        if (!validator.applicableProfiles(resource).isEmpty()) {
            ValidationResult undeclared = validator.validate(resource);
            assertThat(undeclared.errors()).as(file + " without meta.profile\n" + undeclared.describe())
                    .anyMatch(m -> contains(m, expected));
        }

        OperationOutcome outcome = (OperationOutcome) result.toOperationOutcome();
        assertThat(outcome.getIssue()).anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
    }

    private static boolean contains(SingleValidationMessage message, String expected) {
        return (message.getMessage() != null && message.getMessage().contains(expected))
                || (message.getLocationString() != null && message.getLocationString().contains(expected));
    }

    @Test
    void peerRoleIsRecognisedWithoutMetaProfile() {
        PractitionerRole role = new PractitionerRole();
        role.addCode(new CodeableConcept(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist")));
        assertThat(validator.applicableProfiles(role)).containsExactly(SD + "peer-specialist-role");
        // and the profile's rules apply: practitioner, organization and active are missing
        ValidationResult result = validator.validate(role);
        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).anyMatch(m -> contains(m, "PractitionerRole.organization"));
    }

    @Test
    void unrelatedResourcesGetNoProfileAndPlainResourcesAreValid() {
        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily("Lopez").addGiven("Maria"));
        patient.setGender(AdministrativeGender.FEMALE);
        assertThat(validator.applicableProfiles(patient)).isEmpty();
        ValidationResult result = validator.validate(patient);
        assertThat(result.profiles()).isEmpty();
        assertThat(result.isValid()).as(result.describe()).isTrue();

        PractitionerRole counsellor = new PractitionerRole();
        counsellor.addCode(new CodeableConcept(new Coding("http://nucc.org/provider-taxonomy", "101YA0400X", null)));
        assertThat(validator.applicableProfiles(counsellor)).isEmpty();
        assertThat(validator.validate(counsellor).isValid()).isTrue();

        Communication message = new Communication();
        message.setStatus(Communication.CommunicationStatus.COMPLETED);
        message.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/communication-category", "notification", null)));
        assertThat(validator.applicableProfiles(message)).isEmpty();
        assertThat(validator.validate(message).isValid()).isTrue();
    }

    @Test
    void baseR4ErrorsStillCount() {
        org.hl7.fhir.r4.model.Observation observation = new org.hl7.fhir.r4.model.Observation();
        observation.addNote().setText("status and code (both 1..1 in base R4) are missing");
        ValidationResult result = validator.validate(observation);
        assertThat(result.isValid()).as(result.describe()).isFalse();
    }

    /**
     * Clients show a refusal's first issue (HAPI's client puts it in the exception message): a warning before the
     * error sent an integrator after the wrong element (an unknown HCPCS code system instead of an unknown focus area).
     */
    @Test
    void aRefusalNamesItsErrorsBeforeItsWarnings() throws IOException {
        org.hl7.fhir.r4.model.Procedure note = (org.hl7.fhir.r4.model.Procedure) example("valid/peer-session-note-1.json");
        note.getMeta().getProfile().clear();
        note.getReasonCodeFirstRep().getCodingFirstRep().setCode("no-such-focus-area").setDisplay(null);
        ValidationResult result = validator.validate(note);
        assertThat(result.isValid()).as(result.describe()).isFalse();
        assertThat(result.messages()).as(result.describe())
                .anyMatch(m -> m.getSeverity() == ca.uhn.fhir.validation.ResultSeverityEnum.WARNING);
        OperationOutcome outcome = (OperationOutcome) result.toOperationOutcome();
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("no-such-focus-area");
    }

    /**
     * HAPI's validator parses an OID registry of 21,350 rows for every resource it validates, and reads it only to
     * resolve canonical URLs through a resource fetcher. Alongside sets no fetcher and ships an empty registry in
     * its place (src/main/resources/oidregistry.csv): a profile of a realistic load found the parse was most of a
     * write's processor time.
     */
    @Test
    void theValidatorNeitherResolvesCanonicalUrlsNorParsesTheOidRegistry() {
        assertThat(validator.resolvesCanonicalUrls()).isFalse();
        assertThat(new org.hl7.fhir.utilities.OIDUtilities().isKnownOID("2.16.840.1.113883")).isFalse();
        assertThat(org.hl7.fhir.utilities.OIDUtilities.class.getClassLoader().getResource("oidregistry.csv"))
                .hasProtocol("file");
    }

    @Test
    void unknownDeclaredProfilesAreOnlyWarnings() {
        Patient patient = new Patient();
        patient.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
        ValidationResult result = validator.validate(patient);
        assertThat(result.isValid()).as(result.describe()).isTrue();
    }

    @Test
    void explicitProfile() throws IOException {
        Resource goal = example("valid/recovery-goal-1.json");
        goal.getMeta().getProfile().clear();
        assertThat(validator.validate(goal, SD + "recovery-goal|0.1.0").isValid()).isTrue();
        // a goal that is not a recovery goal fails the recovery-goal profile when asked for it
        org.hl7.fhir.r4.model.Goal plain = new org.hl7.fhir.r4.model.Goal();
        plain.setLifecycleStatus(org.hl7.fhir.r4.model.Goal.GoalLifecycleStatus.ACTIVE);
        plain.getDescription().setText("Walk every day");
        plain.setSubject(new Reference("Patient/p1"));
        assertThat(validator.validate(plain).isValid()).isTrue();
        ValidationResult asked = validator.validate(plain, SD + "recovery-goal");
        assertThat(asked.isValid()).isFalse();
        assertThat(asked.errors()).anyMatch(m -> contains(m, "Goal.expressedBy"));

        ValidationResult unknown = validator.validate(plain, SD + "no-such-profile");
        assertThat(unknown.isValid()).isFalse();
        assertThat(unknown.errors().get(0).getMessage()).contains("Unknown profile");
        assertThat(validator.validate(plain, SD + "peer-support-session").isValid()).isFalse();
    }

    /**
     * Extension definitions are left out: validating a StructureDefinition of type Extension makes the HL7
     * validator (core 6.7.9, StructureDefinitionValidator.checkElementDefinition) try to download other FHIR
     * versions' core packages from packages.fhir.org to check the extension context, which fails offline.
     */
    @Test
    void theConformanceResourcesThemselvesAreValidR4() {
        StringBuilder problems = new StringBuilder();
        for (IBaseResource resource : validator.resources().all()) {
            if (resource instanceof StructureDefinition && "Extension".equals(((StructureDefinition) resource).getType())) {
                continue;
            }
            ValidationResult result = validator.validate(resource);
            if (!result.isValid()) {
                problems.append(resource.fhirType()).append('/').append(resource.getIdElement().getIdPart())
                        .append('\n').append(result.describe());
            }
        }
        assertThat(problems.toString()).isEmpty();
    }

    @Test
    void snapshotsAreGeneratedAtConstruction() {
        for (String url : validator.knownProfiles()) {
            StructureDefinition sd = validator.structureDefinition(url);
            assertThat(sd.hasSnapshot()).as(url).isTrue();
            assertThat(sd.getSnapshot().getElement().size()).isGreaterThan(sd.getDifferential().getElement().size());
        }
        // the shipped resources themselves stay differential-only
        assertThat(validator.resources().profiles()).noneMatch(StructureDefinition::hasSnapshot);
    }

    @Test
    void steadyStateTimingAndConcurrentUse() throws Exception {
        List<Resource> valid = new ArrayList<>();
        for (String file : validExamples().toList()) {
            valid.add(example(file));
        }
        for (Resource r : valid) {
            validator.validate(r);
        }
        int rounds = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (Resource r : valid) {
                assertThat(validator.validate(r).isValid()).isTrue();
            }
        }
        long perResourceMicros = (System.nanoTime() - t0) / 1000 / ((long) rounds * valid.size());
        System.out.printf("[timing] steady state: %.2f ms per resource (%d validations)%n",
                perResourceMicros / 1000.0, rounds * valid.size());

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (Resource r : valid) {
                    futures.add(pool.submit(() -> validator.validate(r).isValid()));
                }
                for (String file : invalidExamples().toList()) {
                    IBaseResource bad = example(file);
                    futures.add(pool.submit(() -> !validator.validate(bad).isValid()));
                }
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
