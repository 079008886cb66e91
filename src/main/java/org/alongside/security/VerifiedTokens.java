package org.alongside.security;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature and claims were verified, remembered until they expire: an EHR sends the same token with
 * every request for its lifetime, and checking its RS256 signature again each time was a twentieth of a read's
 * processor time. Bounded: past {@code capacity} tokens it starts afresh. A remembered token stays valid until its
 * expiry even if its signing key leaves the key set meanwhile, as it would at any server that verifies offline.
 */
final class VerifiedTokens {

    private final Map<String, JWTClaimsSet> tokens = new ConcurrentHashMap<>();
    private final int capacity;
    private final Duration clockSkew;
    private final Clock clock;

    VerifiedTokens(int capacity, Duration clockSkew, Clock clock) {
        this.capacity = capacity;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** The claims of a token verified before and not yet expired. */
    Optional<JWTClaimsSet> lookUp(String token) {
        JWTClaimsSet claims = tokens.get(token);
        if (claims == null) {
            return Optional.empty();
        }
        if (!unexpired(claims)) {
            tokens.remove(token);
            return Optional.empty();
        }
        return Optional.of(claims);
    }

    void remember(String token, JWTClaimsSet claims) {
        if (!unexpired(claims)) {
            return;
        }
        if (tokens.size() >= capacity) {
            tokens.clear(); // simpler than LRU, and rare: a server sees far fewer live tokens than this
        }
        tokens.put(token, claims);
    }

    private boolean unexpired(JWTClaimsSet claims) {
        Date expiry = claims.getExpirationTime();
        return expiry != null && expiry.toInstant().plus(clockSkew).isAfter(clock.instant());
    }
}
