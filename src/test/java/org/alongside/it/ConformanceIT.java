package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alongside's conformance resources as the server publishes and enforces them: every file of fhir-profiles/ is
 * readable (read-only), the CapabilityStatement names the profiles, operations and custom search parameters,
 * the valid examples are accepted, the invalid ones are refused with the expected error, and $validate agrees.
 * Files are read from the project directory (Failsafe's working directory is the project root).
 */
class ConformanceIT {

    private static final String BASE = "http://alongside.health/fhir";
    private static final Path PROFILES = Path.of("fhir-profiles");
    private static final Path VALID = PROFILES.resolve("examples/valid");
    private static final Path INVALID = PROFILES.resolve("examples/invalid");
    private static final String JSON = "application/fhir+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The valid assignment example: the session examples are only accepted while it is stored and active. */
    private static final String ASSIGNMENT_EXAMPLE = "peer-mentor-referral-1.json";

    /**
     * Invalid examples that a business rule refuses before profile validation sees them, with the text of that
     * refusal. SessionRules needs a session's start and end to compute the billing units, and runs before the
     * profile check, so a session without an end is refused for that reason (422, nothing stored) rather than
     * with the profile's element path.
     */
    private static final Map<String, String> REFUSED_BY_A_BUSINESS_RULE = Map.of(
            "peer-support-session-missing-end-time.json", "Encounter.period start and end");

    private static CapabilityStatement capability;

    @BeforeAll
    static void readCapabilityStatement() {
        capability = FhirServer.client().capabilities().ofType(CapabilityStatement.class).execute();
    }

    // ================================================================== helpers

    private static List<Path> files(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("expected-errors.json"))
                    .sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Path file) {
        return json(text(file));
    }

    private static String path(Path file) {
        JsonNode resource = json(file);
        return "/" + resource.path("resourceType").asText() + "/" + resource.path("id").asText();
    }

    private static HttpResponse<String> put(Path file) {
        return FhirServer.send("PUT", path(file), JSON, text(file));
    }

    private static OperationOutcome outcome(String body) {
        return FhirServer.FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
    }

    private static List<OperationOutcome.OperationOutcomeIssueComponent> errors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                .collect(Collectors.toList());
    }

    /** Diagnostics, locations and expressions of the issues, for matching the expected error text. */
    private static String describe(List<OperationOutcome.OperationOutcomeIssueComponent> issues) {
        StringBuilder text = new StringBuilder();
        for (OperationOutcome.OperationOutcomeIssueComponent issue : issues) {
            text.append(issue.getDiagnostics()).append(" @ ");
            issue.getLocation().forEach(l -> text.append(l.getValue()).append(' '));
            issue.getExpression().forEach(l -> text.append(l.getValue()).append(' '));
            text.append('\n');
        }
        return text.toString();
    }

    private static Map<String, String> expectedErrors() {
        Map<String, String> expected = new LinkedHashMap<>();
        json(INVALID.resolve("expected-errors.json")).fields()
                .forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
        return expected;
    }

    private static HttpResponse<String> validate(String type, String body, String profile) {
        String query = profile == null ? "" : "?profile=" + URLEncoder.encode(profile, StandardCharsets.UTF_8);
        return FhirServer.send("POST", "/" + type + "/$validate" + query, JSON, body);
    }

    /** Stores the valid assignment example, so that the session examples have the assignment they need. */
    private static void storeTheAssignmentExample() {
        HttpResponse<String> stored = put(VALID.resolve(ASSIGNMENT_EXAMPLE));
        assertThat(stored.statusCode()).as(stored.body()).isIn(200, 201);
    }

    private static CapabilityStatementRestResourceComponent resource(String type) {
        return capability.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError(type + " is not in the CapabilityStatement"));
    }

    // ================================================================== conformance resources, read-only

    @Test
    void peerSupportSessionProfileIsReadableAndFoundByUrl() {
        String url = BASE + "/StructureDefinition/peer-support-session";
        StructureDefinition profile = FhirServer.client().read().resource(StructureDefinition.class)
                .withId("peer-support-session").execute();
        assertThat(profile.getUrl()).isEqualTo(url);
        assertThat(profile.getType()).isEqualTo("Encounter");
        assertThat(profile.getDifferential().getElement()).isNotEmpty();

        Bundle byUrl = FhirServer.client().search().forResource(StructureDefinition.class)
                .where(StructureDefinition.URL.matches().value(url)).returnBundle(Bundle.class).execute();
        assertThat(byUrl.getEntry()).hasSize(1);
        assertThat(((StructureDefinition) byUrl.getEntryFirstRep().getResource()).getUrl()).isEqualTo(url);

        HttpResponse<String> raw = FhirServer.get("/StructureDefinition?url="
                + URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(json(raw.body()).path("entry")).hasSize(1);

        HttpResponse<String> none = FhirServer.get("/StructureDefinition?url="
                + URLEncoder.encode(BASE + "/StructureDefinition/no-such-profile", StandardCharsets.UTF_8));
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(json(none.body()).path("entry").size()).isZero();
    }

    @Test
    void everyConformanceFileIsReadableByIdAndFoundByItsUrl() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String folder : List.of("StructureDefinition", "CodeSystem", "ValueSet", "SearchParameter")) {
            for (Path file : files(PROFILES.resolve(folder))) {
                checked++;
                JsonNode local = json(file);
                String id = local.path("id").asText();
                String url = local.path("url").asText();
                HttpResponse<String> read = FhirServer.get("/" + folder + "/" + id);
                if (read.statusCode() != 200) {
                    failures.add("GET /" + folder + "/" + id + " -> " + read.statusCode());
                    continue;
                }
                JsonNode served = json(read.body());
                if (!served.path("url").asText().equals(url) || !served.path("resourceType").asText().equals(folder)) {
                    failures.add("/" + folder + "/" + id + " serves url " + served.path("url").asText());
                }
                HttpResponse<String> search = FhirServer.get("/" + folder + "?url="
                        + URLEncoder.encode(url, StandardCharsets.UTF_8));
                if (search.statusCode() != 200 || json(search.body()).path("entry").size() != 1) {
                    failures.add("GET /" + folder + "?url=" + url + " -> " + search.statusCode() + " "
                            + json(search.body()).path("entry").size() + " entries");
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(35);
        assertThat(failures).isEmpty();
    }

    @Test
    void focusAreaCodeSystemValueSetAndTheAboutSearchParameterAreReadable() {
        CodeSystem focus = FhirServer.client().read().resource(CodeSystem.class).withId("focus-area").execute();
        assertThat(focus.getUrl()).isEqualTo(BASE + "/CodeSystem/focus-area");
        assertThat(focus.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
                .contains("cravings", "belonging", "setback-relapse", "goal-setting");

        ValueSet valueSet = FhirServer.client().read().resource(ValueSet.class).withId("focus-area").execute();
        assertThat(valueSet.getUrl()).isEqualTo(BASE + "/ValueSet/focus-area");
        assertThat(valueSet.getCompose().getInclude()).extracting(ValueSet.ConceptSetComponent::getSystem)
                .contains(BASE + "/CodeSystem/focus-area");

        SearchParameter about = FhirServer.client().read().resource(SearchParameter.class)
                .withId("Communication-about").execute();
        assertThat(about.getCode()).isEqualTo("about");
        assertThat(about.getBase()).extracting(b -> b.getValue()).contains("Communication");
        assertThat(about.getType()).isEqualTo(SearchParamType.REFERENCE);
    }

    @Test
    void anUnknownConformanceResourceIsNotFound() {
        assertThat(FhirServer.get("/StructureDefinition/no-such-profile").statusCode()).isEqualTo(404);
        assertThat(FhirServer.get("/CodeSystem/no-such-code-system").statusCode()).isEqualTo(404);
    }

    @Test
    void conformanceResourcesCannotBeWritten() {
        String body = text(PROFILES.resolve("StructureDefinition/peer-support-session.json"));
        HttpResponse<String> post = FhirServer.send("POST", "/StructureDefinition", JSON, body);
        assertThat(post.statusCode()).as(post.body()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow").orElse("")).contains("GET").doesNotContain("POST");
        HttpResponse<String> put = FhirServer.send("PUT", "/StructureDefinition/peer-support-session", JSON, body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow").orElse("")).contains("GET").doesNotContain("PUT");
        HttpResponse<String> delete = FhirServer.send("DELETE", "/StructureDefinition/peer-support-session", null,
                null);
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(405);
        assertThat(json(delete.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");

        for (String folder : List.of("CodeSystem", "ValueSet", "SearchParameter")) {
            Path file = files(PROFILES.resolve(folder)).get(0);
            String id = json(file).path("id").asText();
            assertThat(FhirServer.send("POST", "/" + folder, JSON, text(file)).statusCode())
                    .as("POST /%s", folder).isEqualTo(405);
            assertThat(FhirServer.send("PUT", "/" + folder + "/" + id, JSON, text(file)).statusCode())
                    .as("PUT /%s/%s", folder, id).isEqualTo(405);
            assertThat(FhirServer.send("DELETE", "/" + folder + "/" + id, null, null).statusCode())
                    .as("DELETE /%s/%s", folder, id).isEqualTo(405);
        }
        // still served unchanged
        StructureDefinition profile = FhirServer.client().read().resource(StructureDefinition.class)
                .withId("peer-support-session").execute();
        assertThat(profile.getUrl()).isEqualTo(BASE + "/StructureDefinition/peer-support-session");
    }

    // ================================================================== CapabilityStatement

    @Test
    void capabilityStatementNamesTheProfileOfEachMentorshipResource() {
        Map<String, String> profiles = Map.of(
                "Encounter", "peer-support-session",
                "Communication", "encouragement-log",
                "PractitionerRole", "peer-specialist-role",
                "CareTeam", "peer-support-team",
                "ServiceRequest", "peer-mentor-referral",
                "Task", "peer-mentor-task",
                "Procedure", "peer-session-note",
                "Goal", "recovery-goal",
                "Provenance", "session-cosignature");
        profiles.forEach((type, id) -> assertThat(resource(type).getSupportedProfile())
                .as("supportedProfile of %s", type).extracting(p -> p.getValue())
                .contains(BASE + "/StructureDefinition/" + id));
    }

    @Test
    void capabilityStatementDeclaresTheMentorshipOperations() {
        Set<String> carePlanOperations = resource("CarePlan").getOperation().stream()
                .map(o -> o.getName().replaceFirst("^\\$", "")).collect(Collectors.toSet());
        assertThat(carePlanOperations)
                .contains("assign-peer-mentor", "transfer-peer-mentor", "end-peer-mentorship", "side-by-side");
        Set<String> encounterOperations = resource("Encounter").getOperation().stream()
                .map(o -> o.getName().replaceFirst("^\\$", "")).collect(Collectors.toSet());
        assertThat(encounterOperations).contains("record-peer-session");

        // each declared definition resolves to an OperationDefinition with that code
        for (String type : List.of("CarePlan", "Encounter")) {
            for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent operation
                    : resource(type).getOperation()) {
                if (operation.getName().contains("validate")) {
                    continue;
                }
                HttpResponse<String> definition = FhirServer.get(operation.getDefinition());
                assertThat(definition.statusCode()).as(operation.getDefinition()).isEqualTo(200);
                assertThat(json(definition.body()).path("code").asText())
                        .isEqualTo(operation.getName().replaceFirst("^\\$", ""));
            }
        }
    }

    @Test
    void capabilityStatementDeclaresTheCustomSearchParameters() {
        Map<String, List<String>> custom = Map.of(
                "Communication", List.of("about", "focus-area"),
                "Procedure", List.of("focus-area"),
                "Encounter", List.of("modality"),
                "Goal", List.of("expressed-by"));
        custom.forEach((type, names) -> {
            for (String name : names) {
                CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent param = resource(type)
                        .getSearchParam().stream().filter(p -> p.getName().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(type + "?" + name + " is not declared"));
                assertThat(param.getDefinition()).as("definition of %s?%s", type, name)
                        .isEqualTo(BASE + "/SearchParameter/" + type + "-" + name);
            }
        });
        assertThat(resource("Communication").getSearchParam().stream()
                .filter(p -> p.getName().equals("about")).findFirst().orElseThrow().getType())
                .isEqualTo(SearchParamType.REFERENCE);
        assertThat(resource("Communication").getSearchParam().stream()
                .filter(p -> p.getName().equals("focus-area")).findFirst().orElseThrow().getType())
                .isEqualTo(SearchParamType.TOKEN);
    }

    // ================================================================== examples through the write path

    @Test
    void everyValidExampleIsAccepted() {
        // The session examples (Encounter) are checked by SessionRules: a session is only accepted for a person
        // the peer was assigned to when it started. The assignment example (ServiceRequest peer-referral-maria,
        // Jordan -> Maria from 2025-03-01) provides exactly that, so it is stored first; the Provenance example
        // targets the session example but references are not resolved, so order does not matter for it.
        storeTheAssignmentExample();
        List<Path> examples = files(VALID);
        assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
        List<String> failures = new ArrayList<>();
        for (Path file : examples) {
            HttpResponse<String> stored = put(file);
            if (stored.statusCode() != 200 && stored.statusCode() != 201) {
                failures.add(file.getFileName() + " -> " + stored.statusCode() + ": " + stored.body());
                continue;
            }
            HttpResponse<String> read = FhirServer.get(path(file));
            if (read.statusCode() != 200) {
                failures.add(file.getFileName() + " stored but GET " + path(file) + " -> " + read.statusCode());
            }
        }
        assertThat(failures).isEmpty();

        // the server completed the sessions: linked to the assignment and billed from start and stop
        Encounter session = FhirServer.client().read().resource(Encounter.class).withId("session-maria-1").execute();
        assertThat(session.getBasedOn()).extracting(Reference::getReference)
                .contains("ServiceRequest/peer-referral-maria");
        assertThat(((IntegerType) session.getExtensionByUrl(BASE + "/StructureDefinition/billing-units").getValue())
                .getValue()).isEqualTo(4);
        Encounter group = FhirServer.client().read().resource(Encounter.class).withId("session-group-1").execute();
        assertThat(((IntegerType) group.getExtensionByUrl(BASE + "/StructureDefinition/billing-units").getValue())
                .getValue()).as("90 minutes").isEqualTo(6);
    }

    @Test
    void expectedErrorsCoverEveryInvalidExample() {
        Set<String> files = files(INVALID).stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertThat(expectedErrors().keySet()).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void everyInvalidExampleIsRefusedWithTheExpectedErrorAndNotStored() {
        // with the assignment stored, the session examples reach profile validation (see everyValidExampleIsAccepted)
        storeTheAssignmentExample();
        Map<String, String> expected = expectedErrors();
        List<String> failures = new ArrayList<>();
        for (Path file : files(INVALID)) {
            String name = file.getFileName().toString();
            String wanted = expected.get(name);
            HttpResponse<String> refused = put(file);
            if (refused.statusCode() != 422) {
                failures.add(name + " -> " + refused.statusCode() + " (expected 422): " + refused.body());
                continue;
            }
            String said = describe(outcome(refused.body()).getIssue());
            String byRule = REFUSED_BY_A_BUSINESS_RULE.get(name);
            if (!said.contains(wanted) && (byRule == null || !said.contains(byRule))) {
                failures.add(name + " refused without mentioning '" + wanted + "': " + said);
            }
            HttpResponse<String> read = FhirServer.get(path(file));
            if (read.statusCode() != 404) {
                failures.add(name + " was refused but GET " + path(file) + " -> " + read.statusCode());
            }
            HttpResponse<String> posted = FhirServer.send("POST", "/" + json(file).path("resourceType").asText(),
                    JSON, text(file));
            if (posted.statusCode() != 422) {
                failures.add(name + " by POST -> " + posted.statusCode() + " (expected 422)");
            }
        }
        assertThat(failures).isEmpty();
    }

    // ================================================================== $validate

    @Test
    void validateReportsNoErrorForEachValidExample() {
        List<String> failures = new ArrayList<>();
        for (Path file : files(VALID)) {
            String type = json(file).path("resourceType").asText();
            HttpResponse<String> answer = validate(type, text(file), null);
            if (answer.statusCode() != 200) {
                failures.add(file.getFileName() + " -> " + answer.statusCode() + ": " + answer.body());
                continue;
            }
            List<OperationOutcome.OperationOutcomeIssueComponent> errors = errors(outcome(answer.body()));
            if (!errors.isEmpty()) {
                failures.add(file.getFileName() + ": " + describe(errors));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void validateReportsTheExpectedErrorForEachInvalidExample() {
        Map<String, String> expected = expectedErrors();
        List<String> failures = new ArrayList<>();
        for (Path file : files(INVALID)) {
            String name = file.getFileName().toString();
            String type = json(file).path("resourceType").asText();
            HttpResponse<String> answer = validate(type, text(file), null);
            if (answer.statusCode() != 200 && answer.statusCode() != 422) {
                failures.add(name + " -> " + answer.statusCode() + ": " + answer.body());
                continue;
            }
            List<OperationOutcome.OperationOutcomeIssueComponent> errors = errors(outcome(answer.body()));
            // $validate runs the profiles only (no business rule), so every expected text must appear
            if (errors.isEmpty() || !describe(errors).contains(expected.get(name))) {
                failures.add(name + " errors do not mention '" + expected.get(name) + "': " + describe(errors));
            }
            if (FhirServer.get(path(file)).statusCode() != 404) {
                failures.add(name + ": $validate must not store anything, but " + path(file) + " exists");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void validateAcceptsTheResourceInParametersThroughTheGenericClient() {
        Communication valid = FhirServer.FHIR.newJsonParser().parseResource(Communication.class,
                text(VALID.resolve("encouragement-log-1.json")));
        MethodOutcome ok = FhirServer.client().validate().resource(valid).execute();
        assertThat(errors((OperationOutcome) ok.getOperationOutcome())).isEmpty();

        Communication invalid = FhirServer.FHIR.newJsonParser().parseResource(Communication.class,
                text(INVALID.resolve("encouragement-log-sender-not-practitionerrole.json")));
        MethodOutcome bad;
        try {
            bad = FhirServer.client().validate().resource(invalid).execute();
        } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e) {
            // a server may also answer 422 with the OperationOutcome
            assertThat(e.getStatusCode()).isEqualTo(422);
            bad = new MethodOutcome().setOperationOutcome(e.getOperationOutcome());
        }
        assertThat(describe(errors((OperationOutcome) bad.getOperationOutcome()))).contains("Communication.sender");
    }

    /** A Communication that plays no mentorship role (no category): no profile applies unless asked for. */
    private static String plainCommunication() {
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference("Patient/someone"));
        return FhirServer.FHIR.newJsonParser().encodeResourceToString(message);
    }

    @Test
    void validateWithAProfileChecksAgainstThatProfile() {
        String profile = BASE + "/StructureDefinition/encouragement-log";
        String plain = plainCommunication();

        HttpResponse<String> base = validate("Communication", plain, null);
        assertThat(base.statusCode()).as(base.body()).isEqualTo(200);
        assertThat(errors(outcome(base.body()))).as("base R4 only").isEmpty();

        HttpResponse<String> asEncouragement = validate("Communication", plain, profile);
        assertThat(asEncouragement.statusCode()).isIn(200, 422);
        String said = describe(errors(outcome(asEncouragement.body())));
        assertThat(said).contains("Communication.sender").contains("Communication.category");

        HttpResponse<String> valid = validate("Communication", text(VALID.resolve("encouragement-log-1.json")),
                profile);
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        assertThat(errors(outcome(valid.body()))).isEmpty();

        HttpResponse<String> unknown = validate("Communication", plain, BASE + "/StructureDefinition/no-such-profile");
        assertThat(describe(errors(outcome(unknown.body())))).contains("no-such-profile");

        HttpResponse<String> wrongType = validate("Communication", plain,
                BASE + "/StructureDefinition/peer-support-session");
        assertThat(describe(errors(outcome(wrongType.body())))).contains("Encounter");
    }

    @Test
    void validateWithTheProfileInTheParametersBody() {
        // R4 $validate: in-parameters "resource" (Resource) and "profile" (uri)
        String profile = BASE + "/StructureDefinition/encouragement-log";
        Communication plain = FhirServer.FHIR.newJsonParser().parseResource(Communication.class, plainCommunication());
        Communication valid = FhirServer.FHIR.newJsonParser().parseResource(Communication.class,
                text(VALID.resolve("encouragement-log-1.json")));

        Parameters good = new Parameters();
        good.addParameter().setName("resource").setResource(valid);
        good.addParameter().setName("profile").setValue(new org.hl7.fhir.r4.model.UriType(profile));
        HttpResponse<String> accepted = FhirServer.send("POST", "/Communication/$validate", JSON,
                FhirServer.FHIR.newJsonParser().encodeResourceToString(good));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(describe(errors(outcome(accepted.body())))).isEmpty();

        Parameters bad = new Parameters();
        bad.addParameter().setName("resource").setResource(plain);
        bad.addParameter().setName("profile").setValue(new org.hl7.fhir.r4.model.UriType(profile));
        HttpResponse<String> refused = FhirServer.send("POST", "/Communication/$validate", JSON,
                FhirServer.FHIR.newJsonParser().encodeResourceToString(bad));
        assertThat(describe(errors(outcome(refused.body())))).contains("Communication.sender");
    }
}
