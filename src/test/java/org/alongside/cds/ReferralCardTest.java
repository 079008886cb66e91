package org.alongside.cds;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferralCardTest {

    private static final String LAUNCH = "https://alongside.example.org/app/launch.html";
    private static final ReferralCard.Match BEST = new ReferralCard.Match("PractitionerRole/jordan", "Jordan Reyes",
            List.of("parent (asked for by the person)", "es"));

    private static JsonObject card(Set<String> areas, Optional<String> plan, Optional<ReferralCard.Match> match,
                                   Optional<String> suggestion, Optional<String> assigner) {
        return ReferralCard.build("maria", areas, plan, match, suggestion, assigner, LAUNCH);
    }

    @Test
    void theSuggestionCreatesTheReferralToTheBestMatchAsTheClinicianAtDischarge() {
        JsonObject card = card(Set.of("substance-use"), Optional.of("plan-1"), Optional.of(BEST),
                Optional.of("5d0c5b4e-1f6f-4d0a-9a57-1d2c3b4a5e6f"), Optional.of("Practitioner/dr-lee"));
        assertThat(card.getString("indicator")).isEqualTo("warning");
        assertThat(card.getString("summary")).hasSizeLessThan(140);
        assertThat(card.getString("detail")).contains("a substance use condition", "Best match: **Jordan Reyes**",
                "- parent (asked for by the person)");
        assertThat(card.getString("selectionBehavior")).isEqualTo("at-most-one");
        JsonObject suggestion = card.getJsonArray("suggestions").getJsonObject(0);
        assertThat(suggestion.getString("uuid")).isEqualTo("5d0c5b4e-1f6f-4d0a-9a57-1d2c3b4a5e6f");
        assertThat(suggestion.getBoolean("isRecommended")).isTrue();
        JsonObject action = suggestion.getJsonArray("actions").getJsonObject(0);
        assertThat(action.getString("type")).isEqualTo("create");
        JsonObject referral = action.getJsonObject("resource");
        assertThat(referral.getJsonObject("code").getJsonArray("coding").getJsonObject(0).getString("code"))
                .isEqualTo("461481000124109");
        assertThat(referral.getJsonObject("subject").getString("reference")).isEqualTo("Patient/maria");
        assertThat(referral.getJsonObject("requester").getString("reference")).isEqualTo("Practitioner/dr-lee");
        assertThat(referral.getJsonArray("performer").getJsonObject(0).getString("reference"))
                .isEqualTo("PractitionerRole/jordan");
        assertThat(card.getJsonArray("links").getJsonObject(0).getString("type")).isEqualTo("smart");
    }

    @Test
    void withoutAMatchOrAnAssignerTheCardOffersOnlyThePicker() {
        JsonObject noMatch = card(Set.of("mental-health"), Optional.of("plan-1"), Optional.empty(), Optional.empty(),
                Optional.of("Practitioner/dr-lee"));
        assertThat(noMatch.containsKey("suggestions")).isFalse();
        assertThat(noMatch.containsKey("selectionBehavior")).isFalse();
        assertThat(noMatch.getString("detail")).contains("a mental health condition").doesNotContain("Best match");
        assertThat(noMatch.getJsonArray("links")).hasSize(1);
        JsonObject noAssigner = card(Set.of("mental-health"), Optional.of("plan-1"), Optional.of(BEST),
                Optional.of("5d0c5b4e-1f6f-4d0a-9a57-1d2c3b4a5e6f"), Optional.empty());
        assertThat(noAssigner.containsKey("suggestions")).isFalse();
    }

    @Test
    void withoutACarePlanInAlongsideThereIsNothingToLinkTo() {
        JsonObject card = card(Set.of("mental-health", "substance-use"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(card.getString("detail")).contains("substance use and mental health conditions",
                "no active care plan");
        assertThat(card.containsKey("links")).isFalse();
    }
}
