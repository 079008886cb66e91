package org.alongside.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisionHoursTest {

    private final SupervisionHours hours = new SupervisionHours(ZoneId.of("America/New_York"));

    private static SupervisionHours.Session session(String peer, String start, int minutes) {
        return new SupervisionHours.Session(peer, Instant.parse(start), minutes);
    }

    @Test
    void minutesOfOnePeerInOneMonthAreSummed() {
        List<SupervisionHours.Session> sessions = List.of(session("PractitionerRole/jordan", "2026-03-03T15:00:00Z", 60),
                session("PractitionerRole/jordan", "2026-03-17T15:00:00Z", 45));
        SupervisionHours.Total total = hours.of(sessions, "PractitionerRole/jordan", YearMonth.of(2026, 3));
        assertThat(total.minutes()).isEqualTo(105);
        assertThat(total.hours()).isEqualTo(1.8);
    }

    @Test
    void eachPeerAndEachMonthHasItsOwnTotal() {
        Map<String, Map<YearMonth, SupervisionHours.Total>> totals = hours.byPeerAndMonth(List.of(
                session("PractitionerRole/jordan", "2026-03-03T15:00:00Z", 60),
                session("PractitionerRole/alex", "2026-03-04T15:00:00Z", 30),
                session("PractitionerRole/jordan", "2026-04-01T15:00:00Z", 90)));
        assertThat(totals.get("PractitionerRole/jordan")).containsOnlyKeys(YearMonth.of(2026, 3), YearMonth.of(2026, 4));
        assertThat(totals.get("PractitionerRole/jordan").get(YearMonth.of(2026, 4)).minutes()).isEqualTo(90);
        assertThat(totals.get("PractitionerRole/alex").get(YearMonth.of(2026, 3)).minutes()).isEqualTo(30);
    }

    @Test
    void aSessionCountsInTheMonthItStartedInTheClinicsTimeZone() {
        // 1 April 02:00 UTC is still 31 March in New York
        SupervisionHours.Session lateEvening = session("PractitionerRole/jordan", "2026-04-01T02:00:00Z", 50);
        assertThat(hours.of(List.of(lateEvening), "PractitionerRole/jordan", YearMonth.of(2026, 3)).minutes()).isEqualTo(50);
        assertThat(hours.of(List.of(lateEvening), "PractitionerRole/jordan", YearMonth.of(2026, 4)).minutes()).isZero();
        assertThat(new SupervisionHours(ZoneId.of("UTC")).of(List.of(lateEvening), "PractitionerRole/jordan",
                YearMonth.of(2026, 4)).minutes()).isEqualTo(50);
    }

    @Test
    void aMonthWithoutSupervisionIsZeroHours() {
        SupervisionHours.Total none = hours.of(List.of(), "PractitionerRole/jordan", YearMonth.of(2026, 3));
        assertThat(none.minutes()).isZero();
        assertThat(none.hours()).isZero();
    }

    @Test
    void sessionsWithoutMinutesAddNothing() {
        assertThat(hours.byPeerAndMonth(List.of(session("PractitionerRole/jordan", "2026-03-03T15:00:00Z", 0),
                session("PractitionerRole/jordan", "2026-03-04T15:00:00Z", -20)))).isEmpty();
    }

    @Test
    void hoursAreRoundedToTheTenthHalfUp() {
        assertThat(new SupervisionHours.Total("p", YearMonth.of(2026, 3), 3).hours()).isEqualTo(0.1);
        assertThat(new SupervisionHours.Total("p", YearMonth.of(2026, 3), 2).hours()).isEqualTo(0.0);
        assertThat(new SupervisionHours.Total("p", YearMonth.of(2026, 3), 90).hours()).isEqualTo(1.5);
        assertThat(new SupervisionHours.Total("p", YearMonth.of(2026, 3), 1500).hours()).isEqualTo(25.0);
    }
}
