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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input the HTTP edge must refuse with a FHIR OperationOutcome before anything is parsed or stored: form-encoded
 * search bodies over the size limit, bodies that are not valid UTF-8, strings with control characters (FHIR
 * strings may not contain them), and URLs the container itself refuses (encoded slashes, excessive length).
 */
class EdgeInputIT {

    private static final String JSON = "application/fhir+json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    // ---------------------------------------------------------------- form-encoded search bodies (hole 10)

    /** A form body a little over the 5 MiB limit: one huge name value. */
    private static byte[] largeForm() {
        return ("name=" + "x".repeat(6 * 1024 * 1024)).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void formSearchWithinTheLimitStillSearchesByTheBody() {
        String system = FhirServer.uniqueSystem();
        assertThat(FhirServer.send("POST", "/Patient", JSON, patient(system, "Formed") + "\"}]}").statusCode())
                .isEqualTo(201);
        String form = "identifier=" + URLEncoder.encode(system + "|x", StandardCharsets.UTF_8) + "&_summary=count";
        HttpResponse<String> response = FhirServer.send("POST", "/Patient/_search", FORM, form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"total\":1");
        // the same with a query string as well (HAPI then reads the body itself)
        HttpResponse<String> mixed = FhirServer.send("POST", "/Patient/_search?_summary=count", FORM,
                "identifier=" + URLEncoder.encode(system + "|x", StandardCharsets.UTF_8));
        assertThat(mixed.body()).contains("\"total\":1");
    }

    @Test
    void formSearchOverTheLimitIs413ByContentLength() throws Exception {
        HttpRequest request = authorized("/Patient/_search").header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(largeForm())).build();
        assertOutcome(send(request), 413);
    }

    @Test
    void chunkedFormSearchOverTheLimitIs413WhileStreaming() throws Exception {
        byte[] body = largeForm();
        // no Content-Length: the limit must hold while the body is read
        HttpRequest request = authorized("/Patient/_search").header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        assertOutcome(send(request), 413);
    }

    // ---------------------------------------------------------------- character hygiene (hole 11)

    @Test
    void invalidUtf8InAJsonBodyIs400AndStoresNothing() throws Exception {
        String system = FhirServer.uniqueSystem();
        byte[] body = concat(patient(system, "Bad").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff,
                (byte) 0xfe}, "Utf\"}]}".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = authorized("/Patient").header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        assertOutcome(send(request), 400);
        assertThat(count(system)).isZero();
    }

    @Test
    void invalidUtf8InAnXmlBodyIs400() throws Exception {
        byte[] body = concat("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Bad".getBytes(
                StandardCharsets.UTF_8), new byte[] {(byte) 0xc3, (byte) 0x28}, "\"/></name></Patient>".getBytes(
                StandardCharsets.UTF_8));
        HttpRequest request = authorized("/Patient").header("Content-Type", "application/fhir+xml")
                .header("Accept", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        assertOutcome(send(request), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u001b", "\\u001B[31m", "\\u0007", "\\u001f"})
    void escapedControlCharactersInStringsAre400AndStoreNothing(String escape) {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON, patient(system, "Esc" + escape + "ape")
                + "\"}]}");
        assertOutcome(response, 400);
        assertThat(count(system)).isZero();
    }

    @Test
    void controlCharactersInsideABundleAre400() {
        String system = FhirServer.uniqueSystem();
        String entry = patient(system, "In\\u0000Bundle") + "\"}]}";
        HttpResponse<String> response = FhirServer.send("POST", "", JSON, "{\"resourceType\":\"Bundle\",\"type\":"
                + "\"transaction\",\"entry\":[{\"request\":{\"method\":\"POST\",\"url\":\"Patient\"},\"resource\":"
                + entry + "}]}");
        assertOutcome(response, 400);
        assertThat(count(system)).isZero();
    }

    @Test
    void aJsonPatchIsHeldToTheCharacterAndNestingRulesOfAResource() {
        String system = FhirServer.uniqueSystem();
        HttpResponse<String> created = FhirServer.send("POST", "/Patient", JSON, patient(system, "Plain") + "\"}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String path = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/fhir(/Patient/[^/]+)/.*", "$1");
        String deep = "{\"a\":".repeat(150) + "1" + "}".repeat(150);

        assertOutcome(FhirServer.send("PATCH", path, "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Esc\\u001bape\"}]"), 400);
        assertOutcome(FhirServer.send("PATCH", path, "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/extension\",\"value\":" + deep + "}]"), 400);
        assertThat(FhirServer.get(path).body()).contains("\"versionId\":\"1\"", "Plain");
    }

    @Test
    void tabsNewlinesAndEscapedTextStayAllowed() {
        String system = FhirServer.uniqueSystem();
        // tab, CR and LF are allowed; an escaped backslash followed by "u0000" is plain text, not a control character
        HttpResponse<String> response = FhirServer.send("POST", "/Patient", JSON,
                patient(system, "Line\\tone\\r\\ntwo \\\\u0000 \\u00e9") + "\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(count(system)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- URLs the container refuses (hole 11)

    @ParameterizedTest
    @ValueSource(strings = {"/Patient/..%2F..%2Fetc", "/Patient/x%2F..", "/..%2Fauth/jwks"})
    void encodedSlashesInThePathAreAFhirOutcome(String path) throws Exception {
        HttpResponse<String> response = send(authorized(path).GET().build());
        assertOutcome(response, 400);
    }

    @Test
    void aHundredKilobyteUrlIs414WithAnOutcome() throws Exception {
        String name = "a".repeat(100 * 1024);
        HttpResponse<String> response = send(authorized("/Patient?name=" + name).GET().build());
        assertOutcome(response, 414);
    }

    @Test
    void aLongButReasonableUrlStillWorks() throws Exception {
        HttpResponse<String> response = send(authorized("/Patient?_count=1&name=" + "a".repeat(8000)).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private static String patient(String system, String familyStart) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system
                + "\",\"value\":\"x\"}],\"name\":[{\"family\":\"" + familyStart;
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.toByteArray();
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(FhirServer.fhirBase() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + FhirServer.systemToken());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String system) {
        HttpResponse<String> response = FhirServer.get("/Patient?identifier="
                + URLEncoder.encode(system + "|x", StandardCharsets.UTF_8) + "&_summary=count");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return MAPPER.readTree(response.body()).path("total").asInt(-1);
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** The status, a FHIR JSON OperationOutcome (never the container's HTML or an empty body), no stack trace. */
    private static void assertOutcome(HttpResponse<String> response, int status) {
        String body = response.body();
        String shown = body == null || body.length() < 400 ? body : body.substring(0, 400) + "...";
        assertThat(response.statusCode()).as("status; body: %s", shown).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as("content type")
                .contains("fhir+json");
        JsonNode outcome;
        try {
            outcome = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + shown, e);
        }
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.path("issue").path(0).path("severity").asText()).isEqualTo("error");
        assertThat(body).doesNotContain("Exception", "\tat ", "at com.", "at org.");
    }
}
