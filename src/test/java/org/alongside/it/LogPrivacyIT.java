package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No patient data in logs: records are written with names no one else uses, then read, searched, written
 * wrongly and refused in the ways that make servers log (bad search values, conflicts, failed
 * preconditions, denied access, invalid tokens). Then every file the server wrote under its logs directory
 * (messages, console, FFDC incidents) is searched for those names.
 */
class LogPrivacyIT {

    private static final String JSON = "application/fhir+json";

    @Test
    void serverLogsNeverCarryPatientNames() throws IOException {
        String family = "Quxlogtest" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String given = "Privgiven" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String system = FhirServer.uniqueSystem();
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"1\"}],"
                + "\"name\":[{\"family\":\"" + family + "\",\"given\":[\"" + given + "\"]}]}";
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient));
        answers.add(FhirServer.get("/Patient?name=" + family));
        answers.add(FhirServer.get("/Patient?name:bogus=" + family));
        answers.add(FhirServer.get("/Patient?birthdate=" + family));
        answers.add(FhirServer.get("/Patient?" + family + "=1"));
        // two matches: the conditional update fails inside its transaction (412)
        answers.add(FhirServer.send("PUT", "/Patient?family=" + family, JSON, patient));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient.replace("\"name\"", "\"nome\"")));
        answers.add(FhirServer.send("POST", "/Patient", JSON, patient, "If-None-Exist", "family=" + family));
        answers.add(FhirServer.send("GET", "/Patient?name=" + family, null, null, "Authorization",
                "Bearer " + FhirServer.token("peer-specialist", "Practitioner/" + given, "user/*.rs", null)));
        answers.add(FhirServer.send("DELETE", "/Patient?family=" + family, null, null, "Authorization",
                "Bearer " + FhirServer.token("clinician", "Practitioner/" + given, "user/*.cruds", null)));
        // a refused token: Liberty quotes rejected tokens in trace.log (see docs/security.md), so this one carries no
        // name; the search values around it do
        answers.add(FhirServer.send("GET", "/Patient?name=" + family, null, null, "Authorization",
                "Bearer not.a.token"));
        assertThat(answers).extracting(HttpResponse::statusCode).contains(201, 200, 400, 412, 403, 401);

        Path logs = Path.of(System.getProperty("alongside.it.serverLogs", "target/liberty/wlp/usr/servers/alongside/logs"));
        assertThat(logs).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (text.contains(family) || text.contains(given)) {
                    offenders.add(logs.relativize(file).toString());
                }
            }
        }
        assertThat(offenders).as("log files that quote a patient's name").isEmpty();
    }
}
