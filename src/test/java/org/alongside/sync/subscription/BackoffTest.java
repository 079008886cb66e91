package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheBaseUpToTheMaximum() {
        Backoff backoff = new Backoff(1000, 60_000, () -> 1.0);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(2000);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(4000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(32_000);
        assertThat(backoff.ceilingMillis(7)).isEqualTo(60_000);
        assertThat(backoff.ceilingMillis(10_000)).as("no overflow after many failures").isEqualTo(60_000);
    }

    @Test
    void jitterDrawsBetweenHalfAndAllOfTheDelay() {
        assertThat(new Backoff(1000, 60_000, () -> 0.0).delay(3)).isEqualTo(Duration.ofMillis(2000));
        assertThat(new Backoff(1000, 60_000, () -> 0.5).delay(3)).isEqualTo(Duration.ofMillis(3000));
        assertThat(new Backoff(1000, 60_000, () -> 0.999_999).delay(3).toMillis()).isBetween(3999L, 4000L);
        Backoff random = new Backoff(1000, 60_000, Math::random);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.delay(40).toMillis()).isBetween(30_000L, 60_000L);
        }
    }

    @Test
    void refusesAMaximumBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(1000, 999, Math::random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(0, 999, Math::random)).isInstanceOf(IllegalArgumentException.class);
    }
}
