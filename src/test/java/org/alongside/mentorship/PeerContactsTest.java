package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

class PeerContactsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static Encounter session(String end, Encounter.EncounterStatus status) {
        Encounter e = new Encounter().setStatus(status)
                .setPeriod(new Period().setStart(Date.from(Instant.parse(end).minusSeconds(1800)))
                        .setEnd(Date.from(Instant.parse(end))));
        e.addType(new CodeableConcept(new Coding(MentorshipCodes.HCPCS, MentorshipCodes.PEER_SERVICES, null)));
        return e;
    }

    @Test
    void aPeerSessionCountsWhenItEndedAndATherapyVisitOrAWithdrawnSessionDoesNot() {
        assertThat(PeerContacts.when(session("2026-11-20T10:30:00Z", Encounter.EncounterStatus.FINISHED)))
                .hasValue(Instant.parse("2026-11-20T10:30:00Z"));
        assertThat(PeerContacts.when(session("2026-11-20T10:30:00Z", Encounter.EncounterStatus.ENTEREDINERROR))).isEmpty();
        Encounter therapy = session("2026-11-21T10:30:00Z", Encounter.EncounterStatus.FINISHED);
        therapy.setType(List.of(new CodeableConcept(new Coding("http://snomed.info/sct", "76168009", null))));
        assertThat(PeerContacts.when(therapy)).isEmpty();
    }

    @Test
    void aCommunicationCountsWhenItWasSent() {
        assertThat(PeerContacts.when(new Communication().setSent(Date.from(Instant.parse("2026-11-25T08:00:00Z")))))
                .hasValue(Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(PeerContacts.when(new Communication())).isEmpty();
        assertThat(PeerContacts.when(new Procedure())).isEmpty();
    }

    @Test
    void theLastContactIsTheLatestNotAfterNow() {
        var records = List.of(session("2026-11-20T10:30:00Z", Encounter.EncounterStatus.FINISHED),
                new Communication().setSent(Date.from(Instant.parse("2026-11-25T08:00:00Z"))),
                new Communication().setSent(Date.from(Instant.parse("2026-12-25T08:00:00Z"))));
        assertThat(PeerContacts.last(records, NOW)).hasValue(Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(PeerContacts.last(List.of(), NOW)).isEmpty();
    }
}
