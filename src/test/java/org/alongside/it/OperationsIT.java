package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operators and integrators rely on besides FHIR CRUD: health checks, metrics, OpenAPI, and a
 * CapabilityStatement that is complete and truthful (every declared search parameter really works).
 */
class OperationsIT {

    static final List<String> RESOURCE_TYPES = List.of("Patient", "Practitioner", "PractitionerRole",
            "Organization", "CareTeam", "CarePlan", "Goal", "ServiceRequest", "Task", "Encounter", "Procedure",
            "Communication", "Consent", "Provenance", "Flag", "Subscription");

    private static final List<TypeRestfulInteraction> INTERACTIONS = List.of(TypeRestfulInteraction.READ,
            TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE,
            TypeRestfulInteraction.CREATE, TypeRestfulInteraction.HISTORYINSTANCE,
            TypeRestfulInteraction.HISTORYTYPE, TypeRestfulInteraction.SEARCHTYPE);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CapabilityStatement capability;

    @BeforeAll
    static void readCapabilityStatement() {
        capability = FhirServer.client().capabilities().ofType(CapabilityStatement.class).execute();
    }

    private static CapabilityStatementRestResourceComponent resource(String type) {
        return capability.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError(type + " is not in the CapabilityStatement"));
    }

    private static Map<String, SearchParamType> searchParams(String type) {
        Map<String, SearchParamType> params = new TreeMap<>();
        for (CapabilityStatementRestResourceSearchParamComponent param : resource(type).getSearchParam()) {
            params.put(param.getName(), param.getType());
        }
        return params;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    // ---------------------------------------------------------------- health, metrics, OpenAPI

    @Test
    void livenessIsUp() throws Exception {
        HttpResponse<String> response = FhirServer.get(FhirServer.baseUrl() + "/health/live");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
        assertThat(json(response).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessIsUpAndChecksTheDatabase() throws Exception {
        HttpResponse<String> response = FhirServer.get(FhirServer.baseUrl() + "/health/ready");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode health = json(response);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        List<String> checks = new ArrayList<>();
        health.path("checks").forEach(check -> checks.add(check.path("name").asText()));
        assertThat(checks).contains("database");
        health.path("checks").forEach(check -> {
            if (check.path("name").asText().equals("database")) {
                assertThat(check.path("status").asText()).isEqualTo("UP");
            }
        });
    }

    @Test
    void metricsAnswerText() {
        HttpResponse<String> response = FhirServer.get(FhirServer.baseUrl() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).contains("# TYPE");
    }

    @Test
    void openApiAnswers() {
        HttpResponse<String> response = FhirServer.get(FhirServer.baseUrl() + "/openapi");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi");
    }

    // ---------------------------------------------------------------- CapabilityStatement content

    @Test
    void capabilityStatementListsEveryTypeWithItsInteractions() {
        assertThat(capability.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capability.getFormat()).extracting(CodeType::getValue)
                .contains("application/fhir+json", "application/fhir+xml");
        for (String type : RESOURCE_TYPES) {
            Set<TypeRestfulInteraction> declared = resource(type).getInteraction().stream()
                    .map(CapabilityStatement.ResourceInteractionComponent::getCode).collect(Collectors.toSet());
            assertThat(declared).as("interactions of %s", type).containsAll(INTERACTIONS);
            assertThat(searchParams(type)).as("search parameters of %s", type)
                    .containsEntry("_id", SearchParamType.TOKEN)
                    .containsEntry("_lastUpdated", SearchParamType.DATE);
        }
    }

    @Test
    void patchIsDeclaredWithItsFormatsForEveryWritableTypeOnly() {
        assertThat(capability.getPatchFormat()).extracting(c -> c.getValue())
                .containsExactlyInAnyOrder("application/json-patch+json", "application/fhir+json", "application/fhir+xml");
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            boolean writable = resource.getInteraction().stream().anyMatch(i -> i.getCode() == TypeRestfulInteraction.UPDATE);
            assertThat(resource.getInteraction().stream().anyMatch(i -> i.getCode() == TypeRestfulInteraction.PATCH))
                    .as("PATCH declared for %s", resource.getType()).isEqualTo(writable);
        }
    }

    @Test
    void communicationDeclaresItsSearchParameters() {
        assertThat(searchParams("Communication"))
                .containsEntry("subject", SearchParamType.REFERENCE)
                .containsEntry("patient", SearchParamType.REFERENCE)
                .containsEntry("sent", SearchParamType.DATE)
                .containsEntry("category", SearchParamType.TOKEN)
                .containsEntry("recipient", SearchParamType.REFERENCE)
                .containsEntry("sender", SearchParamType.REFERENCE)
                .containsEntry("based-on", SearchParamType.REFERENCE)
                .containsEntry("encounter", SearchParamType.REFERENCE)
                .containsEntry("status", SearchParamType.TOKEN)
                .containsEntry("identifier", SearchParamType.TOKEN);
    }

    @Test
    void encounterDeclaresItsSearchParameters() {
        assertThat(searchParams("Encounter"))
                .containsEntry("date", SearchParamType.DATE)
                .containsEntry("participant", SearchParamType.REFERENCE)
                .containsEntry("patient", SearchParamType.REFERENCE)
                .containsEntry("subject", SearchParamType.REFERENCE)
                .containsEntry("status", SearchParamType.TOKEN);
    }

    @Test
    void carePlanDeclaresItsSearchParameters() {
        assertThat(searchParams("CarePlan"))
                .containsEntry("care-team", SearchParamType.REFERENCE)
                .containsEntry("date", SearchParamType.DATE)
                .containsEntry("patient", SearchParamType.REFERENCE)
                .containsEntry("category", SearchParamType.TOKEN)
                .containsEntry("status", SearchParamType.TOKEN);
    }

    // ---------------------------------------------------------------- the CapabilityStatement is truthful

    /** Syntactically valid values for a declared parameter, acceptable whatever the parameter's targets. */
    private static List<String> sampleValues(String type, String name, SearchParamType paramType) {
        return switch (paramType) {
            case TOKEN, STRING -> List.of("x");
            case DATE -> List.of("2020-01-01", "ge2020-01-01T00:00:00Z");
            case URI -> List.of("http://example.org/x");
            case REFERENCE -> {
                // a bare id always fits; a typed reference only where R4 lets the parameter point to Patient
                List<String> values = new ArrayList<>(List.of("x"));
                RuntimeResourceDefinition definition = FhirServer.FHIR.getResourceDefinition(type);
                RuntimeSearchParam param = definition.getSearchParam(name);
                if (param != null && param.getTargets().contains("Patient")) {
                    values.add("Patient/x");
                }
                yield values;
            }
            default -> List.of("x");
        };
    }

    @Test
    void everyDeclaredSearchParameterAnswers200() {
        List<String> failures = new ArrayList<>();
        int searches = 0;
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            String type = resource.getType();
            for (CapabilityStatementRestResourceSearchParamComponent param : resource.getSearchParam()) {
                for (String value : sampleValues(type, param.getName(), param.getType())) {
                    String path = "/" + type + "?" + param.getName() + "="
                            + URLEncoder.encode(value, StandardCharsets.UTF_8);
                    HttpResponse<String> response = FhirServer.get(path);
                    searches++;
                    if (response.statusCode() != 200 || !response.body().contains("\"searchset\"")) {
                        String body = response.body();
                        failures.add(response.statusCode() + " " + path + " -> "
                                + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
                    }
                }
            }
        }
        assertThat(searches).as("searches made").isGreaterThan(RESOURCE_TYPES.size() * 2);
        assertThat(failures).as("declared search parameters that the server refuses").isEmpty();
    }
}
