package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

class NoteFormatTest {

    @Test
    void aDapNoteIsItsThreeSectionsEachUnderItsHeading() {
        String text = NoteFormat.DAP.compose(List.of("Talked about the weekend", "More hopeful", "Call Friday"));
        assertThat(text).isEqualTo("Data: Talked about the weekend\n\nAssessment: More hopeful\n\nPlan: Call Friday");
        assertThat(NoteFormat.DAP.sections(text)).containsExactly(
                java.util.Map.entry("Data", "Talked about the weekend"),
                java.util.Map.entry("Assessment", "More hopeful"),
                java.util.Map.entry("Plan", "Call Friday"));
        assertThat(NoteFormat.DAP.missing(text)).isEmpty();
    }

    @Test
    void aSectionRunsOverSeveralLinesUntilTheNextHeading() {
        String text = "Goal: Work by summer\nIntervention: Mock interview\nsecond line\n  response: Laughed\nPlan: CV";
        assertThat(NoteFormat.GIRP.sections(text)).containsEntry("Intervention", "Mock interview\nsecond line")
                .containsEntry("Response", "Laughed");
        assertThat(NoteFormat.GIRP.missing(text)).isEmpty();
    }

    @Test
    void anEmptyOrAbsentSectionIsNamedAsMissing() {
        assertThat(NoteFormat.GIRP.missing("Goal: Work\nIntervention:   \nPlan: CV"))
                .containsExactly("Intervention", "Response");
        assertThat(NoteFormat.DAP.missing("Just some words")).containsExactly("Data", "Assessment", "Plan");
    }

    @Test
    void freeTextHasNoSectionsAndABlankFormatIsFreeText() {
        assertThat(NoteFormat.of(null)).isEqualTo(NoteFormat.FREE);
        assertThat(NoteFormat.of("girp")).isEqualTo(NoteFormat.GIRP);
        assertThat(NoteFormat.FREE.missing("anything")).isEmpty();
        assertThatThrownBy(() -> NoteFormat.of("soap")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theNoteRulesRefuseADapNoteWithoutItsPlan() {
        Procedure note = note("dap", "Data: Talked\n\nAssessment: Calmer");
        assertThatThrownBy(() -> new NoteRules().check(note)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Plan");
    }

    @Test
    void theNoteRulesAcceptACompleteGirpNoteAndAnyFreeNote() {
        new NoteRules().check(note("girp", "Goal: Work\nIntervention: Practised\nResponse: Keen\nPlan: Apply"));
        new NoteRules().check(note(null, "Whatever the peer wrote"));
    }

    @Test
    void theNoteRulesRefuseAnUnknownFormatAsUnprocessable() {
        assertThatThrownBy(() -> new NoteRules().check(note("soap", "S: x"))).isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void aClinicMayChooseOnlyAFormatThatExists() {
        org.hl7.fhir.r4.model.Organization clinic = new org.hl7.fhir.r4.model.Organization();
        clinic.addExtension(MentorshipCodes.EXT_NOTE_FORMAT, new CodeType("girp"));
        new NoteRules().check(clinic);
        clinic.getExtension().get(0).setValue(new CodeType("soap"));
        assertThatThrownBy(() -> new NoteRules().check(clinic)).isInstanceOf(UnprocessableEntityException.class);
        new NoteRules().check(new org.hl7.fhir.r4.model.Organization());
    }

    private static Procedure note(String format, String text) {
        Procedure note = new Procedure().setCode(new CodeableConcept(new Coding(MentorshipCodes.HCPCS, "H0038", null)));
        note.addNote().setText(text);
        if (format != null) {
            note.addExtension(MentorshipCodes.EXT_NOTE_FORMAT, new CodeType(format));
        }
        return note;
    }
}
