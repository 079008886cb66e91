package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The audit trail: every interaction leaves exactly one AuditEvent (each found by the X-Request-ID the test
 * sent), refused and failed ones included; writes are audited in their own transaction, so a rolled-back
 * write leaves only the record of its failure; the trail cannot be changed through the API; and a person's
 * accounting of disclosures lists what left the program about them.
 */
class AuditIT {

    private static final String JSON = "application/fhir+json";

    @Test
    void everyInteractionLeavesExactlyOneEvent() {
        String id = "audit-" + UUID.randomUUID();
        String patient = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Audited\"}]}";
        expectOne(call("PUT", "/Patient/" + id, patient), "update", "0");
        expectOne(call("GET", "/Patient/" + id, null), "read", "0");
        expectOne(call("GET", "/Patient/" + id + "/_history/1", null), "vread", "0");
        expectOne(call("GET", "/Patient?_id=" + id, null), "search-type", "0");
        expectOne(call("GET", "/Patient/" + id + "/_history", null), "history-instance", "0");
        expectOne(call("POST", "/Patient", "{\"resourceType\":\"Patient\"}"), "create", "0");
        expectOne(call("POST", "/Patient/$validate", patient.replace("\"id\":\"" + id + "\",", "")), "extended-operation-type", "0");
        expectOne(call("GET", "/Patient/does-not-exist-" + id, null), "read", "4");
        // refused while parsing, before HAPI knows the interaction: still one event, a failure
        expectOne(call("POST", "/Patient", "{\"resourceType\":\"Patient\",\"bogus\":1}"), null, "4");
        expectOne(call("DELETE", "/Patient/" + id, null), "delete", "0");
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Patient\"},\"resource\":{\"resourceType\":\"Patient\"}},"
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Patient\"},\"resource\":{\"resourceType\":\"Patient\"}}]}";
        AuditEvent tx = expectOne(call("POST", "", transaction), "transaction", "0");
        assertThat(tx.getEntity().stream().filter(e -> e.getWhat().getReference() != null
                && e.getWhat().getReference().contains("/_history/"))).as("both written resources").hasSize(2);
    }

    @Test
    void refusedRequestsAreAuditedWithWhoTried() {
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> noToken = FhirServer.send("GET", "/Patient", null, null, "Authorization", "",
                "X-Request-ID", requestId);
        assertThat(noToken.statusCode()).isEqualTo(401);
        AuditEvent unauthenticated = expectOne(requestId, null, "4");
        assertThat(unauthenticated.getAgentFirstRep().getWho().getDisplay()).isEqualTo("unauthenticated");

        String token = FhirServer.token("peer-specialist", "Practitioner/audit-peer", "user/*.cruds", null);
        requestId = UUID.randomUUID().toString();
        HttpResponse<String> denied = FhirServer.send("DELETE", "/Patient/anyone", null, null,
                "Authorization", "Bearer " + token, "X-Request-ID", requestId);
        assertThat(denied.statusCode()).isEqualTo(403);
        AuditEvent refused = expectOne(requestId, "delete", "4");
        assertThat(refused.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/audit-peer");
        assertThat(refused.getAgentFirstRep().getNetwork().getAddress()).isNotBlank();
    }

    @Test
    void aRolledBackWriteLeavesOnlyItsFailure() {
        String system = FhirServer.uniqueSystem();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Patient\"},\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"1\"}]}},"
                + "{\"request\":{\"method\":\"PUT\",\"url\":\"Patient/x\",\"ifMatch\":\"W/\\\"99\\\"\"},"
                + "\"resource\":{\"resourceType\":\"Patient\",\"id\":\"x\"}}]}";
        String requestId = call("POST", "", bundle);
        List<AuditEvent> events = events(requestId);
        // the transaction's failure, and the failure of the entry that caused it: nothing written is recorded
        assertThat(events).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactlyInAnyOrder("transaction", "update");
        assertThat(events).allMatch(e -> e.getOutcome().toCode().equals("4"));
        assertThat(events).flatExtracting(AuditEvent::getEntity).noneMatch(e -> e.getWhat().getReference() != null
                && e.getWhat().getReference().contains("/_history/"));
    }

    @Test
    void theTrailCannotBeChangedThroughTheApi() {
        String requestId = call("GET", "/Patient?_count=1", null);
        AuditEvent event = expectOne(requestId, "search-type", "0");
        String json = FhirServer.FHIR.newJsonParser().encodeResourceToString(event).replace("\"0\"", "\"8\"");
        for (HttpResponse<String> attempt : List.of(
                FhirServer.send("PUT", "/AuditEvent/" + event.getIdElement().getIdPart(), JSON, json),
                FhirServer.send("POST", "/AuditEvent", JSON, json),
                FhirServer.send("DELETE", "/AuditEvent/" + event.getIdElement().getIdPart(), null, null))) {
            assertThat(attempt.statusCode()).as(attempt.body()).isBetween(400, 499);
            assertThat(attempt.body()).contains("OperationOutcome");
        }
        AuditEvent again = FhirServer.client().read().resource(AuditEvent.class)
                .withId(event.getIdElement().getIdPart()).execute();
        assertThat(again.getOutcome().toCode()).isEqualTo("0");
    }

    @Test
    void onlyAdministratorsAndSystemsReadTheTrail() {
        String clinician = FhirServer.token("clinician", "Practitioner/audit-clin", "user/*.cruds", null);
        assertThat(FhirServer.send("GET", "/AuditEvent", null, null, "Authorization", "Bearer " + clinician)
                .statusCode()).isEqualTo(403);
        String admin = FhirServer.token("admin", "Practitioner/audit-admin", "user/*.rs", null);
        assertThat(FhirServer.send("GET", "/AuditEvent?_count=1", null, null, "Authorization", "Bearer " + admin)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void accountingOfDisclosuresListsWhatTheEhrRead() {
        String id = "disclosed-" + UUID.randomUUID();
        call("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
        String readId = call("GET", "/Patient/" + id, null);
        HttpResponse<String> accounting = FhirServer.get("/Patient/" + id + "/$accounting-of-disclosures");
        assertThat(accounting.statusCode()).as(accounting.body()).isEqualTo(200);
        Bundle bundle = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, accounting.body());
        List<String> requestIds = bundle.getEntry().stream().map(e -> requestIdOf((AuditEvent) e.getResource()))
                .collect(Collectors.toList());
        assertThat(requestIds).as("the read is a disclosure; the write that stored the record is not")
                .containsExactly(readId);
    }

    /**
     * No answered read without its audit event: the event is committed before the answer leaves. A trigger the test
     * owns makes PostgreSQL refuse this one request's event; the record must then not be released.
     */
    @Test
    void aReadWhoseAuditEventCannotBeCommittedIsNotAnswered() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only: a trigger refuses the event");
        String id = "unaudited-" + UUID.randomUUID();
        FhirServer.send("PUT", "/Patient/" + id, JSON,
                "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Unaudited\"}]}");
        String refused = "audit-refused-" + UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
             Statement sql = db.createStatement()) {
            sql.execute("CREATE OR REPLACE FUNCTION refuse_test_audit() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.request_id LIKE 'audit-refused-%' THEN RAISE EXCEPTION 'refused by AuditIT'; END IF;"
                    + " RETURN NEW; END $$ LANGUAGE plpgsql");
            sql.execute("CREATE TRIGGER refuse_test_audit BEFORE INSERT ON audit_event FOR EACH ROW"
                    + " EXECUTE FUNCTION refuse_test_audit()");
            try {
                HttpResponse<String> read = FhirServer.send("GET", "/Patient/" + id, null, null, "X-Request-ID", refused);
                assertThat(read.statusCode()).as("a read whose audit failed").isGreaterThanOrEqualTo(500);
                assertThat(read.body()).doesNotContain("Unaudited");
                // a read audited as usual meanwhile is answered: one refused event fails only its own request
                expectOne(call("GET", "/Patient/" + id, null), "read", "0");
            } finally {
                sql.execute("DROP TRIGGER refuse_test_audit ON audit_event");
                sql.execute("DROP FUNCTION refuse_test_audit()");
            }
        }
        assertThat(events(refused)).as("events of the refused request").isEmpty();
    }

    /** Sends with the EHR token and a fresh X-Request-ID; returns the id. */
    private static String call(String method, String path, String body) {
        String requestId = UUID.randomUUID().toString();
        FhirServer.send(method, path, body == null ? null : JSON, body, "X-Request-ID", requestId);
        return requestId;
    }

    private static AuditEvent expectOne(String requestId, String interaction, String outcome) {
        List<AuditEvent> events = events(requestId);
        assertThat(events).as("events for request " + requestId).hasSize(1);
        AuditEvent event = events.get(0);
        if (interaction != null) {
            assertThat(event.getSubtype()).extracting(Coding::getCode).contains(interaction);
        }
        assertThat(event.getOutcome().toCode()).isEqualTo(outcome);
        assertThat(event.getRecorded()).isNotNull();
        return event;
    }

    private static List<AuditEvent> events(String requestId) {
        Bundle bundle = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class,
                FhirServer.get("/AuditEvent?request-id=" + requestId).body());
        return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).collect(Collectors.toList());
    }

    private static String requestIdOf(AuditEvent event) {
        return event.getEntity().stream().filter(e -> e.getType().getCode() != null
                && e.getType().getCode().equals("XrequestId")).map(e -> e.getWhat().getIdentifier().getValue())
                .findFirst().orElse(null);
    }
}
