package org.alongside.cds;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.alongside.mentorship.RecoveryCapital;
import org.junit.jupiter.api.Test;

class PatientViewCardTest {

    private static final Instant NOW = Instant.parse("2026-11-30T15:00:00Z");
    private static final String LAUNCH = "https://alongside.example.org/app/launch.html";

    private static PeerSupportFacts facts(String mentor, Duration sinceContact, int escalations) {
        return new PeerSupportFacts(Optional.ofNullable(mentor), Optional.ofNullable(mentor == null ? null : "plan-1"),
                Optional.ofNullable(sinceContact).map(NOW::minus), escalations);
    }

    private static JsonObject card(PeerSupportFacts facts) {
        return PatientViewCard.build(facts, NOW, 7, LAUNCH).orElseThrow();
    }

    @Test
    void aPersonWithNoMentorAndNoOpenEscalationGetsNoCard() {
        assertThat(PatientViewCard.build(facts(null, null, 0), NOW, 7, LAUNCH)).isEmpty();
    }

    @Test
    void theCardSaysWhoTheMentorIsWhenTheyLastMetAndWhenTheNextContactIsDue() {
        JsonObject card = card(facts("Dana Reyes", Duration.ofDays(3), 0));
        assertThat(card.getString("summary")).isEqualTo("Peer mentor Dana Reyes: last contact 3 days ago, next due in 4 days");
        assertThat(card.getString("indicator")).isEqualTo("info");
        assertThat(card.getString("detail")).contains("- Peer mentor: Dana Reyes", "- Last contact: 2026-11-27 (3 days ago)",
                "- Next contact due: 2026-12-04", "- Open escalations: 0");
        assertThat(card.getJsonObject("source").getString("label")).isEqualTo("Alongside peer support");
    }

    @Test
    void anOverdueContactOrAnOpenEscalationMakesTheCardAWarning() {
        JsonObject overdue = card(facts("Dana Reyes", Duration.ofDays(10), 0));
        assertThat(overdue.getString("summary")).endsWith("last contact 10 days ago, contact overdue by 3 days");
        assertThat(overdue.getString("indicator")).isEqualTo("warning");
        JsonObject worried = card(facts("Dana Reyes", Duration.ofHours(2), 2));
        assertThat(worried.getString("summary")).isEqualTo("Peer mentor Dana Reyes: last contact today, next due in 7 days; "
                + "2 open escalations");
        assertThat(worried.getString("indicator")).isEqualTo("warning");
        JsonObject dueToday = card(facts("Dana Reyes", Duration.ofDays(7), 0));
        assertThat(dueToday.getString("summary")).endsWith("next contact due today");
    }

    @Test
    void anEscalationWithoutAMentorStillGetsACardWithoutALink() {
        JsonObject card = card(facts(null, null, 1));
        assertThat(card.getString("summary")).isEqualTo("1 open escalation");
        assertThat(card.containsKey("links")).isFalse();
    }

    @Test
    void aMentorWithoutContactsSaysSo() {
        assertThat(card(facts("Dana Reyes", null, 0)).getString("summary"))
                .isEqualTo("Peer mentor Dana Reyes: no contact on record");
    }

    @Test
    void theSmartLinkOpensTheSideBySideViewOfThePlan() {
        JsonObject link = card(facts("Dana Reyes", Duration.ofDays(1), 0)).getJsonArray("links").getJsonObject(0);
        assertThat(link.getString("type")).isEqualTo("smart");
        assertThat(link.getString("url")).isEqualTo(LAUNCH);
        JsonObject context = Json.createReader(new StringReader(link.getString("appContext"))).readObject();
        assertThat(context.getString("carePlan")).isEqualTo("CarePlan/plan-1");
    }

    @Test
    void theSummaryStaysUnder140CharactersWhateverTheName() {
        String summary = card(facts("A".repeat(200), Duration.ofDays(1), 3)).getString("summary");
        assertThat(summary).hasSizeLessThan(140).startsWith("Peer mentor AAAA");
    }

    @Test
    void aResponseHasCardsAndSystemActions() {
        JsonObject response = PatientViewCard.response(java.util.List.of(card(facts("Dana", Duration.ofDays(1), 0))));
        assertThat(response.keySet()).containsExactly("cards", "systemActions");
        assertThat(response.getJsonArray("cards")).hasSize(1);
        assertThat(response.getJsonArray("systemActions")).isEmpty();
    }
    private static RecoveryCapital.Trend trend(int first, int latest, int count) {
        return new RecoveryCapital.Trend(new RecoveryCapital.Point(Date.from(NOW.minus(Duration.ofDays(90))), first),
                new RecoveryCapital.Point(Date.from(NOW.minus(Duration.ofDays(2))), latest), count);
    }

    @Test
    void theCardGivesTheLatestRecoveryScoreAndItsChangeSinceTheFirst() {
        PeerSupportFacts facts = new PeerSupportFacts(Optional.of("Dana Reyes"), Optional.of("plan-1"),
                Optional.of(NOW.minus(Duration.ofDays(3))), 0, Optional.of(trend(29, 41, 3)), 0);
        JsonObject card = card(facts);
        assertThat(card.getString("summary")).endsWith("; BARC-10 41 (+12)");
        assertThat(card.getString("detail")).contains(
                "- Recovery capital (BARC-10, 10 to 60): 41 on 2026-11-28, +12 since the first score, 29 on 2026-09-01");
    }

    @Test
    void aSingleRecoveryScoreHasNoChange() {
        PeerSupportFacts facts = new PeerSupportFacts(Optional.of("Dana Reyes"), Optional.of("plan-1"),
                Optional.of(NOW.minus(Duration.ofDays(3))), 0, Optional.of(trend(33, 33, 1)), 0);
        JsonObject card = card(facts);
        assertThat(card.getString("summary")).endsWith("; BARC-10 33");
        assertThat(card.getString("detail")).contains("- Recovery capital (BARC-10, 10 to 60): 33 on 2026-11-28\n");
    }

    @Test
    void anOpenEngagementAlertMakesTheCardAWarning() {
        PeerSupportFacts facts = new PeerSupportFacts(Optional.of("Dana Reyes"), Optional.of("plan-1"),
                Optional.of(NOW.minus(Duration.ofDays(3))), 0, Optional.empty(), 1);
        JsonObject card = card(facts);
        assertThat(card.getString("indicator")).isEqualTo("warning");
        assertThat(card.getString("summary")).endsWith("; engagement alert open");
        assertThat(card.getString("detail")).contains("- Open engagement alerts: 1",
                "- Recovery capital (BARC-10, 10 to 60): no score recorded");
    }

    @Test
    void aRecoveryScoreAloneIsSomethingToSay() {
        PeerSupportFacts facts = new PeerSupportFacts(Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.of(trend(20, 26, 2)), 0);
        assertThat(card(facts).getString("summary")).isEqualTo("BARC-10 26 (+6)");
    }
}
