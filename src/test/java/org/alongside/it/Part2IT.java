package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;

/**
 * 42 CFR Part 2 mode (on for the test servers; their EHR integration client is inside the program):
 * peer support records are labelled when written, and leave the program only to a recipient named in an
 * active consent for the purpose asked, with the no-redisclosure label; counseling notes need their own
 * consent; revoking stops disclosure at once; every disclosure is in the patient's accounting.
 */
class Part2IT {

    private static final String JSON = "application/fhir+json";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String OUTSIDE = "outside-hie-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void peerSupportRecordsLeaveTheProgramOnlyUnderConsent() throws Exception {
        String patient = "p2-" + UUID.randomUUID();
        put("/Patient/" + patient, "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}");
        String message = "msg-" + patient;
        put("/Communication/" + message, encouragement(message, patient, false));

        Communication stored = FhirServer.client().read().resource(Communication.class).withId(message).execute();
        Coding sud = stored.getMeta().getSecurity().stream().filter(c -> "SUD".equals(c.getCode())).findFirst().orElseThrow();
        assertThat(sud.getSystem()).isEqualTo(ACT_CODE);
        assertThat(sud.getExtensionFirstRep().getValue()).isInstanceOf(Coding.class);
        assertThat(((Coding) sud.getExtensionFirstRep().getValue()).getCode()).isEqualTo("42CFRPart2");
        assertThat(stored.getMeta().getSecurity()).extracting(Coding::getCode).contains("R")
                .doesNotContain("NORDSCLCD");

        String outside = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=" + OUTSIDE);
        assertThat(read(message, outside).statusCode()).isEqualTo(403);
        HttpResponse<String> search = get("/Communication?subject=Patient/" + patient + "&_total=accurate", outside);
        assertThat(search.statusCode()).isEqualTo(200);
        // the total counts only what the consent check lets through
        assertThat(search.body()).doesNotContain(message).contains("\"total\":0");

        String consent = "consent-" + patient;
        put("/Consent/" + consent, consent(consent, patient, "TREAT", false, "active"));
        HttpResponse<String> disclosed = read(message, outside);
        assertThat(disclosed.statusCode()).isEqualTo(200);
        Communication copy = FhirServer.FHIR.newJsonParser().parseResource(Communication.class, disclosed.body());
        assertThat(copy.getMeta().getSecurity()).extracting(Coding::getCode).contains("NORDSCLCD", "SUD");
        assertThat(get("/Communication?subject=Patient/" + patient, outside).body()).contains(message);

        // a purpose the consent does not list
        String payment = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=" + OUTSIDE + "&purpose=HPAYMT");
        assertThat(read(message, payment).statusCode()).isEqualTo(403);
        // another recipient
        String stranger = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=someone-else");
        assertThat(read(message, stranger).statusCode()).isEqualTo(403);

        // a counseling note needs a consent that names counseling notes
        String note = "note-" + patient;
        put("/Communication/" + note, encouragement(note, patient, true));
        assertThat(read(note, outside).statusCode()).isEqualTo(403);
        put("/Consent/notes-" + patient, consent("notes-" + patient, patient, "TREAT", true, "active"));
        assertThat(read(note, outside).statusCode()).isEqualTo(200);

        // revoking stops disclosure at once
        put("/Consent/" + consent, consent(consent, patient, "TREAT", false, "inactive"));
        put("/Consent/notes-" + patient, consent("notes-" + patient, patient, "TREAT", true, "inactive"));
        assertThat(read(message, outside).statusCode()).isEqualTo(403);
        assertThat(read(note, outside).statusCode()).isEqualTo(403);

        // the program's own EHR integration is inside the program: no consent needed, no refrain label
        HttpResponse<String> inside = FhirServer.get("/Communication/" + message);
        assertThat(inside.statusCode()).isEqualTo(200);
        assertThat(inside.body()).doesNotContain("NORDSCLCD");

        // the accounting of disclosures names the outside recipient's successful reads
        Bundle accounting = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class,
                FhirServer.get("/Patient/" + patient + "/$accounting-of-disclosures").body());
        assertThat(accounting.getEntry()).extracting(e -> ((AuditEvent) e.getResource()).getAgentFirstRep().getName())
                .contains(OUTSIDE);
    }

    private static HttpResponse<String> read(String id, String token) {
        return get("/Communication/" + id, token);
    }

    private static HttpResponse<String> get(String path, String token) {
        return FhirServer.send("GET", path, null, null, "Authorization", "Bearer " + token);
    }

    private static void put(String path, String body) {
        HttpResponse<String> r = FhirServer.send("PUT", path, JSON, body);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static String encouragement(String id, String patient, boolean counselingNote) throws Exception {
        String example = Files.readString(Path.of("fhir-profiles/examples/valid/encouragement-log-1.json"));
        String json = example.replace("\"id\": \"msg-maria-1\"", "\"id\": \"" + id + "\"")
                .replace("Patient/maria-lopez", "Patient/" + patient);
        if (counselingNote) {
            json = json.replace("\"meta\": {", "\"meta\": {\"security\":[{\"system\":"
                    + "\"http://alongside.health/fhir/CodeSystem/part2-category\",\"code\":\"sud-counseling-note\"}],");
        }
        return json;
    }

    private static String consent(String id, String patient, String purpose, boolean notes, String status) {
        return "{\"resourceType\":\"Consent\",\"id\":\"" + id + "\",\"status\":\"" + status + "\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
                + "\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"IDSCL\"}]}],"
                + "\"patient\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"policy\":[{\"uri\":\"https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2\"}],"
                + "\"provision\":{\"type\":\"permit\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"urn:ietf:params:oauth:client-id\",\"value\":\""
                + OUTSIDE + "\"}}}],\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                + "\"code\":\"" + purpose + "\"}],\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"SUD\"}"
                + (notes ? ",{\"system\":\"http://alongside.health/fhir/CodeSystem/part2-category\","
                + "\"code\":\"sud-counseling-note\"}" : "") + "]}}";
    }
}
