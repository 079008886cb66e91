package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class RecoveryCapitalTest {

    static QuestionnaireResponse response(int... answers) {
        QuestionnaireResponse response = new QuestionnaireResponse()
                .setQuestionnaire(RecoveryCapital.QUESTIONNAIRE)
                .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
                .setSubject(new Reference("Patient/maria"))
                .setAuthored(Date.from(Instant.parse("2026-03-04T18:05:00Z")))
                .setAuthor(new Reference("PractitionerRole/jordan"));
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId(String.valueOf(i + 1)).addAnswer()
                    .setValue(new Coding(RecoveryCapital.SCALE, String.valueOf(answers[i]), null));
        }
        return response;
    }

    static Observation score(String when, int value, Observation.ObservationStatus status) {
        Observation o = new Observation().setStatus(status)
                .setCode(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(RecoveryCapital.CODE_SYSTEM,
                        RecoveryCapital.TOTAL, null)))
                .setEffective(new DateTimeType(when)).setValue(new IntegerType(value));
        return o;
    }

    @Test
    void theTotalIsTheSumOfTheTenRatings() {
        assertThat(RecoveryCapital.score(response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4))).isEqualTo(34);
    }

    @Test
    void theTotalRunsFromTenToSixty() {
        assertThat(RecoveryCapital.score(response(1, 1, 1, 1, 1, 1, 1, 1, 1, 1))).isEqualTo(RecoveryCapital.MIN_SCORE);
        assertThat(RecoveryCapital.score(response(6, 6, 6, 6, 6, 6, 6, 6, 6, 6))).isEqualTo(RecoveryCapital.MAX_SCORE);
    }

    @Test
    void aCompleteResponseHasNoProblems() {
        assertThat(RecoveryCapital.problems(response(1, 2, 3, 4, 5, 6, 1, 2, 3, 4))).isEmpty();
    }

    @Test
    void everyItemIsRequired() {
        assertThat(RecoveryCapital.problems(response(4, 3, 3, 2, 4, 3, 2, 5, 4)))
                .containsExactly("Item 10 is not answered (every BARC-10 item is required)");
    }

    @Test
    void anAnswerOffTheSixPointScaleIsRefused() {
        QuestionnaireResponse seven = response(4, 3, 7, 2, 4, 3, 2, 5, 4, 4);
        assertThat(RecoveryCapital.problems(seven)).singleElement().asString().startsWith("Item 3 is not answered with");
        QuestionnaireResponse zero = response(0, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        assertThat(RecoveryCapital.problems(zero)).singleElement().asString().startsWith("Item 1 ");
    }

    @Test
    void anAnswerFromAnotherCodeSystemIsRefused() {
        QuestionnaireResponse response = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        response.getItem().get(4).getAnswerFirstRep().setValue(new Coding("http://loinc.org", "4", null));
        assertThat(RecoveryCapital.problems(response)).singleElement().asString().startsWith("Item 5 ");
    }

    @Test
    void anItemAnsweredTwiceOrWithTwoAnswersIsRefused() {
        QuestionnaireResponse twice = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        twice.addItem().setLinkId("2").addAnswer().setValue(new Coding(RecoveryCapital.SCALE, "1", null));
        assertThat(RecoveryCapital.problems(twice)).containsExactly("Item 2 is answered more than once");
        QuestionnaireResponse twoAnswers = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        twoAnswers.getItem().get(0).addAnswer().setValue(new Coding(RecoveryCapital.SCALE, "1", null));
        assertThat(RecoveryCapital.problems(twoAnswers)).containsExactly("Item 1 needs exactly one answer");
    }

    @Test
    void anUnknownItemIsRefused() {
        QuestionnaireResponse response = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        response.addItem().setLinkId("11").addAnswer().setValue(new Coding(RecoveryCapital.SCALE, "1", null));
        assertThat(RecoveryCapital.problems(response)).singleElement().asString().contains("'11'");
    }

    @Test
    void anInProgressResponseIsNotScored() {
        QuestionnaireResponse response = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4)
                .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        assertThat(RecoveryCapital.problems(response)).hasSize(1);
        assertThatThrownBy(() -> RecoveryCapital.score(response)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyResponsesToTheBarc10AreRecognised() {
        assertThat(RecoveryCapital.isResponse(response(1))).isTrue();
        assertThat(RecoveryCapital.isResponse(response(1).setQuestionnaire(RecoveryCapital.QUESTIONNAIRE + "|0.1.0")))
                .isTrue();
        assertThat(RecoveryCapital.isResponse(response(1).setQuestionnaire("http://example.org/Questionnaire/phq-9")))
                .isFalse();
        assertThat(RecoveryCapital.isResponse(response(1).setQuestionnaire(RecoveryCapital.QUESTIONNAIRE + "-x")))
                .isFalse();
    }

    @Test
    void theScoreObservationIsDerivedFromTheResponseAboutTheSamePerson() {
        QuestionnaireResponse response = response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        Observation score = RecoveryCapital.scoreObservation(response, "QuestionnaireResponse/r1");
        assertThat(score.getValueIntegerType().getValue()).isEqualTo(34);
        assertThat(score.getSubject().getReference()).isEqualTo("Patient/maria");
        assertThat(score.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/jordan");
        assertThat(score.getDerivedFromFirstRep().getReference()).isEqualTo("QuestionnaireResponse/r1");
        assertThat(score.getEffectiveDateTimeType().getValue()).isEqualTo(response.getAuthored());
        assertThat(score.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(RecoveryCapital.isScore(score)).isTrue();
        assertThat(score.getCategoryFirstRep().hasCoding(RecoveryCapital.OBSERVATION_CATEGORY, "survey")).isTrue();
    }

    @Test
    void theTrendRunsFromTheFirstToTheLatestScoreWhateverTheOrderGiven() {
        var trend = RecoveryCapital.trend(List.of(
                score("2026-05-01T10:00:00Z", 41, Observation.ObservationStatus.FINAL),
                score("2026-01-10T10:00:00Z", 29, Observation.ObservationStatus.FINAL),
                score("2026-03-01T10:00:00Z", 35, Observation.ObservationStatus.AMENDED))).orElseThrow();
        assertThat(trend.first().score()).isEqualTo(29);
        assertThat(trend.latest().score()).isEqualTo(41);
        assertThat(trend.change()).isEqualTo(12);
        assertThat(trend.count()).isEqualTo(3);
    }

    @Test
    void scoresEnteredInErrorDoNotCount() {
        var trend = RecoveryCapital.trend(List.of(
                score("2026-01-10T10:00:00Z", 20, Observation.ObservationStatus.ENTEREDINERROR),
                score("2026-03-01T10:00:00Z", 35, Observation.ObservationStatus.FINAL))).orElseThrow();
        assertThat(trend.first().score()).isEqualTo(35);
        assertThat(trend.change()).isZero();
        assertThat(RecoveryCapital.trend(List.of())).isEmpty();
    }

    @Test
    void theWriteRuleRefusesAnIncompleteResponseWithAReasonCode() {
        RecoveryCapitalRules rules = new RecoveryCapitalRules();
        rules.check(response(4, 3, 3, 2, 4, 3, 2, 5, 4, 4));
        assertThatThrownBy(() -> rules.check(response(4, 3)))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssue()).hasSize(8).allSatisfy(issue -> {
                        assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("assessment-incomplete");
                        assertThat(issue.getExpression()).extracting(expression -> expression.getValue())
                                .containsExactly("QuestionnaireResponse.item");
                    });
                });
        // a response to another questionnaire is not this rule's business
        rules.check(response(9).setQuestionnaire("http://example.org/Questionnaire/other"));
    }
}
