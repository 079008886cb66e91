package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.Test;

/** Which of a caller's roles still stand for them (and so reach their patients), with no server. */
class ReachInForceTest {

    private static final Date NOW = Date.from(Instant.parse("2026-11-30T12:00:00Z"));

    @Test
    void anActiveRoleWithinItsPeriodStandsForItsPractitioner() {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPeriod(new Period().setStart(Date.from(Instant.parse("2026-01-01T00:00:00Z"))));
        assertThat(AccessGuard.inForce(role, NOW)).isTrue();
    }

    @Test
    void aDeactivatedRoleStandsForNoOne() {
        assertThat(AccessGuard.inForce(new PractitionerRole().setActive(false), NOW)).isFalse();
    }

    @Test
    void aRoleWhosePeriodEndedStandsForNoOne() {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPeriod(new Period().setEnd(Date.from(Instant.parse("2026-11-01T00:00:00Z"))));
        assertThat(AccessGuard.inForce(role, NOW)).isFalse();
    }

    @Test
    void aRoleThatHasNotStartedYetStandsForNoOne() {
        PractitionerRole role = new PractitionerRole()
                .setPeriod(new Period().setStart(Date.from(Instant.parse("2027-01-01T00:00:00Z"))));
        assertThat(AccessGuard.inForce(role, NOW)).isFalse();
    }

    @Test
    void anInactivePractitionerReachesNoOne() {
        assertThat(AccessGuard.inForce(new Practitioner().setActive(false), NOW)).isFalse();
        assertThat(AccessGuard.inForce(new Practitioner(), NOW)).isTrue();
    }
}
