package org.alongside.mentorship;

import java.time.Duration;
import java.time.Instant;

/**
 * HCPCS H0038 (self-help/peer services) is billed per 15 minutes. The rule, configurable: a session of
 * {@code minutes} gives one unit per full {@code unitMinutes}, plus one for a final partial unit of at least
 * {@code minimumMinutes} (CMS's midpoint rule: 8 of 15). A session shorter than the minimum gives no unit.
 * Examples with 15/8: 7 min = 0, 8 min = 1, 22 min = 1, 23 min = 2, 60 min = 4.
 */
public record BillingUnits(int unitMinutes, int minimumMinutes) {

    public BillingUnits {
        if (unitMinutes <= 0 || minimumMinutes <= 0 || minimumMinutes > unitMinutes) {
            throw new IllegalArgumentException("need 0 < minimumMinutes <= unitMinutes");
        }
    }

    public int forMinutes(long minutes) {
        if (minutes < 0) {
            throw new IllegalArgumentException("a session cannot end before it starts");
        }
        long full = minutes / unitMinutes;
        long rest = minutes % unitMinutes;
        return Math.toIntExact(full + (rest >= minimumMinutes ? 1 : 0));
    }

    public int forSession(Instant start, Instant end) {
        return forMinutes(Duration.between(start, end).toMinutes());
    }
}
