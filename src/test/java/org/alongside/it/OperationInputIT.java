package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input to any operation is a 4xx OperationOutcome that names what is wrong, never a 500. The operations and
 * their parameters are read from the server's own CapabilityStatement and OperationDefinitions, so every operation
 * is covered, new ones included: per operation an empty Parameters, a body of the wrong resource type, an unknown
 * parameter, each required parameter left out, each parameter with a value of the wrong type, each reference to a
 * resource that does not exist, and an instance that does not exist. The Bulk Data status and file steps, which
 * the CapabilityStatement does not list, are added by hand.
 */
class OperationInputIT {

    private static final String JSON = "application/fhir+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PATIENT = "opfuzz-patient-" + RUN;
    private static final String PLAN = "opfuzz-plan-" + RUN;

    /** One in-parameter as the OperationDefinition declares it; type null when it declares none. */
    record Param(String name, int min, String type) {
    }

    /** One operation on one resource type (null: the system level), as the CapabilityStatement lists it. */
    record Op(String name, String type, boolean typeLevel, boolean instanceLevel, List<Param> params, boolean described) {

        String path(String id) {
            return (type == null ? "" : "/" + type) + (instanceLevel && !typeLevel || id != null
                    ? "/" + (id == null ? existingInstance() : id) : "") + "/$" + name;
        }

        String existingInstance() {
            return type.equals("CarePlan") ? PLAN : PATIENT;
        }

        boolean needsInput() {
            return name.equals("validate") || params.stream().anyMatch(p -> p.min() > 0);
        }
    }

    @BeforeAll
    static void existingRecords() {
        put("Patient", PATIENT, "\"name\":[{\"family\":\"Opfuzz\"}]");
        put("CarePlan", PLAN, "\"status\":\"active\",\"intent\":\"plan\",\"subject\":{\"reference\":\"Patient/"
                + PATIENT + "\"}");
    }

    @TestFactory
    Stream<DynamicTest> everyOperationRefusesBadInputWithA4xxOutcome() throws IOException {
        List<Op> operations = operations();
        assertThat(operations).extracting(Op::name).contains("record-peer-session", "assign-peer-mentor",
                "transfer-peer-mentor", "end-peer-mentorship", "side-by-side", "match-peer-mentor", "validate", "export",
                "accounting-of-disclosures");
        List<DynamicTest> cases = new ArrayList<>();
        for (Op op : operations) {
            String path = op.path(null);
            String label = (op.type() == null ? "" : op.type() + " ") + "$" + op.name();
            if (!op.described()) { // an external definition: Bulk Data's kick-off (GET only), or a base-spec operation
                boolean getOnly = op.name().equals("export");
                cases.add(expect(label + ": an unknown parameter", () -> FhirServer.get(path + "?no-such-parameter=x",
                        "Prefer", "respond-async"), 400, null));
                cases.add(expect(label + ": a POSTed Parameters", () -> post(path, parameters(List.of())),
                        getOnly ? -1 : 0, null));
                continue;
            }
            cases.add(expect(label + ": empty Parameters", () -> post(path, parameters(List.of())),
                    op.needsInput() ? 400 : 0, null));
            String wrongType = op.name().equals("validate") && "Patient".equals(op.type()) ? "Communication" : "Patient";
            cases.add(expect(label + ": a " + wrongType + " instead of Parameters", () -> post(path,
                    "{\"resourceType\":\"" + wrongType + "\"}"), 400, null));
            cases.add(expect(label + ": an unknown parameter", () -> post(path, parameters(List.of(
                    part("no-such-parameter", "valueString", "\"x\"")))), 400, "no-such-parameter"));
            // $validate may check an update to an id that does not exist yet (update-as-create)
            if (op.instanceLevel() && !op.name().equals("validate")) {
                String unknownInstance = op.path("no-such-" + RUN);
                cases.add(expect(label + ": an instance that does not exist", () -> post(unknownInstance,
                        parameters(valid(op, null, null))), 404, null));
            }
            for (Param param : op.params()) {
                if (param.min() > 0) {
                    cases.add(expect(label + ": without " + param.name(), () -> post(path,
                            parameters(valid(op, param.name(), null))), 400, param.name()));
                }
                if (param.type() != null) {
                    cases.add(expect(label + ": " + param.name() + " of the wrong type", () -> post(path,
                            parameters(valid(op, param.name(), wrongValue(param)))), 400, param.name()));
                }
                if ("Reference".equals(param.type())) {
                    String nobody = part(param.name(), "valueReference", "{\"reference\":\"Patient/nobody-" + RUN + "\"}");
                    cases.add(expect(label + ": " + param.name() + " refers to nothing", () -> post(path,
                            parameters(valid(op, param.name(), nobody))), 404, param.name()));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void recordPeerSessionNamesTheMissingParameter() {
        HttpResponse<String> empty = post("/Encounter/$record-peer-session", parameters(List.of()));
        assertOutcome(empty, 400, "patient");
        HttpResponse<String> patientBody = post("/Encounter/$record-peer-session", "{\"resourceType\":\"Patient\"}");
        assertOutcome(patientBody, 400, "Parameters");
    }

    @Test
    void validateWithAStringWhereTheResourceBelongsIs400() {
        HttpResponse<String> response = post("/Communication/$validate",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"valueString\":\"x\"}]}");
        assertOutcome(response, 400, "resource");
    }

    @Test
    void bulkDataStatusAndFileStepsRefuseBadInput() {
        assertOutcome(FhirServer.get("/$export-poll-status"), 400, "_jobId");
        assertOutcome(FhirServer.get("/$export-poll-status?_jobId=a&_jobId=b"), 400, "_jobId");
        assertOutcome(FhirServer.get("/$export-poll-status?_jobId=no-such-job-" + RUN), 404, null);
        assertOutcome(FhirServer.get("/$export-file?_jobId=no-such-job-" + RUN), 400, "_file");
        assertOutcome(FhirServer.get("/$export-file?_jobId=no-such-job-" + RUN + "&_file=Patient-1.ndjson"), 404, null);
        assertOutcome(FhirServer.get("/$export?_typeFilter=x", "Prefer", "respond-async"), 400, null);
    }

    // ---------------------------------------------------------------- the operations, from the server itself

    private static List<Op> operations() throws IOException {
        JsonNode rest = json(FhirServer.get("/metadata")).path("rest").path(0);
        List<Op> operations = new ArrayList<>();
        for (JsonNode op : rest.path("operation")) {
            operations.add(operation(null, op));
        }
        for (JsonNode resource : rest.path("resource")) {
            for (JsonNode op : resource.path("operation")) {
                operations.add(operation(resource.path("type").asText(), op));
            }
        }
        return operations;
    }

    private static Op operation(String type, JsonNode entry) throws IOException {
        String name = entry.path("name").asText();
        String definition = entry.path("definition").asText();
        if (!definition.startsWith(FhirServer.fhirBase())) { // an external definition (Bulk Data, R4's): none read
            return new Op(name, type, true, false, List.of(), false);
        }
        JsonNode def = json(FhirServer.get(definition));
        List<Param> params = new ArrayList<>();
        for (JsonNode p : def.path("parameter")) {
            if (p.path("use").asText().equals("in")) {
                params.add(new Param(p.path("name").asText(), p.path("min").asInt(0),
                        p.hasNonNull("type") ? p.path("type").asText() : null));
            }
        }
        return new Op(name, type, def.path("type").asBoolean() || def.path("system").asBoolean(),
                def.path("instance").asBoolean(), params, true);
    }

    // ---------------------------------------------------------------- bodies

    /** A value for every parameter the operation declares, except {@code replaced} (left out, or given instead). */
    private static List<String> valid(Op op, String replaced, String replacement) {
        List<String> parts = new ArrayList<>();
        for (Param param : op.params()) {
            if (param.name().equals(replaced)) {
                if (replacement != null) {
                    parts.add(replacement);
                }
                continue;
            }
            String value = validValue(op, param);
            if (value != null) {
                parts.add(value);
            }
        }
        return parts;
    }

    private static final Map<String, String[]> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("Reference", new String[] {"valueReference", "{\"reference\":\"Patient/" + PATIENT + "\"}"});
        VALUES.put("dateTime", new String[] {"valueDateTime", "\"2026-01-05T10:00:00Z\""});
        VALUES.put("date", new String[] {"valueDate", "\"2026-01-05\""});
        VALUES.put("instant", new String[] {"valueInstant", "\"2026-01-05T10:00:00Z\""});
        VALUES.put("string", new String[] {"valueString", "\"x\""});
        VALUES.put("code", new String[] {"valueCode", "\"x\""});
        VALUES.put("uri", new String[] {"valueUri", "\"http://example.org/x\""});
        VALUES.put("boolean", new String[] {"valueBoolean", "true"});
        VALUES.put("integer", new String[] {"valueInteger", "1"});
        VALUES.put("Coding", new String[] {"valueCoding", "{\"system\":\"http://example.org\",\"code\":\"x\"}"});
    }

    private static String validValue(Op op, Param param) {
        if (param.type() == null) {
            return null; // nothing to say about an untyped parameter (e.g. $validate's profile): left out
        }
        String[] value = VALUES.get(param.type());
        if (value != null) {
            return part(param.name(), value[0], value[1]);
        }
        // a resource parameter: a resource of the operation's type
        return "{\"name\":\"" + param.name() + "\",\"resource\":{\"resourceType\":\""
                + (op.type() == null ? "Patient" : op.type()) + "\"}}";
    }

    private static String wrongValue(Param param) {
        return switch (param.type()) {
            case "Reference", "Coding" -> part(param.name(), "valueBoolean", "true");
            case "string", "code", "uri", "dateTime", "date", "instant", "boolean", "integer" ->
                    part(param.name(), "valueReference", "{\"reference\":\"Patient/" + PATIENT + "\"}");
            default -> part(param.name(), "valueString", "\"x\""); // a resource parameter given a string
        };
    }

    private static String part(String name, String valueElement, String valueJson) {
        return "{\"name\":\"" + name + "\",\"" + valueElement + "\":" + valueJson + "}";
    }

    private static String parameters(List<String> parts) {
        return "{\"resourceType\":\"Parameters\"" + (parts.isEmpty() ? "" : ",\"parameter\":[" + String.join(",", parts)
                + "]") + "}";
    }

    // ---------------------------------------------------------------- requests and checks

    private static HttpResponse<String> post(String path, String body) {
        return FhirServer.send("POST", path, JSON, body);
    }

    private static void put(String type, String id, String members) {
        HttpResponse<String> response = FhirServer.send("PUT", "/" + type + "/" + id, JSON,
                "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"," + members + "}");
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    /** status 0: any answer but a server error; -1: any 4xx. */
    private static DynamicTest expect(String name, Supplier<HttpResponse<String>> call, int status, String mentions) {
        return DynamicTest.dynamicTest(name + (status == 0 ? " → not a 5xx" : status < 0 ? " → 4xx" : " → " + status),
                () -> assertOutcome(call.get(), status, mentions));
    }

    private static void assertOutcome(HttpResponse<String> response, int status, String mentions) {
        String body = response.body();
        assertThat(response.statusCode()).as("never a server error; body: %s", body).isLessThan(500);
        assertThat(body).as("no stack trace").doesNotContain("\tat ", "at org.", "at ca.uhn.", "Exception:");
        if (status == 0) {
            return;
        }
        if (status < 0) {
            assertThat(response.statusCode()).as("status; body: %s", body).isBetween(400, 499);
        } else {
            assertThat(response.statusCode()).as("status; body: %s", body).isEqualTo(status);
        }
        JsonNode outcome = json(response);
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        if (mentions != null) {
            assertThat(outcome.path("issue").path(0).path("diagnostics").asText()).contains(mentions);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
