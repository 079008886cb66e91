package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} {2} {1} → {3}")
    @CsvSource({
            "PEER_SPECIALIST, Encounter, CREATE, true",
            "PEER_SPECIALIST, Encounter, DELETE, false",
            "PEER_SPECIALIST, CarePlan, UPDATE, false",
            "PEER_SPECIALIST, CarePlan, READ, true",
            "PEER_SPECIALIST, Practitioner, UPDATE, false",
            "SUPERVISOR, Provenance, CREATE, true",
            "SUPERVISOR, Encounter, UPDATE, false",
            "CLINICIAN, CarePlan, UPDATE, true",
            "CLINICIAN, CarePlan, DELETE, false",
            "CLINICIAN, Organization, CREATE, false",
            "ADMIN, Patient, READ, false",
            "ADMIN, PractitionerRole, CREATE, true",
            "ADMIN, AuditEvent, SEARCH, true",
            "ADMIN, AuditEvent, UPDATE, false",
            "EHR_SYSTEM, Encounter, DELETE, true",
            "EHR_SYSTEM, AuditEvent, DELETE, false",
            "CLINICIAN, AuditEvent, READ, false",
            "CLINICIAN, StructureDefinition, READ, true",
            "EHR_SYSTEM, StructureDefinition, CREATE, false",
    })
    void table(Role role, String type, Interaction interaction, boolean expected) {
        assertThat(AccessRules.roleAllows(Set.of(role), type, interaction)).isEqualTo(expected);
    }

    @Test
    void supervisionSessionsAreRecordedBySupervisorsReadByPeersAndNoBusinessOfCliniciansOrAdmins() {
        assertThat(AccessRules.supervisionAllows(Set.of(Role.SUPERVISOR), Interaction.CREATE)).isTrue();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.SUPERVISOR), Interaction.UPDATE)).isTrue();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.SUPERVISOR), Interaction.DELETE)).isFalse();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.PEER_SPECIALIST), Interaction.READ)).isTrue();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.PEER_SPECIALIST), Interaction.CREATE)).isFalse();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.CLINICIAN), Interaction.READ)).isFalse();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.ADMIN), Interaction.READ)).isFalse();
        assertThat(AccessRules.supervisionAllows(Set.of(Role.EHR_SYSTEM), Interaction.DELETE)).isTrue();
        assertThat(AccessRules.supervisionAllows(Set.of(), Interaction.READ)).isFalse();
    }

    @Test
    void noRoleMeansNothing() {
        assertThat(AccessRules.roleAllows(Set.of(), "Patient", Interaction.READ)).isFalse();
    }

    @Test
    void severalRolesAddUp() {
        assertThat(AccessRules.roleAllows(Set.of(Role.PEER_SPECIALIST, Role.SUPERVISOR), "Provenance",
                Interaction.CREATE)).isTrue();
    }

    @Test
    void patientScopeCoversOnlyItsPatients() {
        PatientScope scope = PatientScope.of(Set.of("a", "b"));
        assertThat(scope.covers(Set.of("b", "z"))).isTrue();
        assertThat(scope.covers(Set.of("z"))).isFalse();
        assertThat(scope.covers(Set.of())).isFalse();
        assertThat(PatientScope.EVERYONE.covers(Set.of())).isTrue();
        assertThat(scope.narrowTo("a").patientIds()).containsExactly("a");
        assertThat(scope.narrowTo("z").patientIds()).isEmpty();
    }

    @Test
    void anEscalationWrittenOutsideTheCareTeamStaysOpen() {
        org.hl7.fhir.r4.model.CodeableConcept worried = new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://alongside.health/fhir/CodeSystem/crisis-support", "peer-worried", null));
        org.hl7.fhir.r4.model.Task task = new org.hl7.fhir.r4.model.Task().setCode(worried);
        assertThat(AccessRules.escalationRefusal(task.setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED))).isEmpty();
        assertThat(AccessRules.escalationRefusal(task.setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED))).isPresent();
        assertThat(AccessRules.escalationRefusal(task.setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED))).isPresent();
        org.hl7.fhir.r4.model.Flag flag = new org.hl7.fhir.r4.model.Flag().setCode(worried);
        assertThat(AccessRules.escalationRefusal(flag.setStatus(org.hl7.fhir.r4.model.Flag.FlagStatus.ACTIVE))).isEmpty();
        assertThat(AccessRules.escalationRefusal(flag.setStatus(org.hl7.fhir.r4.model.Flag.FlagStatus.INACTIVE))).isPresent();
        // other Tasks (a planned next contact) are the peer's to move on
        org.hl7.fhir.r4.model.Task nextContact = new org.hl7.fhir.r4.model.Task().setStatus(
                org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED).setCode(new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://alongside.health/fhir/CodeSystem/peer-contact", "next-contact", null)));
        assertThat(AccessRules.escalationRefusal(nextContact)).isEmpty();
    }
}
