package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngagementGapTest {

    private static final String MENTORSHIP = "ServiceRequest/7";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void aMenteeWithoutAnyContactHasAGapFromTheStartOfTheMentorshipOnceItLastedTheThreshold() {
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(13.9), List.of(), 14, NOW)).isEmpty();
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(14), List.of(), 14, NOW))
                .hasValue(new EngagementGap.Gap(MENTORSHIP, daysAgo(14), 14));
    }

    @Test
    void theGapStartsAtTheLastContactNotAtAnEarlierOne() {
        Instant last = daysAgo(20);
        var gap = EngagementGap.due(MENTORSHIP, daysAgo(60), List.of(daysAgo(40), last, daysAgo(30)), 14, NOW);
        assertThat(gap).hasValueSatisfying(g -> assertThat(g.since()).isEqualTo(last));
    }

    @Test
    void aRecentContactMeansNoGap() {
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(60), List.of(daysAgo(40), daysAgo(3)), 14, NOW)).isEmpty();
    }

    @Test
    void contactsBeforeTheMentorshipStartedDoNotMoveTheGapsStart() {
        Instant start = daysAgo(15);
        assertThat(EngagementGap.due(MENTORSHIP, start, List.of(daysAgo(30)), 14, NOW))
                .hasValueSatisfying(g -> assertThat(g.since()).isEqualTo(start));
    }

    @Test
    void aContactDatedInTheFutureDoesNotCount() {
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(20), List.of(NOW.plus(Duration.ofDays(1))), 14, NOW))
                .hasValueSatisfying(g -> assertThat(g.since()).isEqualTo(daysAgo(20)));
        assertThat(EngagementGap.contactSince(daysAgo(20), List.of(NOW.plusSeconds(60)), NOW)).isFalse();
    }

    @Test
    void aMentorshipThatStartsLaterHasNoGapYet() {
        assertThat(EngagementGap.due(MENTORSHIP, NOW.plus(Duration.ofDays(2)), List.of(), 1, NOW)).isEmpty();
    }

    @Test
    void theThresholdIsTheOrganizationsNumberOfDays() {
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(5), List.of(), 3, NOW)).isPresent();
        assertThat(EngagementGap.due(MENTORSHIP, daysAgo(5), List.of(), 7, NOW)).isEmpty();
        assertThatThrownBy(() -> EngagementGap.due(MENTORSHIP, daysAgo(5), List.of(), 0, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRunNamesTheSameGapTheSameWayAndANewGapDifferently() {
        Instant first = daysAgo(20);
        var once = EngagementGap.due(MENTORSHIP, daysAgo(60), List.of(first), 14, NOW).orElseThrow();
        var again = EngagementGap.due(MENTORSHIP, daysAgo(60), List.of(first), 14, NOW.plusSeconds(900)).orElseThrow();
        assertThat(again.key()).isEqualTo(once.key()).isEqualTo("ServiceRequest/7/" + first);

        Instant later = NOW.plus(Duration.ofDays(1));
        var afterAContact = EngagementGap.due(MENTORSHIP, daysAgo(60), List.of(first, later), 14,
                later.plus(Duration.ofDays(15))).orElseThrow();
        assertThat(afterAContact.key()).isNotEqualTo(once.key());
        assertThat(EngagementGap.due(MENTORSHIP + "0", daysAgo(60), List.of(first), 14, NOW).orElseThrow().key())
                .isNotEqualTo(once.key());
    }

    @Test
    void aContactAfterTheGapsStartEndsItAndOneBeforeDoesNot() {
        Instant since = daysAgo(20);
        assertThat(EngagementGap.contactSince(since, List.of(daysAgo(25)), NOW)).isFalse();
        assertThat(EngagementGap.contactSince(since, List.of(since), NOW)).as("the contact the gap began with").isFalse();
        assertThat(EngagementGap.contactSince(since, List.of(daysAgo(2)), NOW)).isTrue();
    }
}
