package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** Which records Part 2 mode labels as substance use disorder information, and how. */
class Part2LabelsTest {

    private static Part2Labels labels(boolean part2) {
        Part2Labels labels = new Part2Labels();
        labels.config = new Part2Config();
        labels.config.enabled = part2;
        return labels;
    }

    private static Task task(String system, String code) {
        Task task = new Task();
        task.setCode(new CodeableConcept(new Coding(system, code, null)));
        return task;
    }

    @Test
    void aPeerSessionAnEncouragementAnEngagementAlertAndAScheduledNextContactArePeerSupportRecords() {
        Encounter session = new Encounter();
        session.addType(new CodeableConcept(new Coding("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "H0038", null)));
        Communication encouragement = new Communication();
        encouragement.addCategory(new CodeableConcept(new Coding("http://alongside.health/fhir/CodeSystem/message-category",
                "encouragement", null)));

        assertThat(Part2Labels.isPeerSupportRecord(session)).isTrue();
        assertThat(Part2Labels.isPeerSupportRecord(encouragement)).isTrue();
        assertThat(Part2Labels.isPeerSupportRecord(task("http://alongside.health/fhir/CodeSystem/engagement-alert",
                "no-peer-contact"))).isTrue();
        assertThat(Part2Labels.isPeerSupportRecord(task("http://alongside.health/fhir/CodeSystem/peer-contact",
                "next-contact"))).isTrue();
    }

    @Test
    void otherTasksAndEncountersAreNot() {
        assertThat(Part2Labels.isPeerSupportRecord(task("http://hl7.org/fhir/CodeSystem/task-code", "fulfill"))).isFalse();
        assertThat(Part2Labels.isPeerSupportRecord(new Encounter())).isFalse();
    }

    @Test
    void inPart2ModeARecordIsLabelledSudUnder42CfrPart2AndRestrictedOnce() {
        Task next = task("http://alongside.health/fhir/CodeSystem/peer-contact", "next-contact");

        labels(true).check(next);
        labels(true).check(next);

        assertThat(next.getMeta().getSecurity()).extracting(Coding::getCode).containsExactly("SUD", "R");
        assertThat(next.getMeta().getSecurity().get(0).getExtensionByUrl(Part2Labels.BASIS_EXTENSION).getValue())
                .isInstanceOfSatisfying(Coding.class, basis -> assertThat(basis.getCode()).isEqualTo("42CFRPart2"));
        assertThat(Part2Labels.isPart2Record(next)).isTrue();
    }

    @Test
    void outsidePart2ModeNothingIsLabelled() {
        Task next = task("http://alongside.health/fhir/CodeSystem/peer-contact", "next-contact");

        labels(false).check(next);

        assertThat(next.getMeta().getSecurity()).isEmpty();
    }
}
