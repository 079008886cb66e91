package org.alongside.sync.subscription;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th consecutive failure wait base * 2^(n-1), capped at max, then
 * drawn between half of that and all of it, so that many failing Subscriptions (or instances) do not retry in step.
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    public Backoff(long baseMillis, long maxMillis, DoubleSupplier random) {
        if (baseMillis <= 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("Backoff needs 0 < base <= max, not base " + baseMillis + " max " + maxMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before the next attempt after {@code failures} consecutive failures (1 or more). */
    public Duration delay(int failures) {
        long ceiling = ceilingMillis(failures);
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + (long) (random.getAsDouble() * (ceiling - floor)));
    }

    /** The delay without jitter: base * 2^(failures-1), capped at max. */
    long ceilingMillis(int failures) {
        long delay = baseMillis;
        for (int i = 1; i < failures && delay < maxMillis; i++) {
            delay = delay > maxMillis / 2 ? maxMillis : delay * 2;
        }
        return delay;
    }
}
