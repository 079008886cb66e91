package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * No patient data and no tokens in logs. Records are written with names no one else uses, then read, searched,
 * written wrongly and refused in the ways that make servers log: bad search values, conflicts, failed
 * preconditions, conditional references that match nothing, operations with unknown references, denied access,
 * and tokens that are forged, expired, unsigned or meant for another server. Then every file under the server's
 * logs directory (messages, console, trace, FFDC incidents and summaries) is searched for those values and for
 * any JWT at all.
 *
 * <p>Runs after every other integration test class ({@code @Order}, with the class orderer set in
 * junit-platform.properties), so the files it reads hold what the whole suite provoked.
 */
@Order(Integer.MAX_VALUE)
class LogPrivacyIT {

    private static final String JSON = "application/fhir+json";
    /** A JWS header or payload: base64url of a JSON object ("{"), as tokens are written. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}");

    @Test
    void serverLogsNeverCarryPatientDataOrTokens() throws IOException {
        String family = marker("Quxlogtest");
        String given = marker("Privgiven");
        String mrn = marker("Mrn");
        String unknownId = marker("ghost").toLowerCase();
        String system = FhirServer.uniqueSystem();
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\""
                + mrn + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"" + given + "\"]}]}";
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient));
        answers.add(FhirServer.get("/Patient?name=" + family));
        answers.add(FhirServer.get("/Patient?identifier=" + system + "|" + mrn));
        answers.add(FhirServer.get("/Patient?name:bogus=" + family));
        answers.add(FhirServer.get("/Patient?birthdate=" + family));
        answers.add(FhirServer.get("/Patient?" + family + "=1"));
        answers.add(FhirServer.get("/Patient/" + unknownId));
        // two matches: the conditional update fails inside its transaction (412)
        answers.add(FhirServer.send("PUT", "/Patient?family=" + family, JSON, patient));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient.replace("\"name\"", "\"nome\"")));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient, "If-None-Exist", "family=" + family));
        // a conditional reference that matches nothing, inside a transaction (its message quotes the search)
        answers.add(FhirServer.send("POST", "", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"},\"resource\":{\"resourceType\":\"Encounter\","
                + "\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient?name="
                + given + "\"}}}]}"));
        // an operation naming a person and a peer who do not exist
        answers.add(FhirServer.send("POST", "/Encounter/$record-peer-session", JSON, session(unknownId)));
        // a traversal attempt. Liberty itself logs the path of a URL it refuses for an encoded '/' (SRVE0315E, not
        // configurable), so this one carries no name: docs/security.md
        answers.add(FhirServer.get("/Patient/x%2F..%2Fy"));
        answers.add(FhirServer.send("GET", "/Patient?name=" + family, null, null, "Authorization",
                "Bearer " + FhirServer.token("peer-specialist", "Practitioner/" + given, "user/*.rs", null)));
        answers.add(FhirServer.send("DELETE", "/Patient?family=" + family, null, null, "Authorization",
                "Bearer " + FhirServer.token("clinician", "Practitioner/" + given, "user/*.cruds", null)));
        for (String refused : refusedTokens(given)) {
            answers.add(FhirServer.send("GET", "/Patient?name=" + family, null, null, "Authorization",
                    "Bearer " + refused));
        }
        assertThat(answers).extracting(HttpResponse::statusCode).contains(201, 200, 400, 404, 412, 403, 401)
                .doesNotContain(500);

        Path logs = Path.of(System.getProperty("alongside.it.serverLogs", "target/liberty/wlp/usr/servers/alongside/logs"));
        assertThat(logs).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String value : List.of(family, given, mrn, unknownId)) {
                    if (text.contains(value)) {
                        offenders.add(logs.relativize(file) + " quotes " + value);
                    }
                }
                Matcher token = JWT.matcher(text);
                if (token.find()) {
                    offenders.add(logs.relativize(file) + " quotes a token: " + token.group().substring(0, 12) + "...");
                }
            }
        }
        assertThat(offenders).as("log files that quote patient data or a token").isEmpty();
    }

    /** Tokens the server must refuse, each carrying the name in its claims: forged, expired, unsigned, foreign. */
    private static List<String> refusedTokens(String name) {
        String real = FhirServer.token("clinician", "Practitioner/" + name, "user/*.rs", null);
        String[] parts = real.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = parts[0] + "." + b64(payload.replace("clinician", "ehr-system")) + "." + parts[2];
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String expired = FhirServer.fetchToken("role=clinician&fhirUser=Practitioner/" + name + "&expiresIn=-300");
        return List.of(forged, unsigned, expired, parts[0] + "." + parts[1] + ".c2lnbmF0dXJl", "not." + parts[1] + ".x");
    }

    private static String session(String id) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/" + id + "\"}},"
                + "{\"name\":\"peer\",\"valueReference\":{\"reference\":\"PractitionerRole/" + id + "\"}},"
                + "{\"name\":\"start\",\"valueDateTime\":\"2026-01-05T10:00:00Z\"},"
                + "{\"name\":\"end\",\"valueDateTime\":\"2026-01-05T10:30:00Z\"},"
                + "{\"name\":\"modality\",\"valueString\":\"phone\"}]}";
    }

    private static String marker(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
