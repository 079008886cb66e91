package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BillingUnitsTest {

    private final BillingUnits midpoint = new BillingUnits(15, 8);

    /**
     * The cases of shared/billing-units-cases.json: the web app's mirror of the rule (src/main/app/src/billing.js)
     * is tested against the same file by npm test, so the units shown before saving are the units stored.
     */
    static List<Arguments> sharedCases() throws IOException {
        try (InputStream in = BillingUnitsTest.class.getResourceAsStream("/shared/billing-units-cases.json")) {
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                cases.add(Arguments.of(c.get("unitMinutes").asInt(), c.get("minimumMinutes").asInt(),
                        c.get("minutes").asLong(), c.get("units").asInt()));
            }
            return cases;
        }
    }

    @ParameterizedTest(name = "{2} minutes under a {0}/{1} rule give {3} unit(s)")
    @MethodSource("sharedCases")
    void unitsFollowTheRuleTheAppMirrors(int unitMinutes, int minimumMinutes, long minutes, int units) {
        assertThat(new BillingUnits(unitMinutes, minimumMinutes).forMinutes(minutes)).isEqualTo(units);
    }

    @Test
    void computesFromStartAndEnd() {
        assertThat(midpoint.forSession(Instant.parse("2026-03-10T15:00:00Z"), Instant.parse("2026-03-10T15:45:00Z")))
                .isEqualTo(3);
        assertThatThrownBy(() -> midpoint.forSession(Instant.parse("2026-03-10T15:00:00Z"),
                Instant.parse("2026-03-10T14:00:00Z"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BillingUnits(15, 16)).isInstanceOf(IllegalArgumentException.class);
    }
}
