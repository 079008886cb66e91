package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);

    private static JWTClaimsSet expiringAt(Instant expiry) {
        return new JWTClaimsSet.Builder().subject("ehr").expirationTime(Date.from(expiry)).build();
    }

    private static VerifiedTokens at(Instant now, int capacity) {
        return new VerifiedTokens(capacity, SKEW, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aVerifiedTokenIsRememberedUntilItExpiresWithTheClockSkew() {
        JWTClaimsSet claims = expiringAt(NOW.plusSeconds(300));
        VerifiedTokens before = at(NOW, 10);
        before.remember("token", claims);
        assertThat(before.lookUp("token")).contains(claims);
        assertThat(before.lookUp("another")).isEmpty();

        VerifiedTokens withinSkew = at(NOW.plusSeconds(320), 10);
        withinSkew.remember("token", claims);
        assertThat(withinSkew.lookUp("token")).contains(claims);
    }

    @Test
    void anExpiredTokenIsForgottenAndNeverRemembered() {
        JWTClaimsSet claims = expiringAt(NOW.minusSeconds(31));
        VerifiedTokens tokens = at(NOW, 10);
        tokens.remember("token", claims);
        assertThat(tokens.lookUp("token")).isEmpty();
        assertThat(tokens.lookUp("token")).isEmpty();
    }

    @Test
    void aTokenWithoutExpiryIsNotRemembered() {
        VerifiedTokens tokens = at(NOW, 10);
        tokens.remember("token", new JWTClaimsSet.Builder().subject("ehr").build());
        assertThat(tokens.lookUp("token")).isEmpty();
    }

    @Test
    void pastItsCapacityItStartsAfresh() {
        VerifiedTokens tokens = at(NOW, 2);
        JWTClaimsSet claims = expiringAt(NOW.plusSeconds(300));
        tokens.remember("a", claims);
        tokens.remember("b", claims);
        tokens.remember("c", claims);
        assertThat(tokens.lookUp("c")).contains(claims);
        assertThat(tokens.lookUp("a")).isEmpty();
    }
}
