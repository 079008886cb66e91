package org.alongside.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.alongside.mentorship.BillingUnits;
import org.alongside.report.ProgramFacts.Contact;
import org.alongside.report.ProgramFacts.Escalation;
import org.alongside.report.ProgramFacts.Goal;
import org.alongside.report.ProgramFacts.Mentorship;
import org.alongside.report.ProgramFacts.Score;
import org.alongside.report.ProgramFacts.Session;
import org.alongside.supervision.SupervisionHours;
import org.junit.jupiter.api.Test;

class ProgramReportTest {

    private static final String ANA = "PractitionerRole/ana";
    private static final String BEN = "PractitionerRole/ben";
    private static final YearMonth MARCH = YearMonth.of(2026, 3);
    private final ProgramReport report = new ProgramReport(ZoneId.of("UTC"), new BillingUnits(15, 8));

    private static Instant at(String when) {
        return Instant.parse(when);
    }

    private static ProgramFacts facts(List<Mentorship> mentorships, List<Session> sessions, List<Contact> contacts,
                                      List<Goal> goals, List<Score> scores, List<Escalation> escalations,
                                      List<SupervisionHours.Session> supervision) {
        return new ProgramFacts(mentorships, sessions, contacts, goals, scores, escalations, supervision);
    }

    @Test
    void anEmptyMonthHasZeroCountsAndNoMedianOrMeanChange() {
        MonthlyFigures figures = report.figures(ProgramFacts.none(), Set.of(ANA), MARCH);

        assertThat(figures).isEqualTo(new MonthlyFigures(MARCH, 0, 0, null, 0, 0, 0, 0, null, 0, 0));
        assertThat(figures.supervisionHours()).isZero();
    }

    @Test
    void activeMenteesAreTheDistinctMenteesWhoseMentorshipOverlapsTheMonth() {
        ProgramFacts facts = facts(List.of(
                new Mentorship(ANA, "m1", at("2026-01-10T00:00:00Z"), null),
                new Mentorship(ANA, "m2", at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z")),
                new Mentorship(ANA, "m3", at("2026-01-01T00:00:00Z"), at("2026-02-28T23:59:59Z")),
                new Mentorship(ANA, "m4", at("2026-04-01T00:00:00Z"), null),
                new Mentorship(BEN, "m1", at("2026-03-05T00:00:00Z"), null),
                new Mentorship(BEN, "m5", at("2026-03-31T23:00:00Z"), null)),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        assertThat(report.figures(facts, Set.of(ANA), MARCH).activeMentees()).isEqualTo(2);
        assertThat(report.figures(facts, Set.of(BEN), MARCH).activeMentees()).isEqualTo(2);
        assertThat(report.figures(facts, Set.of(ANA, BEN), MARCH).activeMentees()).isEqualTo(3);
    }

    @Test
    void contactsCountThoseOfTheMonthByThePeersWhoMadeThem() {
        ProgramFacts facts = facts(List.of(), List.of(), List.of(
                new Contact(ANA, "m1", at("2026-02-28T23:59:59Z")),
                new Contact(ANA, "m1", at("2026-03-01T00:00:00Z")),
                new Contact(ANA, "m2", at("2026-03-31T23:59:59Z")),
                new Contact(BEN, "m1", at("2026-03-15T00:00:00Z")),
                new Contact(ANA, "m1", at("2026-04-01T00:00:00Z"))),
                List.of(), List.of(), List.of(), List.of());

        assertThat(report.figures(facts, Set.of(ANA), MARCH).contacts()).isEqualTo(2);
        assertThat(report.figures(facts, Set.of(ANA, BEN), MARCH).contacts()).isEqualTo(3);
    }

    @Test
    void theMedianDaysBetweenContactsTakesGapsEndingInTheMonthIncludingOneFromTheMonthBefore() {
        List<Contact> contacts = List.of(
                new Contact(ANA, "m1", at("2026-02-25T12:00:00Z")), // 5 days before the next
                new Contact(ANA, "m1", at("2026-03-02T12:00:00Z")),
                new Contact(ANA, "m1", at("2026-03-09T12:00:00Z")), // 7 days
                new Contact(ANA, "m2", at("2026-03-10T00:00:00Z")),
                new Contact(ANA, "m2", at("2026-03-20T00:00:00Z")), // 10 days
                new Contact(ANA, "m2", at("2026-04-02T00:00:00Z"))); // ends in April: not March's

        assertThat(ProgramReport.medianDays(contacts, MARCH.atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant(),
                MARCH.plusMonths(1).atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant())).isEqualTo(7.0);
    }

    @Test
    void theMedianOfAnEvenNumberOfGapsIsTheMeanOfTheMiddleTwoToTheTenth() {
        ProgramFacts facts = facts(List.of(), List.of(), List.of(
                new Contact(ANA, "m1", at("2026-03-01T00:00:00Z")),
                new Contact(ANA, "m1", at("2026-03-04T00:00:00Z")), // 3 days
                new Contact(ANA, "m1", at("2026-03-08T06:00:00Z"))), // 4.25 days
                List.of(), List.of(), List.of(), List.of());

        assertThat(report.figures(facts, Set.of(ANA), MARCH).medianDaysBetweenContacts()).isEqualTo(3.6);
    }

    @Test
    void aSingleContactGivesNoMedian() {
        ProgramFacts facts = facts(List.of(), List.of(), List.of(new Contact(ANA, "m1", at("2026-03-04T00:00:00Z"))),
                List.of(), List.of(), List.of(), List.of());

        MonthlyFigures figures = report.figures(facts, Set.of(ANA), MARCH);

        assertThat(figures.contacts()).isEqualTo(1);
        assertThat(figures.medianDaysBetweenContacts()).isNull();
    }

    @Test
    void sessionsAndUnitsCountSessionsStartedInTheMonthUnderTheUnitRule() {
        ProgramFacts facts = facts(List.of(), List.of(
                new Session(ANA, "m1", at("2026-03-03T10:00:00Z"), at("2026-03-03T11:00:00Z")), // 4 units
                new Session(ANA, "m2", at("2026-03-04T10:00:00Z"), at("2026-03-04T10:23:00Z")), // 2 units
                new Session(ANA, "m2", at("2026-03-05T10:00:00Z"), at("2026-03-05T10:07:00Z")), // 0 units
                new Session(ANA, "m1", at("2026-02-27T10:00:00Z"), at("2026-02-27T11:00:00Z")),
                new Session(BEN, "m3", at("2026-03-06T10:00:00Z"), at("2026-03-06T10:30:00Z"))), // 2 units
                List.of(), List.of(), List.of(), List.of(), List.of());

        MonthlyFigures ana = report.figures(facts, Set.of(ANA), MARCH);
        MonthlyFigures both = report.figures(facts, Set.of(ANA, BEN), MARCH);

        assertThat(ana.sessions()).isEqualTo(3);
        assertThat(ana.units()).isEqualTo(6);
        assertThat(both.sessions()).isEqualTo(4);
        assertThat(both.units()).isEqualTo(8);
    }

    @Test
    void monthsAreTheClinicsCalendarMonths() {
        ProgramReport newYork = new ProgramReport(ZoneId.of("America/New_York"), new BillingUnits(15, 8));
        ProgramFacts facts = facts(List.of(), List.of(
                // 1 March 02:00 UTC is still 28 February in New York
                new Session(ANA, "m1", at("2026-03-01T02:00:00Z"), at("2026-03-01T03:00:00Z"))),
                List.of(), List.of(), List.of(), List.of(), List.of());

        assertThat(newYork.figures(facts, Set.of(ANA), MARCH).sessions()).isZero();
        assertThat(newYork.figures(facts, Set.of(ANA), YearMonth.of(2026, 2)).sessions()).isEqualTo(1);
    }

    @Test
    void goalsAchievedCountForThePeersWhoMentoredTheMenteeWhenTheGoalWasAchieved() {
        ProgramFacts facts = facts(List.of(
                new Mentorship(ANA, "m1", at("2026-01-01T00:00:00Z"), at("2026-03-10T00:00:00Z")),
                new Mentorship(BEN, "m1", at("2026-03-10T00:00:01Z"), null)),
                List.of(), List.of(), List.of(
                new Goal("m1", at("2026-03-05T00:00:00Z")),
                new Goal("m1", at("2026-03-20T00:00:00Z")),
                new Goal("m1", at("2026-02-20T00:00:00Z")),
                new Goal("m9", at("2026-03-20T00:00:00Z"))), // nobody here mentored m9
                List.of(), List.of(), List.of());

        assertThat(report.figures(facts, Set.of(ANA), MARCH).goalsAchieved()).isEqualTo(1);
        assertThat(report.figures(facts, Set.of(BEN), MARCH).goalsAchieved()).isEqualTo(1);
        assertThat(report.figures(facts, Set.of(ANA, BEN), MARCH).goalsAchieved()).isEqualTo(2);
    }

    @Test
    void theRecoveryScoreChangeIsTheMeanOfLatestMinusFirstAmongActiveMenteesScoredTwiceByTheMonthsEnd() {
        ProgramFacts facts = facts(List.of(
                new Mentorship(ANA, "m1", at("2026-01-01T00:00:00Z"), null),
                new Mentorship(ANA, "m2", at("2026-01-01T00:00:00Z"), null),
                new Mentorship(ANA, "m3", at("2026-01-01T00:00:00Z"), null)),
                List.of(), List.of(), List.of(), List.of(
                new Score("m1", at("2026-01-05T00:00:00Z"), 30),
                new Score("m1", at("2026-02-05T00:00:00Z"), 34),
                new Score("m1", at("2026-03-05T00:00:00Z"), 41), // +11
                new Score("m1", at("2026-04-05T00:00:00Z"), 20), // after March: not counted
                new Score("m2", at("2026-02-01T00:00:00Z"), 40),
                new Score("m2", at("2026-03-01T00:00:00Z"), 36), // -4
                new Score("m3", at("2026-03-01T00:00:00Z"), 25), // once only
                new Score("m9", at("2026-01-01T00:00:00Z"), 10), // not a mentee here
                new Score("m9", at("2026-03-01T00:00:00Z"), 60)),
                List.of(), List.of());

        MonthlyFigures march = report.figures(facts, Set.of(ANA), MARCH);
        MonthlyFigures january = report.figures(facts, Set.of(ANA), YearMonth.of(2026, 1));

        assertThat(march.menteesScored()).isEqualTo(2);
        assertThat(march.meanScoreChange()).isEqualTo(3.5);
        assertThat(january.menteesScored()).isZero();
        assertThat(january.meanScoreChange()).isNull();
    }

    @Test
    void escalationsCountThoseRaisedInTheMonthByThePeers() {
        ProgramFacts facts = facts(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(
                new Escalation(ANA, "m1", at("2026-03-01T00:00:00Z")),
                new Escalation(ANA, "m1", at("2026-03-02T00:00:00Z")),
                new Escalation(BEN, "m2", at("2026-03-02T00:00:00Z")),
                new Escalation(ANA, "m1", at("2026-04-01T00:00:00Z"))), List.of());

        assertThat(report.figures(facts, Set.of(ANA), MARCH).escalations()).isEqualTo(2);
        assertThat(report.figures(facts, Set.of(ANA, BEN), MARCH).escalations()).isEqualTo(3);
    }

    @Test
    void supervisionHoursSumThePeersMinutesOfTheMonth() {
        ProgramFacts facts = facts(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(
                new SupervisionHours.Session(ANA, at("2026-03-03T10:00:00Z"), 60),
                new SupervisionHours.Session(ANA, at("2026-03-17T10:00:00Z"), 45),
                new SupervisionHours.Session(BEN, at("2026-03-17T10:00:00Z"), 30),
                new SupervisionHours.Session(ANA, at("2026-02-17T10:00:00Z"), 90)));

        MonthlyFigures ana = report.figures(facts, Set.of(ANA), MARCH);

        assertThat(ana.supervisionMinutes()).isEqualTo(105);
        assertThat(ana.supervisionHours()).isEqualTo(1.8);
        assertThat(report.figures(facts, Set.of(ANA, BEN), MARCH).supervisionMinutes()).isEqualTo(135);
    }

    @Test
    void monthsRunFromTheFirstToTheLastIncluded() {
        assertThat(ProgramReport.months(YearMonth.of(2025, 11), YearMonth.of(2026, 2)))
                .containsExactly(YearMonth.of(2025, 11), YearMonth.of(2025, 12), YearMonth.of(2026, 1),
                        YearMonth.of(2026, 2));
    }
}
