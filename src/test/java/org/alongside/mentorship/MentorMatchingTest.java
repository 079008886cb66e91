package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.alongside.mentorship.MentorMatching.Candidate;
import org.alongside.mentorship.MentorMatching.Match;
import org.alongside.mentorship.MentorMatching.Person;
import org.alongside.mentorship.MentorMatching.Reason;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.Test;

class MentorMatchingTest {

    private static final int LIMIT = 15;
    private static final Person SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT =
            new Person("es", Set.of("es", "en"), Set.of("parent"), Set.of("substance-use"));

    private static Candidate peer(String id, Set<String> languages, Set<String> areas, String available, int mentees) {
        return new Candidate(id, languages, areas, available, mentees, false);
    }

    private static List<String> order(List<Match> matches) {
        return matches.stream().map(m -> m.candidate().roleId()).toList();
    }

    @Test
    void whatThePersonAskedForOutweighsWhatTheirPlanAddresses() {
        List<Match> ranked = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, List.of(
                peer("sud", Set.of("es"), Set.of("substance-use"), null, 0),
                peer("parent", Set.of("es"), Set.of("parent"), null, 0)), LIMIT);
        assertThat(order(ranked)).containsExactly("parent", "sud");
    }

    @Test
    void thePreferredLanguageCountsMoreThanAnotherSharedLanguageAndNoSharedLanguageIsSaid() {
        List<Match> ranked = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, List.of(
                peer("english", Set.of("en"), Set.of(), null, 0),
                peer("french", Set.of("fr"), Set.of(), null, 0),
                peer("spanish", Set.of("es"), Set.of(), null, 0)), LIMIT);
        assertThat(order(ranked)).containsExactly("spanish", "english", "french");
        assertThat(ranked.get(0).reasons()).contains(new Reason("preferred-language", "es"));
        assertThat(ranked.get(1).reasons()).contains(new Reason("shared-language", "en"));
        assertThat(ranked.get(2).reasons()).contains(new Reason("no-shared-language", "Speaks none of en, es"));
    }

    @Test
    void peersAtTheCaseloadLimitOrAlreadyMentoringInThePlanAreNotRanked() {
        List<Match> ranked = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, List.of(
                peer("full", Set.of("es"), Set.of("parent"), null, LIMIT),
                new Candidate("here", Set.of("es"), Set.of("parent"), null, 1, true),
                peer("free", Set.of(), Set.of(), null, 0)), LIMIT);
        assertThat(order(ranked)).containsExactly("free");
    }

    @Test
    void betweenEqualPeersTheOneWithMoreRoomAndThenTheLowerIdComesFirst() {
        List<Match> ranked = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, List.of(
                peer("b", Set.of("es"), Set.of(), null, 1),
                peer("c", Set.of("es"), Set.of(), null, 0),
                peer("a", Set.of("es"), Set.of(), null, 1)), LIMIT);
        assertThat(order(ranked)).containsExactly("c", "a", "b");
    }

    @Test
    void anIdealMatchScoresOneAndEveryReasonIsGiven() {
        Match ideal = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, List.of(
                peer("ideal", Set.of("es"), Set.of("parent", "substance-use"), "mon 09:00–17:00", 0)), LIMIT).get(0);
        assertThat(ideal.score()).isEqualTo(1.0);
        assertThat(ideal.reasons()).extracting(Reason::code).containsExactly("shared-lived-experience",
                "shared-lived-experience", "preferred-language", "available", "caseload-room");
        assertThat(ideal.reasons()).contains(new Reason("caseload-room", "Mentors 0 of 15"),
                new Reason("shared-lived-experience", "parent (asked for by the person)"),
                new Reason("shared-lived-experience", "substance-use (addressed by the care plan)"));
    }

    @Test
    void theSameInputAlwaysGivesTheSameRanking() {
        List<Candidate> peers = List.of(peer("x", Set.of("en"), Set.of("veteran"), null, 3),
                peer("y", Set.of("en", "es"), Set.of("parent"), "tue all day", 7),
                peer("z", Set.of("es"), Set.of(), null, 2));
        List<Match> first = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT, peers, LIMIT);
        List<Match> reversed = MentorMatching.rank(SPANISH_SPEAKER_IN_SUD_RECOVERY_WHO_ASKED_FOR_A_PARENT,
                List.of(peers.get(2), peers.get(1), peers.get(0)), LIMIT);
        assertThat(reversed).isEqualTo(first);
    }

    @Test
    void icd10CodesPlaceAConditionInSubstanceUseOrMentalHealth() {
        assertThat(MatchingService.areaOf(new Coding(MatchingService.ICD10_CM, "F11.20", null))).contains("substance-use");
        assertThat(MatchingService.areaOf(new Coding(MatchingService.ICD10_CM, "F33.1", null))).contains("mental-health");
        assertThat(MatchingService.areaOf(new Coding(MatchingService.ICD10_CM, "F71", null))).isEmpty();
        assertThat(MatchingService.areaOf(new Coding(MatchingService.ICD10_CM, "E11.9", null))).isEmpty();
        assertThat(MatchingService.areaOf(new Coding("http://snomed.info/sct", "F11", null))).isEmpty();
    }

    @Test
    void whatAPlanAddressesComesFromTheConditionsItContainsAndItsActivitiesReasons() {
        org.hl7.fhir.r4.model.CarePlan plan = new org.hl7.fhir.r4.model.CarePlan();
        org.hl7.fhir.r4.model.Condition named = new org.hl7.fhir.r4.model.Condition();
        named.setId("dx");
        named.getCode().addCoding(new Coding(MatchingService.ICD10_CM, "F10.20", null));
        org.hl7.fhir.r4.model.Condition notNamed = new org.hl7.fhir.r4.model.Condition();
        notNamed.setId("other");
        notNamed.getCode().addCoding(new Coding(MatchingService.ICD10_CM, "F32.9", null));
        plan.addContained(named);
        plan.addContained(notNamed);
        plan.addAddresses(new org.hl7.fhir.r4.model.Reference("#dx"));
        assertThat(MatchingService.planAreas(plan)).containsExactly("substance-use");
        plan.addActivity().getDetail().addReasonCode().addCoding(new Coding(MatchingService.ICD10_CM, "F43.10", null));
        assertThat(MatchingService.planAreas(plan)).containsExactly("substance-use", "mental-health");
    }

    @Test
    void availabilityIsReadFromTheRolesAvailableTimes() {
        PractitionerRole role = new PractitionerRole();
        assertThat(MatchingService.availability(role)).isNull();
        role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.MON).addDaysOfWeek(PractitionerRole.DaysOfWeek.WED)
                .setAvailableStartTime("09:00:00").setAvailableEndTime("17:00:00");
        role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.SAT).setAllDay(true);
        assertThat(MatchingService.availability(role)).isEqualTo("mon, wed 09:00–17:00; sat all day");
    }

    @Test
    void languagesAreComparedByTheirPrimaryTag() {
        assertThat(MatchingService.language("es-MX")).isEqualTo("es");
        assertThat(MatchingService.language("EN")).isEqualTo("en");
        assertThat(MatchingService.language(" ")).isNull();
    }
}
