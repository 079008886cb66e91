package org.alongside.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.alongside.security.Caller;
import org.alongside.security.Role;
import org.alongside.security.ScopeSet;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class AuditEventsTest {

    private static final Caller EHR = new Caller("svc-ehr", Set.of(Role.EHR_SYSTEM), ScopeSet.parse("system/*.read"),
            Optional.empty(), Optional.empty(), "epic-prod", "TREAT");
    private static final Caller PEER = new Caller("u-17", Set.of(Role.PEER_SPECIALIST), ScopeSet.parse("user/*.read"),
            Optional.of("PractitionerRole/pr-1"), Optional.empty(), "alongside-app", "TREAT");

    private static AuditNotes readNotes() {
        AuditNotes notes = new AuditNotes("req-1", "10.0.0.7", "GET");
        notes.interaction = "search-type";
        notes.action = "R";
        notes.query = "subject=Patient/p1&_count=20";
        return notes;
    }

    @Test
    void anOutsideSystemsReadIsRecordedAsADisclosureForOperations() {
        AuditRecord record = AuditEvents.record(readNotes(), EHR, 200, List.of("Communication/c1"), List.of("p1"),
                true, null);
        assertThat(record.purpose()).isEqualTo("HOPERAT");
        assertThat(record.agent().roles()).containsExactly("ehr-system");

        AuditEvent event = AuditEvents.toFhir(record);
        assertThat(event.getIdElement().getIdPart()).isEqualTo(record.id());
        assertThat(event.getSubtype()).extracting(Coding::getCode).containsExactly("search-type", "disclosure");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getOutcomeDesc()).isEqualTo("HTTP 200");
        assertThat(event.getRecorded().toInstant()).isEqualTo(record.recorded());
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("HOPERAT");
        AuditEvent.AuditEventAgentComponent requestor = event.getAgent().get(0);
        assertThat(requestor.getRequestor()).isTrue();
        assertThat(requestor.getWho().getIdentifier().getValue()).isEqualTo("svc-ehr");
        assertThat(requestor.getName()).isEqualTo("epic-prod");
        assertThat(requestor.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("ehr-system");
        assertThat(requestor.getNetwork().getAddress()).isEqualTo("10.0.0.7");
        assertThat(event.getAgent().get(1).getWho().getDisplay()).isEqualTo("Alongside FHIR server");
        assertThat(event.getEntity()).hasSize(4);
        assertThat(event.getEntity().get(0).getWhat().getReference()).isEqualTo("Communication/c1");
        assertThat(event.getEntity().get(1).getWhat().getReference()).isEqualTo("Patient/p1");
        assertThat(event.getEntity().get(1).getRole().getCode()).isEqualTo("1");
        assertThat(new String(event.getEntity().get(2).getQuery(), StandardCharsets.UTF_8))
                .isEqualTo("subject=Patient/p1&_count=20");
        assertThat(event.getEntity().get(3).getWhat().getIdentifier().getValue()).isEqualTo("req-1");
    }

    @Test
    void aUserWithAFhirResourceIsNamedByItAndTreatsThePatient() {
        AuditRecord record = AuditEvents.record(readNotes(), PEER, 403, List.of(), List.of(), false, null);
        AuditEvent event = AuditEvents.toFhir(record);
        assertThat(record.purpose()).isEqualTo("TREAT");
        assertThat(event.getAgentFirstRep().getWho().getReference()).isEqualTo("PractitionerRole/pr-1");
        assertThat(event.getAgentFirstRep().getAltId()).isEqualTo("u-17");
        assertThat(event.getSubtype()).extracting(Coding::getCode).containsExactly("search-type");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    }

    @Test
    void aDisclosureAnOperationDeclaresCarriesItsOwnPurpose() {
        AuditRecord record = AuditEvents.record(readNotes(), PEER, 200, List.of("Encounter/e1"), List.of("p1"), true,
                "HPAYMT");
        assertThat(AuditEvents.toFhir(record).getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("HPAYMT");
    }

    @Test
    void theServersOwnWorkAndAnUnauthenticatedRequestAreToldApart() {
        AuditRecord background = AuditEvents.record(AuditNotes.serverWork("update"), null, 200,
                List.of("Subscription/s1/_history/2"), List.of(), false, null);
        assertThat(AuditEvents.toFhir(background).getAgentFirstRep().getWho().getDisplay())
                .isEqualTo("Alongside server (background work)");
        assertThat(AuditEvents.toFhir(background).getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        AuditRecord anonymous = AuditEvents.record(new AuditNotes("req-2", null, "GET"), null, 401, List.of(),
                List.of(), false, null);
        AuditEvent event = AuditEvents.toFhir(anonymous);
        assertThat(event.getAgentFirstRep().getWho().getDisplay()).isEqualTo("unauthenticated");
        assertThat(event.getSubtype()).extracting(Coding::getCode).containsExactly("unknown");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(AuditEvents.toFhir(new AuditRecord("x", Instant.EPOCH, "read", "R", 500, false, "TREAT", null,
                false, null, null, null, List.of(), List.of())).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._8);
    }
}
