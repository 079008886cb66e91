package org.alongside.cds;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each CDS Hooks JWT is good for one request: its {@code jti} is remembered until the token expires, and a second use
 * is refused. Remembered per server instance, so behind a load balancer a replay to another instance within the
 * token's lifetime (at most five minutes) is not caught; a token is bound to one service URL by its {@code aud}.
 */
final class ReplayGuard {

    private static final int PURGE_EVERY = 256;

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicInteger uses = new AtomicInteger();

    /** True the first time this issuer's {@code jti} is presented before it expires; false for a replay. */
    boolean firstUse(String issuer, String jti, Instant expires, Instant now) {
        if (uses.incrementAndGet() % PURGE_EVERY == 0) {
            seen.values().removeIf(until -> until.isBefore(now));
        }
        Instant earlier = seen.putIfAbsent(issuer + " " + jti, expires);
        return earlier == null || earlier.isBefore(now) && seen.replace(issuer + " " + jti, earlier, expires);
    }
}
