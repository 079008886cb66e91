package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the attack tests ({@link OneDoorHolesIT}, {@link AttackSuiteIT}) share: requests sent with a given token,
 * Bundles built and taken apart, and the bodies of the records their scenes are made of (written as plain
 * JSON, so the tests depend on nothing of the server's code).
 */
final class AttackSupport {

    static final String JSON = "application/fhir+json";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    static final String MESSAGE_CATEGORY = "http://alongside.health/fhir/CodeSystem/message-category";
    static final String CLIENT_ID_SYSTEM = "urn:ietf:params:oauth:client-id";

    private AttackSupport() {
    }

    /** Sends with the given bearer token (null: the EHR-system token of the program's own integration). */
    static HttpResponse<String> as(String token, String method, String path, String body, String... headers) {
        return typed(token, method, path, body == null ? null : JSON, body, headers);
    }

    /** As above, with a body of another media type (JSON Patch). */
    static HttpResponse<String> typed(String token, String method, String path, String contentType, String body,
                                      String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (token != null) {
            all.add("Authorization");
            all.add("Bearer " + token);
        }
        return FhirServer.send(method, path, contentType, body, all.toArray(String[]::new));
    }

    /** A JSON Patch that adds an identifier (the marker a write case looks for afterwards). */
    static String jsonPatchAddingIdentifier(String system, String value) {
        return "[{\"op\":\"add\",\"path\":\"/identifier/-\",\"value\":{\"system\":\"" + system + "\",\"value\":\""
                + value + "\"}}]";
    }

    /** The same as a FHIRPath Patch (a Parameters resource), for Bundle entries. */
    static String fhirPathPatchAddingIdentifier(String type, String system, String value) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":["
                + "{\"name\":\"type\",\"valueCode\":\"add\"},{\"name\":\"path\",\"valueString\":\"" + type + "\"},"
                + "{\"name\":\"name\",\"valueString\":\"identifier\"},{\"name\":\"value\",\"valueIdentifier\":"
                + "{\"system\":\"" + system + "\",\"value\":\"" + value + "\"}}]}]}";
    }

    static HttpResponse<String> get(String token, String path, String... headers) {
        return as(token, "GET", path, null, headers);
    }

    /** Stores a record with the program's EHR token (inside the Part 2 program); fails the test unless stored. */
    static void put(String type, String id, String members) {
        HttpResponse<String> r = FhirServer.send("PUT", "/" + type + "/" + id, JSON,
                "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"" + (members.isEmpty() ? "" : "," + members) + "}");
        assertThat(r.statusCode()).as(type + "/" + id + ": " + r.body()).isIn(200, 201);
    }

    static Bundle bundle(String json) {
        return FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, json);
    }

    static Resource resource(String json) {
        return (Resource) FhirServer.FHIR.newJsonParser().parseResource(json);
    }

    /** Type/id of every entry resource of a Bundle (searchset: matches and includes alike). */
    static Set<String> ids(Bundle bundle) {
        Set<String> ids = new LinkedHashSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() && entry.getResource().getIdElement().hasIdPart()) {
                ids.add(entry.getResource().fhirType() + "/" + entry.getResource().getIdElement().getIdPart());
            }
        }
        return ids;
    }

    /** A batch or transaction Bundle of request entries; each entry is {method, url[, resource json[, ifNoneExist]]}. */
    static String requestBundle(String type, List<String[]> entries) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"").append(type).append("\",\"entry\":[");
        for (int i = 0; i < entries.size(); i++) {
            String[] e = entries.get(i);
            json.append(i == 0 ? "" : ",").append("{");
            if (e.length > 2 && e[2] != null) {
                json.append("\"resource\":").append(e[2]).append(",");
            }
            json.append("\"request\":{\"method\":\"").append(e[0]).append("\",\"url\":\"").append(e[1]
                    .replace("\"", "\\\"")).append("\"");
            if (e.length > 3 && e[3] != null) {
                json.append(",\"ifNoneExist\":\"").append(e[3]).append("\"");
            }
            json.append("}}");
        }
        return json.append("]}").toString();
    }

    static List<String[]> entries(String[]... entries) {
        return java.util.Arrays.asList(entries);
    }

    static String[] entry(String method, String url) {
        return new String[] {method, url};
    }

    static String[] entry(String method, String url, String resource) {
        return new String[] {method, url, resource};
    }

    /** The HTTP status code at the start of a Bundle entry's response.status ("403 Forbidden" → 403). */
    static int status(Bundle.BundleEntryComponent entry) {
        String status = entry.getResponse().getStatus();
        return status == null || status.length() < 3 ? -1 : Integer.parseInt(status.substring(0, 3));
    }

    // ------------------------------------------------------------------ record bodies (members, without id)

    static String patient(String family) {
        return "\"name\":[{\"family\":\"" + family + "\"}]";
    }

    static String identifier(String system, String value) {
        return "\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"" + value + "\"}]";
    }

    /**
     * Sessions happen today (an assignment made today covers them, from the start of the day): a minute ending a
     * minute before the tests started, or the first minute of the day just after midnight.
     */
    static final String SESSION_START = sessionStart().toString();
    static final String SESSION_END = sessionStart().plusSeconds(60).toString();

    private static java.time.Instant sessionStart() {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        java.time.Instant today = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        return now.minusSeconds(120).isBefore(today) ? today.plusSeconds(1) : now.minusSeconds(120);
    }

    /**
     * A peer support session (HCPCS H0038): a Part 2 record, labelled by the server in Part 2 mode. The author must
     * be a peer role assigned to the patient (the server's session rule).
     */
    static String session(String patient, String author, String basedOn) {
        return "\"extension\":[{\"url\":\"http://alongside.health/fhir/StructureDefinition/session-modality\","
                + "\"valueCoding\":{\"system\":\"http://alongside.health/fhir/CodeSystem/session-modality\",\"code\":"
                + "\"in-person\"}}],\"status\":\"finished\",\"class\":{\"system\":\"" + ACT_CODE + "\",\"code\":\"AMB\"},"
                + "\"type\":[{\"coding\":[{\"system\":\"" + HCPCS + "\",\"code\":\"H0038\"}]}],"
                + (basedOn == null ? "" : "\"basedOn\":[{\"reference\":\"" + basedOn + "\"}],")
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"period\":{\"start\":\"" + SESSION_START + "\",\"end\":\"" + SESSION_END + "\"}"
                + (author == null ? "" : ",\"participant\":[{\"individual\":{\"reference\":\"" + author + "\"}}]");
    }

    /** An ordinary visit (no H0038): not a Part 2 record. */
    static String visit(String patient, String author) {
        return "\"status\":\"finished\",\"class\":{\"system\":\"" + ACT_CODE + "\",\"code\":\"AMB\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}"
                + (author == null ? "" : ",\"participant\":[{\"individual\":{\"reference\":\"" + author + "\"}}]");
    }

    /** An encouragement (Alongside message category): a Part 2 record. */
    static String message(String patient, String author, String basedOn, String text) {
        return "\"status\":\"completed\",\"category\":[{\"coding\":[{\"system\":\"" + MESSAGE_CATEGORY
                + "\",\"code\":\"encouragement\"}]}],"
                + (basedOn == null ? "" : "\"basedOn\":[{\"reference\":\"" + basedOn + "\"}],")
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"sent\":\"2025-03-02T18:00:00Z\","
                + "\"recipient\":[{\"reference\":\"Patient/" + patient + "\"}]"
                + (author == null ? "" : ",\"sender\":{\"reference\":\"" + author + "\"}")
                + ",\"payload\":[{\"contentString\":\"" + text + "\"}]";
    }

    static String goal(String patient) {
        return "\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"Walk daily\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
    }

    static String carePlan(String patient, String goal) {
        return "\"status\":\"active\",\"intent\":\"plan\",\"subject\":{\"reference\":\"Patient/" + patient + "\"}"
                + (goal == null ? "" : ",\"goal\":[{\"reference\":\"" + goal + "\"}]");
    }

    /** An active CareTeam serving the patient, listing the members (references). */
    static String careTeam(String patient, String... members) {
        StringBuilder json = new StringBuilder("\"status\":\"active\",\"subject\":{\"reference\":\"Patient/")
                .append(patient).append("\"},\"participant\":[");
        for (int i = 0; i < members.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"member\":{\"reference\":\"").append(members[i]).append("\"}}");
        }
        return json.append("]").toString();
    }

    static String organization(String name) {
        return "\"name\":\"" + name + "\"";
    }

    /** A peer specialist role (NUCC 175T00000X) of the practitioner, optionally supervised by another role. */
    static String peerRole(String practitioner, String organization, String supervisorRole, boolean active) {
        return "\"active\":" + active + ",\"practitioner\":{\"reference\":\"Practitioner/" + practitioner
                + "\"},\"organization\":{\"reference\":\"Organization/" + organization + "\"},\"code\":[{\"coding\":"
                + "[{\"system\":\"http://nucc.org/provider-taxonomy\",\"code\":\"175T00000X\"}]}]"
                + (supervisorRole == null ? "" : ",\"extension\":[{\"url\":"
                + "\"http://alongside.health/fhir/StructureDefinition/supervised-by\",\"valueReference\":"
                + "{\"reference\":\"PractitionerRole/" + supervisorRole + "\"}}]");
    }

    /** A Part 2 consent: the patient permits disclosure to the client (by client id) for treatment. */
    static String consent(String patient, String clientId, String status) {
        return "\"status\":\"" + status + "\","
                + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
                + "\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"IDSCL\"}]}],"
                + "\"patient\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"policy\":[{\"uri\":\"https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2\"}],"
                + "\"provision\":{\"type\":\"permit\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"" + CLIENT_ID_SYSTEM + "\",\"value\":\"" + clientId
                + "\"}}}],\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                + "\"code\":\"TREAT\"}],\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"SUD\"}]}";
    }

    /** Parameters of $assign-peer-mentor. */
    static String assignment(String peerRole, String assigner) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"peer\",\"valueReference\":"
                + "{\"reference\":\"PractitionerRole/" + peerRole + "\"}},{\"name\":\"assigner\",\"valueReference\":"
                + "{\"reference\":\"" + assigner + "\"}}]}";
    }

    /** Assigns the peer within the plan (program's EHR token); returns the id of the referral ServiceRequest. */
    static String assign(String carePlan, String peerRole, String assigner) {
        HttpResponse<String> r = FhirServer.send("POST", "/CarePlan/" + carePlan + "/$assign-peer-mentor", JSON,
                assignment(peerRole, assigner));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return bundle(r.body()).getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(res -> res.fhirType().equals("ServiceRequest")).findFirst().orElseThrow()
                .getIdElement().getIdPart();
    }
}
