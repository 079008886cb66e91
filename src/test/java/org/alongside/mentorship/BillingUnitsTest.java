package org.alongside.mentorship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BillingUnitsTest {

    private final BillingUnits midpoint = new BillingUnits(15, 8);

    @ParameterizedTest
    @CsvSource({"0,0", "7,0", "8,1", "15,1", "22,1", "23,2", "30,2", "37,2", "38,3", "60,4", "90,6"})
    void midpointRule(long minutes, int units) {
        assertThat(midpoint.forMinutes(minutes)).isEqualTo(units);
    }

    @Test
    void otherRulesAreConfiguration() {
        BillingUnits wholeUnitsOnly = new BillingUnits(15, 15);
        assertThat(wholeUnitsOnly.forMinutes(29)).isEqualTo(1);
        assertThat(wholeUnitsOnly.forMinutes(30)).isEqualTo(2);
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
