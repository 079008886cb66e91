package org.alongside.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class SupervisionSessionsTest {

    private static Encounter session(int minutes) {
        Encounter e = new Encounter();
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.addType(new CodeableConcept(new Coding(SupervisionSessions.SUPERVISION, SupervisionSessions.SESSION, null)));
        e.addParticipant().addType(new CodeableConcept(new Coding(SupervisionSessions.ROLE, "supervisor", null)))
                .setIndividual(new Reference("PractitionerRole/sam"));
        e.addParticipant().addType(new CodeableConcept(new Coding(SupervisionSessions.ROLE, "supervisee", null)))
                .setIndividual(new Reference("PractitionerRole/jordan/_history/2"));
        e.getPeriod().setStart(new Date());
        e.setLength((Duration) new Duration().setValue(minutes).setSystem(SupervisionSessions.UCUM).setCode("min"));
        return e;
    }

    @Test
    void anEncounterTypedSupervisionSessionIsOne() {
        assertThat(SupervisionSessions.isSupervisionSession(session(60))).isTrue();
        Encounter peerSession = new Encounter();
        peerSession.addType(new CodeableConcept(new Coding("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "H0038", null)));
        assertThat(SupervisionSessions.isSupervisionSession(peerSession)).isFalse();
    }

    @Test
    void theSupervisorAndThePeerAreReadFromTheParticipantTypesWithoutVersion() {
        assertThat(SupervisionSessions.supervisorOf(session(60))).contains("PractitionerRole/sam");
        assertThat(SupervisionSessions.superviseeOf(session(60))).contains("PractitionerRole/jordan");
        assertThat(SupervisionSessions.minutesOf(session(45))).contains(45);
    }

    @Test
    void aWellFormedSessionHasNoProblems() {
        assertThat(SupervisionSessions.problems(session(60))).isEmpty();
    }

    @Test
    void aSessionAboutAPersonInCareIsRefused() {
        Encounter withSubject = session(60).setSubject(new Reference("Patient/maria"));
        assertThat(SupervisionSessions.problems(withSubject)).anyMatch(p -> p.contains("no subject"));
    }

    @Test
    void aSessionNeedsOneSupervisorAndOnePeerWhoAreDifferentRoles() {
        Encounter noPeer = session(60);
        noPeer.getParticipant().remove(1);
        assertThat(SupervisionSessions.problems(noPeer)).anyMatch(p -> p.contains("exactly one participant"));
        Encounter self = session(60);
        self.getParticipant().get(1).setIndividual(new Reference("PractitionerRole/sam"));
        assertThat(SupervisionSessions.problems(self)).anyMatch(p -> p.contains("different roles"));
    }

    @Test
    void minutesAreAWholeNumberFromOneToAWorkingDay() {
        assertThat(SupervisionSessions.problems(session(0))).anyMatch(p -> p.contains("whole number of minutes"));
        assertThat(SupervisionSessions.problems(session(601))).anyMatch(p -> p.contains("whole number of minutes"));
        assertThat(SupervisionSessions.problems(session(600))).isEmpty();
        Encounter hours = session(1);
        hours.getLength().setCode("h");
        assertThat(SupervisionSessions.problems(hours)).anyMatch(p -> p.contains("in minutes"));
        Encounter none = session(1);
        none.setLength(null);
        assertThat(SupervisionSessions.problems(none)).anyMatch(p -> p.contains("needs Encounter.length"));
    }

    @Test
    void aSessionNeedsADate() {
        Encounter undated = session(30);
        undated.getPeriod().setStart(null);
        assertThat(SupervisionSessions.problems(undated)).anyMatch(p -> p.contains("period.start"));
    }
}
