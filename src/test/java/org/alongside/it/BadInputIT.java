package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Every class of bad input is answered with a FHIR OperationOutcome (never a stack trace), the right 4xx status,
 * and nothing written. "Nothing written" is checked by counting resources that carry the request's unique
 * identifier system, which must stay 0 after the refused request.
 */
class BadInputIT {

    private static final String JSON = "application/fhir+json";
    private static final String XML = "application/fhir+xml";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    // ---------------------------------------------------------------- helpers

    /** A minimal valid Patient JSON carrying the identifier system|x, with extra members spliced in. */
    private static String patientJson(String system, String extraMembers) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"x\"}]"
                + (extraMembers.isEmpty() ? "" : "," + extraMembers) + "}";
    }

    /** Number of resources of the type whose identifier is system|x. */
    private static int countWithIdentifier(String type, String system) {
        HttpResponse<String> response = FhirServer.get("/" + type + "?identifier="
                + URLEncoder.encode(system + "|x", StandardCharsets.UTF_8) + "&_summary=count");
        assertThat(response.statusCode()).as("count search: %s", response.body()).isEqualTo(200);
        try {
            JsonNode bundle = MAPPER.readTree(response.body());
            assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
            return bundle.path("total").asInt(-1);
        } catch (IOException e) {
            throw new AssertionError("count search did not answer JSON: " + response.body(), e);
        }
    }

    private static void assertNothingStored(String type, String system) {
        assertThat(countWithIdentifier(type, system)).as("resources written by the refused request").isZero();
    }

    /** Status, an OperationOutcome body (JSON or XML) and no trace of Java internals. */
    private static void assertOperationOutcome(HttpResponse<String> response, int expectedStatus) {
        String body = response.body();
        assertThat(response.statusCode()).as("status; body: %s", abbreviate(body)).isEqualTo(expectedStatus);
        assertThat(body).as("an OperationOutcome in JSON or XML")
                .satisfiesAnyOf(b -> assertThat(b).contains("\"resourceType\":\"OperationOutcome\""),
                        b -> assertThat(b).contains("<OperationOutcome"));
        assertNoStackTrace(body);
    }

    private static void assertNoStackTrace(String body) {
        assertThat(body).as("no Java stack trace or exception class in the answer")
                .doesNotContain("at org.", "at java.", "at ca.uhn.", "at com.", "Exception:", "\tat ",
                        "java.lang.");
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 500 ? body : body.substring(0, 500) + "...";
    }

    private static String createPatient(String system) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue("x");
        patient.addName().setFamily("Original");
        return FhirServer.client().create().resource(patient).execute().getId().getIdPart();
    }

    private static String versionOf(String type, String id) {
        HttpResponse<String> read = FhirServer.get("/" + type + "/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        return FhirServer.FHIR.newJsonParser().parseResource(Patient.class, read.body()).getMeta().getVersionId();
    }

    // ---------------------------------------------------------------- the counting check itself works

    @Test
    void identifierCountSeesAWriteSoZeroMeansNothingWasWritten() {
        String system = FhirServer.uniqueSystem();
        assertThat(countWithIdentifier("Patient", system)).isZero();
        HttpResponse<String> created = FhirServer.send("POST", "/Patient", JSON, patientJson(system, ""));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(countWithIdentifier("Patient", system)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- unparseable or invalid bodies

    @Test
    void malformedJsonIs400() {
        String system = FhirServer.uniqueSystem();
        String truncated = patientJson(system, "\"active\":true").replaceFirst("}$", ""); // unterminated object
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, truncated);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void malformedXmlIs400() {
        String system = FhirServer.uniqueSystem();
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><system value=\"" + system
                + "\"/><value value=\"x\"/></identifier><name><family value=\"Open\"/>"; // never closed
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", XML, xml);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void unknownJsonElementIs400() {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, patientJson(system, "\"foo\":1"));
        assertOperationOutcome(response, 400);
        assertThat(response.body()).contains("foo");
        assertNothingStored("Patient", system);
    }

    @Test
    void wrongPrimitiveDateIs400() {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON,
                patientJson(system, "\"birthDate\":\"not-a-date\""));
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void wrongPrimitiveBooleanIs400() {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON,
                patientJson(system, "\"active\":\"yes\""));
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void wrongPrimitiveOnUpdateIs400AndLeavesTheResourceAlone() {
        String system = FhirServer.uniqueSystem();
        String id = createPatient(system);
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}],\"active\":\"yes\"}";
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/" + id, JSON, body);
        assertOperationOutcome(response, 400);
        assertThat(versionOf("Patient", id)).as("no new version").isEqualTo("1");
    }

    // ---------------------------------------------------------------- unknown / gone targets

    @Test
    void unknownResourceTypeIs404() {
        assertOperationOutcome(FhirServer.get("/Foo/1"), 404);
    }

    @Test
    void unknownIdIs404() {
        assertOperationOutcome(FhirServer.get("/Patient/unknown-" + UUID.randomUUID()), 404);
    }

    @Test
    void readOfDeletedResourceIs410() {
        String id = createPatient(FhirServer.uniqueSystem());
        HttpResponse<String> deleted = FhirServer.send("DELETE", "/Patient/" + id, null, null);
        assertThat(deleted.statusCode()).isIn(200, 204);
        assertOperationOutcome(FhirServer.get("/Patient/" + id), 410);
    }

    // ---------------------------------------------------------------- search parameters

    @Test
    void unparseableDateSearchValueIs400() {
        assertOperationOutcome(FhirServer.get("/Communication?sent=notadate"), 400);
    }

    @Test
    void nonNumericCountIs400() {
        assertOperationOutcome(FhirServer.get("/Patient?_count=abc"), 400);
    }

    @Test
    void unknownSearchParameterIs400() {
        HttpResponse<String> response = FhirServer.get("/Patient?nonsense=1");
        assertOperationOutcome(response, 400);
        assertThat(response.body()).contains("nonsense");
    }

    @Test
    void unknownSearchParameterIsIgnoredWhenTheClientAsksForLenientHandling() {
        HttpResponse<String> response = FhirServer.get("/Patient?nonsense=1", "Prefer", "handling=lenient");
        assertThat(response.statusCode()).as(abbreviate(response.body())).isEqualTo(200);
        assertThat(response.body()).contains("\"resourceType\":\"Bundle\"").contains("\"searchset\"");
    }

    // ---------------------------------------------------------------- preconditions

    @Test
    void staleIfMatchIs412AndWritesNothing() {
        String system = FhirServer.uniqueSystem();
        String id = createPatient(system);
        String v2 = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}],\"name\":[{\"family\":\"Second\"}]}";
        assertThat(FhirServer.send("PUT", "/Patient/" + id, JSON, v2).statusCode()).isEqualTo(200);

        String stale = v2.replace("Second", "Third");
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/" + id, JSON, stale, "If-Match", "W/\"1\"");
        assertOperationOutcome(response, 412);
        assertThat(versionOf("Patient", id)).isEqualTo("2");
        assertThat(FhirServer.get("/Patient/" + id).body()).contains("Second").doesNotContain("Third");
    }

    // ---------------------------------------------------------------- methods and media types

    @Test
    void patchOnAVersionIs405WithAllowHeaderAndChangesNothing() {
        String id = createPatient(FhirServer.uniqueSystem());
        String patch = "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Patched\"}]";
        HttpResponse<String> response = FhirServer.send("PATCH", "/Patient/" + id + "/_history/1",
                "application/json-patch+json", patch);
        assertOperationOutcome(response, 405);
        assertThat(response.headers().firstValue("Allow").orElseThrow()).contains("GET").doesNotContain("PATCH");
        assertThat(versionOf("Patient", id)).isEqualTo("1");
        assertThat(FhirServer.get("/Patient/" + id).body()).doesNotContain("Patched");
    }

    @Test
    void xmlPatchAndJsonPatchOutsidePatchAre415() {
        String id = createPatient(FhirServer.uniqueSystem());
        assertOperationOutcome(FhirServer.send("PATCH", "/Patient/" + id, "application/xml-patch+xml",
                "<diff><remove sel=\"/Patient/name\"/></diff>"), 415);
        assertOperationOutcome(FhirServer.send("PUT", "/Patient/" + id, "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/name\"}]"), 415);
        assertThat(versionOf("Patient", id)).isEqualTo("1");
    }

    @Test
    void deleteOnMetadataIs405WithAllowHeader() {
        HttpResponse<String> response = FhirServer.send("DELETE", "/metadata", null, null);
        assertOperationOutcome(response, 405);
        String allow = response.headers().firstValue("Allow").orElse("");
        assertThat(allow).as("Allow header").contains("GET").doesNotContain("DELETE");
        assertThat(FhirServer.get("/metadata").statusCode()).isEqualTo(200);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        String system = FhirServer.uniqueSystem();
        // a perfectly good Patient, labelled as plain text
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", "text/plain", patientJson(system, ""));
        assertOperationOutcome(response, 415);
        assertNothingStored("Patient", system);
    }

    // ---------------------------------------------------------------- size and shape limits

    /** A valid Patient JSON of about 6 MB: over the 5 MiB limit. */
    private static String largePatient(String system) {
        String longName = "x".repeat(1000);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 6_000; i++) {
            names.append(i == 0 ? "" : ",").append("{\"family\":\"").append(longName).append("\"}");
        }
        String body = patientJson(system, "\"name\":[" + names + "]");
        assertThat(body.length()).isGreaterThan(6_000_000);
        return body;
    }

    @Test
    void bodyOverFiveMebibytesIs413() {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, largePatient(system));
        assertOperationOutcome(response, 413);
        assertNothingStored("Patient", system);
    }

    @Test
    void chunkedBodyOverFiveMebibytesIs413() throws Exception {
        // no Content-Length: the limit must hold while the body is streamed
        String system = FhirServer.uniqueSystem();
        byte[] body = largePatient(system).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(FhirServer.fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + FhirServer.systemToken())
                .timeout(Duration.ofSeconds(60)).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = sendRaw(request);
        assertOperationOutcome(response, 413);
        assertNothingStored("Patient", system);
    }

    @Test
    void gzipBodyThatInflatesOverFiveMebibytesIs413() throws Exception {
        // about 6 KB on the wire, about 6 MB once inflated
        String system = FhirServer.uniqueSystem();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(largePatient(system).getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(FhirServer.fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + FhirServer.systemToken())
                .timeout(Duration.ofSeconds(60)).header("Content-Type", JSON).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
                .build();
        HttpResponse<String> response = sendRaw(request);
        assertOperationOutcome(response, 413);
        assertNothingStored("Patient", system);
    }

    private static HttpResponse<String> sendRaw(HttpRequest request) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void xmlExternalEntityIsNotResolved() {
        String system = FhirServer.uniqueSystem();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<!DOCTYPE Patient [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><system value=\"" + system
                + "\"/><value value=\"x\"/></identifier><name><family value=\"&xxe;\"/></name></Patient>";
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", XML, xml);

        // the file's content must never come back, whatever the status
        assertThat(response.body()).doesNotContain("root:x:0");
        assertThat(response.statusCode()).as("status; body: %s", abbreviate(response.body())).isBetween(400, 499);
        assertOperationOutcome(response, response.statusCode());
        assertNothingStored("Patient", system);
    }

    @Test
    void xmlInternalEntityExpansionIsRefused() {
        // "billion laughs" kept tiny: if entities were expanded, the family name would be 30 x "lol"
        String system = FhirServer.uniqueSystem();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<!DOCTYPE Patient [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><identifier><system value=\"" + system
                + "\"/><value value=\"x\"/></identifier><name><family value=\"&c;\"/></name></Patient>";
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", XML, xml);
        assertThat(response.body()).doesNotContain("lollollol");
        assertThat(response.statusCode()).as("status; body: %s", abbreviate(response.body())).isBetween(400, 499);
        assertOperationOutcome(response, response.statusCode());
        assertNothingStored("Patient", system);
    }

    @Test
    void deeplyNestedArraysAre400AndTheServerSurvives() {
        String system = FhirServer.uniqueSystem();
        int depth = 100_000;
        String value = "[".repeat(depth) + "]".repeat(depth);
        String body = patientJson(system, "\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":"
                + value + "}]");
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
        assertThat(FhirServer.get("/metadata").statusCode()).as("server still answers").isEqualTo(200);
    }

    @Test
    void deeplyNestedExtensionsAre400AndTheServerSurvives() {
        String system = FhirServer.uniqueSystem();
        int depth = 5_000;
        String open = "\"extension\":[{\"url\":\"http://example.org/x\",";
        String body = patientJson(system, open.repeat(depth) + "\"valueString\":\"leaf\"" + "}]".repeat(depth));
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
        assertThat(FhirServer.get("/metadata").statusCode()).as("server still answers").isEqualTo(200);
    }

    @Test
    void deeplyNestedXmlExtensionsAre400AndTheServerSurvives() {
        // the same attack in XML, which the JSON depth guard does not see
        String system = FhirServer.uniqueSystem();
        int depth = 5_000;
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\">"
                + "<extension url=\"http://example.org/x\">".repeat(depth) + "<valueString value=\"leaf\"/>"
                + "</extension>".repeat(depth)
                + "<identifier><system value=\"" + system + "\"/><value value=\"x\"/></identifier></Patient>";
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", XML, xml);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
        assertThat(FhirServer.get("/metadata").statusCode()).as("server still answers").isEqualTo(200);
    }

    // ---------------------------------------------------------------- ids on update

    @Test
    void bodyIdContradictingUrlIdIs400() {
        String system = FhirServer.uniqueSystem();
        String urlId = "url-" + UUID.randomUUID();
        String bodyId = "body-" + UUID.randomUUID();
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + bodyId + "\",\"identifier\":[{\"system\":\""
                + system + "\",\"value\":\"x\"}]}";
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/" + urlId, JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
        assertThat(FhirServer.get("/Patient/" + urlId).statusCode()).isEqualTo(404);
        assertThat(FhirServer.get("/Patient/" + bodyId).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidClientIdOnUpdateIs400() {
        String system = FhirServer.uniqueSystem();
        // underscore and '!' are not allowed in a FHIR id ([A-Za-z0-9\-\.]{1,64})
        String body = "{\"resourceType\":\"Patient\",\"id\":\"bad_id!\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}]}";
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/bad_id!", JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void overlongClientIdOnUpdateIs400() {
        String system = FhirServer.uniqueSystem();
        String id = "a".repeat(65); // FHIR ids are at most 64 characters
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}]}";
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/" + id, JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
    }

    @Test
    void resourceTypeContradictingUrlIs400() {
        String system = FhirServer.uniqueSystem();
        String body = "{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}]}";
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, body);
        assertOperationOutcome(response, 400);
        assertNothingStored("Patient", system);
        assertNothingStored("Practitioner", system);
    }
}
